//! Dagstaat documents follow the schedules: prepared ahead, refreshed when a schedule changes.
use std::time::Duration;

use dagstaat::attendance::documents;
use dagstaat::attendance::entity::{attendance, dagstaat_document};
use dagstaat::auth::Role;
use dagstaat::occupancy::entity::occupancy_cell;
use dagstaat::startup::PREPARED_DAYS;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;
use sync::Dagdeel;
use sync::protocol::DocumentId;

use crate::helpers::{Api, TestApp, client_body, coach_location, next_tuesday};
use crate::phone::{Phone, sync_url};

#[tokio::test]
async fn documents_for_the_coming_week_are_prepared_at_start() {
    let app = TestApp::spawn().await;
    let wanted = 2 * (PREPARED_DAYS as u64 + 1);
    for _ in 0..100 {
        if dagstaat_document::Entity::find()
            .count(app.db())
            .await
            .unwrap()
            >= wanted
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("expected {wanted} prepared documents");
}

/// A new client of `location`; returns its id.
async fn add_client(coordinator: &Api, location: i64, n: u32) -> i64 {
    coordinator
        .expect(
            Method::POST,
            "/api/clients",
            Some(&client_body(location, n)),
            StatusCode::OK,
        )
        .await["id"]
        .as_i64()
        .unwrap()
}

/// Schedules `client` at `location` on Tuesday mornings from `from`; returns the schedule's id.
async fn schedule_tuesday_mornings(
    coordinator: &Api,
    client: i64,
    location: i64,
    from: chrono::NaiveDate,
) -> i64 {
    let body = json!({"client_id": client, "location_id": location, "weekday": 2, "dagdeel": "ochtend", "valid_from": from});
    coordinator
        .expect(Method::POST, "/api/schedules", Some(&body), StatusCode::OK)
        .await["id"]
        .as_i64()
        .unwrap()
}

async fn remove_schedule(coordinator: &Api, schedule: i64) {
    let path = format!("/api/schedules/{schedule}");
    coordinator
        .expect(Method::DELETE, &path, None, StatusCode::OK)
        .await;
}

#[tokio::test]
async fn a_schedule_change_reaches_the_document() {
    let app = TestApp::spawn().await;
    let coordinator = app.login(Role::Coordinator).await;
    let location = coach_location(&app).await;
    let date = next_tuesday();
    let reference = coordinator
        .get_ok(&format!("/api/locations/{location}/dagstaat?date={date}"))
        .await;
    let document_id: sync::protocol::DocumentId =
        reference["document_id"].as_str().unwrap().parse().unwrap();

    let client = add_client(&coordinator, location, 40).await;
    let listed = |doc: &sync::dagstaat::DagstaatDoc| {
        doc.clients()
            .unwrap()
            .into_iter()
            .find(|c| c.client_id == client)
            .map(|c| c.dagdelen)
    };
    let stored = documents::load(app.db(), &document_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        listed(&stored.doc),
        Some(vec![]),
        "a new client of the location is on the list, not expected"
    );

    let schedule = schedule_tuesday_mornings(&coordinator, client, location, date).await;
    let stored = documents::load(app.db(), &document_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed(&stored.doc), Some(vec![Dagdeel::Ochtend]));
    let expected_now = stored.doc.state().unwrap();
    assert!(
        expected_now
            .dagdelen
            .iter()
            .any(|d| d.client_id == client && d.dagdeel == Dagdeel::Ochtend && d.expected)
    );

    remove_schedule(&coordinator, schedule).await;
    let stored = documents::load(app.db(), &document_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed(&stored.doc), Some(vec![]));
}

#[tokio::test]
async fn an_open_sync_connection_ends_when_its_session_does() {
    use futures_util::{SinkExt, StreamExt};
    use sync::protocol::{Message, PeerMetadata, decode, encode};
    use tokio_tungstenite::tungstenite::Message as Frame;

    let app = TestApp::spawn().await;
    let coach = app.token(dagstaat::auth::Role::Coach).await;
    let token = coach.bearer.clone().unwrap();
    let (mut socket, _) = tokio_tungstenite::connect_async(sync_url(&app.url, &token))
        .await
        .unwrap();
    let join = Message::Join {
        sender_id: "phone".into(),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: PeerMetadata::default(),
    };
    socket
        .send(Frame::Binary(encode(&join).into()))
        .await
        .unwrap();
    let Some(Ok(Frame::Binary(bytes))) = socket.next().await else {
        panic!("no answer to join");
    };
    assert!(matches!(decode(&bytes).unwrap(), Message::Peer { .. }));

    coach
        .expect(
            reqwest::Method::POST,
            "/api/auth/logout",
            None,
            StatusCode::NO_CONTENT,
        )
        .await;
    // The connection checks its session every second (test configuration) and then closes.
    let ended = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(frame) = socket.next().await {
            match frame {
                Ok(Frame::Binary(bytes)) => {
                    if let Ok(Message::Error { message, .. }) = decode(&bytes) {
                        return Some(message);
                    }
                }
                Ok(Frame::Close(_)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
        None
    })
    .await
    .expect("the connection ends within seconds of the logout");
    assert_eq!(
        ended.as_deref(),
        Some("the session has ended; log in again")
    );
}

/// A socket that never joins (a client that dropped it while connecting) is closed at the first
/// session check: a second in the test configuration.
#[tokio::test]
async fn a_socket_that_never_joins_is_closed() {
    use futures_util::StreamExt;
    use sync::protocol::{Message, decode};
    use tokio_tungstenite::tungstenite::Message as Frame;

    let app = TestApp::spawn().await;
    let coach = app.token(Role::Coach).await;
    let token = coach.bearer.clone().unwrap();
    let (mut socket, _) = tokio_tungstenite::connect_async(sync_url(&app.url, &token))
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .expect("the server ends the connection within seconds");
    let Some(Ok(Frame::Binary(bytes))) = first else {
        panic!("expected an error message, got {first:?}");
    };
    assert!(matches!(decode(&bytes), Ok(Message::Error { .. })));
    let closed = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .expect("closed after the error");
    assert!(
        matches!(closed, None | Some(Ok(Frame::Close(_))) | Some(Err(_))),
        "{closed:?}"
    );
}

/// A phone that has heard nothing for a while asks; the server answers on the same socket.
#[tokio::test]
async fn a_heartbeat_is_answered() {
    let app = TestApp::spawn().await;
    let coach = app.token(Role::Coach).await;
    let token = coach.bearer.clone().unwrap();
    let location = coach_location(&app).await;
    let document_id = documents::find_or_create(app.db(), location as i32, next_tuesday())
        .await
        .unwrap();
    let mut phone = Phone::open(&app.url, &token, document_id).await;
    assert!(phone.heartbeat().await);
    assert!(
        phone.heartbeat().await,
        "the socket stays open after a heartbeat"
    );
}

/// The hub holds other coaches' changes back from a phone that has not answered the last ones
/// (and sends them at most every so often): held back is never lost.
#[tokio::test]
async fn a_phone_that_does_not_answer_still_gets_every_change_of_its_colleagues() {
    use sync::dagstaat::{DagstaatDoc, Event, EventKind};

    let app = TestApp::spawn().await;
    let coach = app.token(Role::Coach).await;
    let token = coach.bearer.clone().unwrap();
    let author = coach.get_ok("/api/me").await["id"].as_i64().unwrap();
    let location = coach_location(&app).await;
    let document_id = documents::find_or_create(app.db(), location as i32, next_tuesday())
        .await
        .unwrap();
    let mut writer = Phone::open(&app.url, &token, document_id).await;
    let mut silent = Phone::open(&app.url, &token, document_id).await;
    let client_id = DagstaatDoc::load(&writer.doc.save())
        .unwrap()
        .clients()
        .unwrap()[0]
        .client_id;

    // Three changes in quick succession: the first reaches the silent phone at once, the others
    // are held back until it answers, which it does not.
    for n in 0..3u16 {
        writer
            .send_change(|doc| {
                let mut day = DagstaatDoc::load(&doc.save()).unwrap();
                day.append(&Event {
                    id: format!("in-{n}"),
                    kind: EventKind::CheckIn {
                        client_id,
                        minute: 9 * 60 + n,
                    },
                    author,
                    recorded_at: "2026-11-24T09:00:00Z".into(),
                })
                .unwrap();
                doc.merge(day.automerge()).unwrap();
            })
            .await;
    }
    writer.settle().await;
    let messages = silent
        .listen_without_answering(Duration::from_secs(3))
        .await;
    let day = DagstaatDoc::load(&silent.doc.save()).unwrap();
    let ids: Vec<String> = day.events().unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), 3, "{ids:?} after {messages} messages");
    assert!(messages >= 1);
    assert_eq!(
        silent.doc.get_heads(),
        writer.doc.get_heads(),
        "both phones hold the same document"
    );
}

/// The attendance rows and occupancy cells of a day, as the projection wrote them, against the
/// fold of the stored document.
async fn assert_projection_is_the_fold(app: &TestApp, document_id: &DocumentId) {
    use dagstaat::attendance::projection::status_name;
    use dagstaat::occupancy::domain::day_cells;

    let stored = documents::load(app.db(), document_id)
        .await
        .unwrap()
        .unwrap();
    let state = stored.doc.state().unwrap();
    let mut folded: Vec<(i32, String, String, bool, Option<i16>)> = state
        .dagdelen
        .iter()
        .map(|e| {
            let from = e.present_from.map(|m| m as i16);
            let status = status_name(e.status).to_owned();
            (
                e.client_id as i32,
                e.dagdeel.as_str().to_owned(),
                status,
                e.expected,
                from,
            )
        })
        .collect();
    let mut rows: Vec<(i32, String, String, bool, Option<i16>)> = attendance::Entity::find()
        .filter(attendance::Column::LocationId.eq(stored.location_id))
        .filter(attendance::Column::Date.eq(stored.date))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.client_id, r.dagdeel, r.status, r.expected, r.present_from))
        .collect();
    folded.sort();
    rows.sort();
    assert_eq!(rows, folded, "attendance rows are the fold of the document");

    let cells: Vec<(String, i64, i64, i64)> = day_cells(&state.dagdelen)
        .into_iter()
        .map(|(dagdeel, c)| (dagdeel, c.planned, c.present, c.not_recorded))
        .collect();
    let stored_cells: Vec<(String, i64, i64, i64)> = occupancy_cell::Entity::find()
        .filter(occupancy_cell::Column::LocationId.eq(stored.location_id))
        .filter(occupancy_cell::Column::Date.eq(stored.date))
        .order_by_asc(occupancy_cell::Column::Dagdeel)
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|c| {
            let n = i64::from;
            (c.dagdeel, n(c.planned), n(c.present), n(c.not_recorded))
        })
        .collect();
    assert_eq!(stored_cells, cells, "occupancy cells count the fold");
}

#[tokio::test]
async fn attendance_rows_follow_the_open_document_and_change_in_place() {
    use sync::dagstaat::{DagstaatDoc, Event, EventKind};

    let app = TestApp::spawn().await;
    let coach = app.token(Role::Coach).await;
    let coordinator = app.login(Role::Coordinator).await;
    let author = coach.get_ok("/api/me").await["id"].as_i64().unwrap();
    let location = coach_location(&app).await;
    let date = next_tuesday();
    let document_id = documents::find_or_create(app.db(), location as i32, date)
        .await
        .unwrap();
    // The phone keeps the document open, so every commit updates the rows it changes.
    let mut phone = Phone::open(&app.url, coach.bearer.as_deref().unwrap(), document_id).await;
    let client_id = DagstaatDoc::load(&phone.doc.save())
        .unwrap()
        .clients()
        .unwrap()
        .into_iter()
        .find(|c| c.dagdelen.contains(&Dagdeel::Ochtend))
        .expect("someone expected in the morning")
        .client_id;
    let record = |kind: EventKind, n: u32| {
        move |doc: &mut automerge::AutoCommit| {
            let mut day = DagstaatDoc::load(&doc.save()).unwrap();
            let recorded_at = "2026-11-24T09:00:00Z".into();
            let id = format!("e-{n}");
            day.append(&Event {
                id,
                kind,
                author,
                recorded_at,
            })
            .unwrap();
            doc.merge(day.automerge()).unwrap();
        }
    };
    let row_id = || async {
        attendance::Entity::find()
            .filter(attendance::Column::LocationId.eq(location as i32))
            .filter(attendance::Column::Date.eq(date))
            .filter(attendance::Column::ClientId.eq(client_id as i32))
            .filter(attendance::Column::Dagdeel.eq("ochtend"))
            .one(app.db())
            .await
            .unwrap()
            .expect("the client's morning row")
    };

    phone
        .change(record(
            EventKind::CheckIn {
                client_id,
                minute: 9 * 60 + 5,
            },
            1,
        ))
        .await;
    assert_projection_is_the_fold(&app, &document_id).await;
    let checked_in = row_id().await;
    assert_eq!(checked_in.status, "present");
    phone
        .change(record(
            EventKind::CheckOut {
                client_id,
                minute: 12 * 60,
            },
            2,
        ))
        .await;
    assert_projection_is_the_fold(&app, &document_id).await;
    let checked_out = row_id().await;
    assert_eq!(checked_out.present_to, Some(12 * 60));
    assert_eq!(checked_out.id, checked_in.id, "the row changed in place");

    // A client scheduled in, then out again: their row comes and goes with the schedule.
    let newcomer = add_client(&coordinator, location, 41).await;
    let schedule = schedule_tuesday_mornings(&coordinator, newcomer, location, date).await;
    assert_projection_is_the_fold(&app, &document_id).await;
    let newcomer_rows = || async {
        attendance::Entity::find()
            .filter(attendance::Column::Date.eq(date))
            .filter(attendance::Column::ClientId.eq(newcomer as i32))
            .count(app.db())
            .await
            .unwrap()
    };
    assert_eq!(newcomer_rows().await, 1);
    remove_schedule(&coordinator, schedule).await;
    assert_projection_is_the_fold(&app, &document_id).await;
    assert_eq!(newcomer_rows().await, 0);
    phone.settle().await;
}
