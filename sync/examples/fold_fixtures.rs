//! Writes the fold fixtures: dagstaat documents with varied events (visits across dagdelen,
//! check-outs without check-in, no-shows beside presence, undos, rejected events) and the state
//! the Rust fold gives each. The PWA's fold (web/fold.js) is tested against them
//! (tests/interop/fold.test.js), and `sync/tests/fold_fixtures.rs` checks they still hold here.
//!
//!   cargo run -p dagstaat-sync --example fold_fixtures > tests/fixtures/fold/cases.json
use base64::Engine;
use dagstaat_sync::dagstaat::{
    DagstaatDoc, DagstaatHeader, Event, EventKind, ExpectedClient, NoShowReason,
};
use dagstaat_sync::{Dagdeel, TimeWindow};

/// A small deterministic generator, so the fixture file only changes when this program does.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const REASONS: [NoShowReason; 5] = [
    NoShowReason::Ziek,
    NoShowReason::Afgemeld,
    NoShowReason::Onaangekondigd,
    NoShowReason::NietThuis,
    NoShowReason::Overig,
];

fn case(rng: &mut Lcg, n: u64) -> serde_json::Value {
    let mut dagdelen = vec![
        (
            Dagdeel::Ochtend,
            TimeWindow::parse("09:00", "13:00").expect("window"),
            16,
        ),
        (
            Dagdeel::Middag,
            TimeWindow::parse("13:00", "17:00").expect("window"),
            16,
        ),
    ];
    if rng.below(4) == 0 {
        dagdelen.push((
            Dagdeel::Avond,
            TimeWindow::parse("18:00", "21:00").expect("window"),
            8,
        ));
    }
    let offered: Vec<Dagdeel> = dagdelen.iter().map(|(d, _, _)| *d).collect();
    let header = DagstaatHeader {
        location_id: 1,
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
        dagdelen,
    };
    let clients: Vec<ExpectedClient> = (1..=1 + rng.below(5) as i64)
        .map(|client_id| ExpectedClient {
            client_id,
            name: format!("Cliënt {client_id}"),
            dagdelen: offered
                .iter()
                .copied()
                .filter(|_| rng.below(3) > 0)
                .collect(),
            wheelchair: false,
            walker: false,
            escort: false,
        })
        .collect();
    let mut doc = DagstaatDoc::create(&header, &clients).expect("create");
    let mut written: Vec<Event> = Vec::new();
    for e in 0..rng.below(24) {
        let client_id = 1 + rng.below(clients.len() as u64 + 1) as i64;
        let minute = (7 * 60 + rng.below(15 * 12) * 5) as u16;
        let kind = match rng.below(10) {
            0..=3 => EventKind::CheckIn { client_id, minute },
            4..=6 => EventKind::CheckOut { client_id, minute },
            7 | 8 => EventKind::NoShow {
                client_id,
                dagdeel: offered[rng.below(offered.len() as u64) as usize],
                reason: REASONS[rng.below(5) as usize],
                note: String::new(),
            },
            _ => match written
                .iter()
                .filter(|w| !matches!(w.kind, EventKind::Undo { .. }))
                .nth(rng.below(8) as usize)
            {
                Some(target) => EventKind::Undo {
                    target: target.id.clone(),
                },
                None => EventKind::CheckIn { client_id, minute },
            },
        };
        let event = Event {
            id: format!("c{n}-e{e}-{:x}", rng.below(1 << 16)),
            kind,
            author: 1 + rng.below(3) as i64,
            recorded_at: "2026-11-24T09:00:00+01:00".into(),
        };
        doc.append(&event).expect("append");
        written.push(event);
    }
    let objects: Vec<String> = doc
        .events_by_object()
        .expect("events")
        .into_iter()
        .map(|(object, _)| object)
        .collect();
    for object in objects {
        if rng.below(10) == 0 {
            doc.reject(&object, "fixture").expect("reject");
        }
    }
    let state = doc.state().expect("state");
    serde_json::json!({
        "doc": base64::engine::general_purpose::STANDARD.encode(doc.save()),
        "dagdelen": state.dagdelen,
    })
}

fn main() {
    let mut rng = Lcg(20261124);
    let cases: Vec<serde_json::Value> = (0..120).map(|n| case(&mut rng, n)).collect();
    println!(
        "{}",
        serde_json::to_string(&serde_json::json!({ "cases": cases })).expect("json")
    );
}
