//! Where a server spends its time per incoming change: each step of the accept path, timed on a
//! dagstaat with N events. Run: `cargo run --release -p dagstaat-sync --example change_cost [N]`.
use std::time::Instant;

use chrono::NaiveDate;
use dagstaat_sync::dagstaat::validate::{ChangeContext, neutralize};
use dagstaat_sync::dagstaat::{
    DagstaatDoc, DagstaatHeader, Event, EventIndex, EventKind, ExpectedClient, check_change,
};
use dagstaat_sync::{Dagdeel, TimeWindow};

fn main() {
    let events: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let header = DagstaatHeader {
        location_id: 1,
        date: NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
        dagdelen: vec![
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
        ],
    };
    let clients: Vec<ExpectedClient> = (1..=30)
        .map(|id| ExpectedClient {
            client_id: id,
            name: format!("Cliënt {id}"),
            dagdelen: vec![Dagdeel::Ochtend, Dagdeel::Middag],
            wheelchair: false,
            walker: false,
            escort: false,
        })
        .collect();
    let mut doc = DagstaatDoc::create(&header, &clients).expect("create");
    let event = |n: usize| Event {
        id: format!("e{n}"),
        kind: EventKind::CheckIn {
            client_id: (n % 30) as i64 + 1,
            minute: 9 * 60 + (n % 200) as u16,
        },
        author: 1,
        recorded_at: "2026-11-24T09:00:00+01:00".into(),
    };
    for n in 0..events {
        doc.append(&event(n)).expect("append");
    }
    let ctx = ChangeContext {
        author: 1,
        now_minute: None,
    };
    let rounds = 50;
    let mut totals = [0f64; 5];
    // As the server keeps it: the parsed events beside the document.
    let mut index = EventIndex::build(&doc).expect("index");
    // What the server stores: the snapshot before the rounds, then one chunk per change.
    let snapshot = doc.save();
    let mut chunks: Vec<Vec<u8>> = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let started = Instant::now();
        let mut fork = doc.fork();
        fork.automerge().update_diff_cursor();
        totals[0] += started.elapsed().as_secs_f64();
        for e in 0..10 {
            fork.append(&event(events + round * 10 + e))
                .expect("append");
        }
        let started = Instant::now();
        let (violations, added) = check_change(&mut doc, &mut fork, &ctx, &index);
        added.into_iter().for_each(|e| index.add(e));
        totals[1] += started.elapsed().as_secs_f64();
        assert!(violations.is_empty());
        neutralize(&doc, &mut fork, &violations).expect("neutralize");
        let started = Instant::now();
        let heads = doc.automerge().get_heads();
        let changes = fork.automerge().get_changes(&heads);
        totals[2] += started.elapsed().as_secs_f64();
        assert!(!changes.is_empty());
        let started = Instant::now();
        let state = index.state();
        totals[3] += started.elapsed().as_secs_f64();
        assert!(!state.dagdelen.is_empty());
        let started = Instant::now();
        let _ = fork.save();
        totals[4] += started.elapsed().as_secs_f64();
        chunks.push(
            changes
                .iter()
                .flat_map(|c| c.raw_bytes().to_vec())
                .collect(),
        );
        doc = fork;
    }
    let per = |t: f64| t * 1000.0 / rounds as f64;
    println!("events in document: {events}..{}", events + rounds * 10);
    println!("fork            {:8.2} ms/change", per(totals[0]));
    println!("validate        {:8.2} ms/change", per(totals[1]));
    println!("get_changes     {:8.2} ms/change", per(totals[2]));
    println!("fold (state)    {:8.2} ms/change", per(totals[3]));
    println!(
        "save snapshot   {:8.2} ms (only on compaction)",
        per(totals[4])
    );
    reopen(&snapshot, &chunks, &mut doc);
}

/// Reopening a stored document: the snapshot, then its chunks one load each or in one load.
fn reopen(snapshot: &[u8], chunks: &[Vec<u8>], expected: &mut DagstaatDoc) {
    let started = Instant::now();
    let mut one_by_one = DagstaatDoc::load(snapshot).expect("snapshot");
    for chunk in chunks {
        one_by_one
            .automerge()
            .load_incremental(chunk)
            .expect("chunk");
    }
    let each = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let mut together = DagstaatDoc::load(snapshot).expect("snapshot");
    together
        .automerge()
        .load_incremental(&chunks.concat())
        .expect("chunks");
    let once = started.elapsed().as_secs_f64() * 1000.0;
    let heads = expected.automerge().get_heads();
    for doc in [&mut one_by_one, &mut together] {
        assert_eq!(doc.automerge().get_heads(), heads);
    }
    println!(
        "reopen with {} chunks: {each:.1} ms one load each, {once:.1} ms in one load",
        chunks.len()
    );
}
