//! A dagstaat fixture shared by the sync tests.
#![allow(dead_code)]
use chrono::NaiveDate;
use dagstaat_sync::dagstaat::{DagstaatHeader, ExpectedClient};
use dagstaat_sync::{Dagdeel, TimeWindow};

pub fn header() -> DagstaatHeader {
    DagstaatHeader {
        location_id: 1,
        date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        dagdelen: vec![
            (
                Dagdeel::Ochtend,
                TimeWindow::parse("09:00", "13:00").unwrap(),
                16,
            ),
            (
                Dagdeel::Middag,
                TimeWindow::parse("13:00", "17:00").unwrap(),
                16,
            ),
        ],
    }
}

pub fn clients() -> Vec<ExpectedClient> {
    (1..=6)
        .map(|id| ExpectedClient {
            client_id: id,
            name: format!("Cliënt {id}"),
            dagdelen: if id % 2 == 0 {
                vec![Dagdeel::Ochtend, Dagdeel::Middag]
            } else {
                vec![Dagdeel::Ochtend]
            },
            wheelchair: id == 3,
            walker: false,
            escort: false,
        })
        .collect()
}
