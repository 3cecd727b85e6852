//! Road travel times for planning: an OSRM `table` request when an OSRM server is configured
//! (cached per set of places), else none and the planner estimates from coordinates.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use routing::Matrix;
use routing::travel::Coordinate;
use serde::Deserialize;

/// Matrices kept for repeated plans of the same places (re-plans, the other direction).
const CACHE_ENTRIES: usize = 32;

pub struct TravelTimes {
    osrm: Option<String>,
    client: reqwest::Client,
    cache: Mutex<HashMap<String, Matrix>>,
}

#[derive(Deserialize)]
struct TableAnswer {
    code: String,
    durations: Option<Vec<Vec<Option<f64>>>>,
    distances: Option<Vec<Vec<Option<f64>>>>,
}

impl TravelTimes {
    pub fn new(osrm: Option<String>) -> TravelTimes {
        TravelTimes {
            osrm: osrm.map(|url| url.trim_end_matches('/').to_owned()),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap_or_default(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// OSRM's matrix for `points` (minutes, km); None when no OSRM is configured or it could not
    /// answer for every pair, so the caller falls back to the estimate.
    pub async fn road_matrix(&self, points: &[Coordinate]) -> Option<Matrix> {
        let base = self.osrm.as_ref()?;
        let key = cache_key(points);
        if let Some(found) = self.cache.lock().ok()?.get(&key) {
            return Some(found.clone());
        }
        let coordinates = points
            .iter()
            .map(|(lat, lon)| format!("{lon:.6},{lat:.6}"))
            .collect::<Vec<_>>()
            .join(";");
        let url = format!("{base}/table/v1/driving/{coordinates}?annotations=duration,distance");
        let answer = match self.client.get(&url).send().await {
            Ok(response) if response.status().is_success() => {
                response.json::<TableAnswer>().await.ok()
            }
            Ok(response) => {
                tracing::warn!(status = %response.status(), "OSRM table refused; estimating travel");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "OSRM unreachable; estimating travel");
                None
            }
        }?;
        let matrix = to_matrix(points.len(), answer)?;
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(key, matrix.clone());
        }
        Some(matrix)
    }
}

fn cache_key(points: &[Coordinate]) -> String {
    points
        .iter()
        .map(|(lat, lon)| format!("{lat:.6},{lon:.6}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// Seconds and metres to minutes and kilometres; None if OSRM left a pair without a route.
fn to_matrix(size: usize, answer: TableAnswer) -> Option<Matrix> {
    if answer.code != "Ok" {
        tracing::warn!(code = %answer.code, "OSRM table failed; estimating travel");
        return None;
    }
    let flat = |rows: Vec<Vec<Option<f64>>>, scale: f64| -> Option<Vec<f64>> {
        (rows.len() == size && rows.iter().all(|r| r.len() == size)).then(|| {
            rows.into_iter()
                .flatten()
                .map(|v| v.map(|v| v / scale))
                .collect::<Option<Vec<f64>>>()
        })?
    };
    let durations = flat(answer.durations?, 60.0)?;
    let distances = flat(answer.distances?, 1000.0)?;
    Matrix::new(size, durations, distances).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_osrm_table_becomes_minutes_and_kilometres() {
        let answer: TableAnswer = serde_json::from_str(
            r#"{"code":"Ok","durations":[[0,600],[660,0]],"distances":[[0,8000],[8500,0]]}"#,
        )
        .expect("json");
        let m = to_matrix(2, answer).expect("matrix");
        assert_eq!((m.duration(0, 1), m.duration(1, 0)), (10.0, 11.0));
        assert_eq!((m.distance(0, 1), m.distance(1, 0)), (8.0, 8.5));
    }

    #[test]
    fn a_table_with_an_unroutable_pair_or_the_wrong_size_is_not_used() {
        let gap: TableAnswer = serde_json::from_str(
            r#"{"code":"Ok","durations":[[0,null],[660,0]],"distances":[[0,8000],[8500,0]]}"#,
        )
        .expect("json");
        assert!(to_matrix(2, gap).is_none());
        let small: TableAnswer =
            serde_json::from_str(r#"{"code":"Ok","durations":[[0]],"distances":[[0]]}"#)
                .expect("json");
        assert!(to_matrix(2, small).is_none());
        let failed: TableAnswer = serde_json::from_str(r#"{"code":"InvalidQuery"}"#).expect("json");
        assert!(to_matrix(1, failed).is_none());
    }
}
