//! Readers for the public benchmark formats: Solomon VRPTW and Cordeau's dial-a-ride instances.
use crate::model::{Load, Problem, Request, RequestKind, Vehicle, Visit, Window};
use crate::travel::Matrix;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InstanceError {
    #[error("line {line}: {message}")]
    Malformed { line: usize, message: String },
    #[error("the instance has no {0}")]
    Missing(&'static str),
}

fn numbers(line: &str, number: usize) -> Result<Vec<f64>, InstanceError> {
    line.split_whitespace()
        .map(|field| {
            field.parse::<f64>().map_err(|_| InstanceError::Malformed {
                line: number,
                message: format!("not a number: {field:?}"),
            })
        })
        .collect()
}

/// Solomon's format: a VEHICLE block (number, capacity) and a CUSTOMER table whose first row is
/// the depot. Every customer becomes a delivery loaded at the depot.
pub fn solomon(text: &str) -> Result<Problem, InstanceError> {
    let lines: Vec<&str> = text.lines().collect();
    let fleet_at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("NUMBER"))
        .ok_or(InstanceError::Missing("VEHICLE block"))?;
    let fleet = numbers(
        lines.get(fleet_at + 1).copied().unwrap_or_default(),
        fleet_at + 2,
    )?;
    let [count, capacity] = fleet[..] else {
        return Err(InstanceError::Malformed {
            line: fleet_at + 2,
            message: "expected vehicle number and capacity".into(),
        });
    };
    let mut rows = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(fleet_at + 2) {
        let first = line.split_whitespace().next();
        if first.is_some_and(|f| f.chars().all(|c| c.is_ascii_digit())) {
            let row = numbers(line, i + 1)?;
            if row.len() != 7 {
                return Err(InstanceError::Malformed {
                    line: i + 1,
                    message: "a customer row has 7 numbers".into(),
                });
            }
            rows.push(row);
        }
    }
    let depot = rows.first().ok_or(InstanceError::Missing("depot"))?.clone();
    let points: Vec<(f64, f64)> = rows.iter().map(|r| (r[1], r[2])).collect();
    let vehicles = (0..count as usize)
        .map(|i| Vehicle {
            id: format!("v{}", i + 1),
            start: 0,
            end: 0,
            window: Window::new(depot[4], depot[5]),
            max_duration: None,
            capacity: Load::seats(capacity as i32),
        })
        .collect();
    let requests = rows
        .iter()
        .enumerate()
        .skip(1)
        .map(|(location, r)| Request {
            id: format!("c{}", r[0] as usize),
            load: Load::seats(r[3] as i32),
            kind: RequestKind::Delivery {
                visit: Visit {
                    location,
                    window: Window::new(r[4], r[5]),
                    service: r[6],
                },
            },
        })
        .collect();
    Ok(Problem {
        travel: Matrix::euclidean(&points),
        vehicles,
        requests,
    })
}

/// Cordeau's dial-a-ride format: a header `K 2n T Q L` (vehicles, nodes, maximum route duration,
/// capacity, maximum ride time), then `id x y service load start end` per node: the depot, n
/// pickups, then their n dropoffs in the same order.
pub fn cordeau(text: &str) -> Result<Problem, InstanceError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or(InstanceError::Missing("header"))?;
    let header = numbers(header, 1)?;
    let [k, nodes, max_duration, capacity, max_ride] = header[..] else {
        return Err(InstanceError::Malformed {
            line: 1,
            message: "the header is K 2n T Q L".into(),
        });
    };
    let rows = lines
        .map(|(i, l)| numbers(l, i + 1))
        .collect::<Result<Vec<_>, _>>()?;
    let n = nodes as usize / 2;
    if rows.len() < 2 * n + 1 || rows.iter().any(|r| r.len() != 7) {
        return Err(InstanceError::Missing(
            "depot and 2n node rows of 7 numbers",
        ));
    }
    let points: Vec<(f64, f64)> = rows.iter().map(|r| (r[1], r[2])).collect();
    let depot = &rows[0];
    let visit = |i: usize| Visit {
        location: i,
        window: Window::new(rows[i][5], rows[i][6]),
        service: rows[i][3],
    };
    let vehicles = (0..k as usize)
        .map(|i| Vehicle {
            id: format!("v{}", i + 1),
            start: 0,
            end: 0,
            window: Window::new(depot[5], depot[6]),
            max_duration: Some(max_duration),
            capacity: Load::seats(capacity as i32),
        })
        .collect();
    let requests = (1..=n)
        .map(|i| Request {
            id: format!("r{i}"),
            load: Load::seats(rows[i][4] as i32),
            kind: RequestKind::Ride {
                pickup: visit(i),
                dropoff: visit(n + i),
                max_ride: Some(max_ride),
            },
        })
        .collect();
    Ok(Problem {
        travel: Matrix::euclidean(&points),
        vehicles,
        requests,
    })
}
