//! Travel times and distances between the places of one problem.
use serde::{Deserialize, Serialize};

/// Square matrices of travel duration (minutes) and distance (km), indexed by location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    size: usize,
    durations: Vec<f64>,
    distances: Vec<f64>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MatrixError {
    #[error("a {size}x{size} matrix needs {expected} values, got {got}")]
    WrongLength {
        size: usize,
        expected: usize,
        got: usize,
    },
    #[error("travel values must be finite and not negative")]
    Invalid,
}

impl Matrix {
    pub fn new(
        size: usize,
        durations: Vec<f64>,
        distances: Vec<f64>,
    ) -> Result<Matrix, MatrixError> {
        for values in [&durations, &distances] {
            if values.len() != size * size {
                return Err(MatrixError::WrongLength {
                    size,
                    expected: size * size,
                    got: values.len(),
                });
            }
            if values.iter().any(|v| !v.is_finite() || *v < 0.0) {
                return Err(MatrixError::Invalid);
            }
        }
        Ok(Matrix {
            size,
            durations,
            distances,
        })
    }

    /// Benchmark instances: Euclidean distance, travel time equal to distance.
    pub fn euclidean(points: &[(f64, f64)]) -> Matrix {
        let distances = pairwise(points, |a, b| {
            ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
        });
        Matrix {
            size: points.len(),
            durations: distances.clone(),
            distances,
        }
    }

    /// Road estimate from coordinates: great-circle distance x detour factor, at a constant speed.
    pub fn from_coordinates(points: &[Coordinate], model: &RoadModel) -> Matrix {
        let distances = pairwise(points, |a, b| haversine_km(a, b) * model.detour_factor);
        let durations = distances
            .iter()
            .map(|km| km / model.speed_kmh * 60.0)
            .collect();
        Matrix {
            size: points.len(),
            durations,
            distances,
        }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    pub fn duration(&self, from: usize, to: usize) -> f64 {
        self.durations[from * self.size + to]
    }

    pub fn distance(&self, from: usize, to: usize) -> f64 {
        self.distances[from * self.size + to]
    }

    pub fn durations(&self) -> &[f64] {
        &self.durations
    }

    pub fn distances(&self) -> &[f64] {
        &self.distances
    }
}

/// Latitude and longitude in degrees (WGS84).
pub type Coordinate = (f64, f64);

/// How the organisation estimates road travel without a routing engine.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoadModel {
    /// Road distance over great-circle distance (1.3 is typical for Dutch roads).
    pub detour_factor: f64,
    /// Average speed including junctions and parking, km/h.
    pub speed_kmh: f64,
}

fn pairwise<P>(points: &[P], f: impl Fn(&P, &P) -> f64) -> Vec<f64> {
    points
        .iter()
        .flat_map(|a| points.iter().map(|b| f(a, b)).collect::<Vec<_>>())
        .collect()
}

pub fn haversine_km(a: &Coordinate, b: &Coordinate) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_a_known_distance() {
        // Utrecht Centraal to Amsterdam Centraal: about 34 km as the crow flies.
        let d = haversine_km(&(52.0894, 5.1101), &(52.3791, 4.9003));
        assert!((d - 35.3).abs() < 0.5, "{d}");
    }

    #[test]
    fn road_model_scales_distance_and_time() {
        let m = Matrix::from_coordinates(
            &[(52.0, 5.0), (52.1, 5.0)],
            &RoadModel {
                detour_factor: 1.5,
                speed_kmh: 30.0,
            },
        );
        let crow = haversine_km(&(52.0, 5.0), &(52.1, 5.0));
        assert!((m.distance(0, 1) - crow * 1.5).abs() < 1e-9);
        assert!((m.duration(0, 1) - crow * 1.5 / 30.0 * 60.0).abs() < 1e-9);
        assert_eq!(m.duration(1, 1), 0.0);
    }

    #[test]
    fn a_matrix_of_the_wrong_size_is_refused() {
        assert_eq!(
            Matrix::new(2, vec![0.0; 3], vec![0.0; 4]),
            Err(MatrixError::WrongLength {
                size: 2,
                expected: 4,
                got: 3
            })
        );
        assert_eq!(
            Matrix::new(1, vec![f64::NAN], vec![0.0]),
            Err(MatrixError::Invalid)
        );
    }
}
