//! Dagstaat documents follow the schedules: prepared ahead, refreshed when a schedule changes.
use std::time::Duration;

use dagstaat::attendance::documents;
use dagstaat::attendance::entity::dagstaat_document;
use dagstaat::auth::Role;
use dagstaat::startup::PREPARED_DAYS;
use reqwest::{Method, StatusCode};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use sync::Dagdeel;

use crate::helpers::{TestApp, client_body, coach_location, next_tuesday};
use crate::phone::Phone;

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

    let client = coordinator
        .expect(
            Method::POST,
            "/api/clients",
            Some(&client_body(location, 40)),
            StatusCode::OK,
        )
        .await["id"]
        .as_i64()
        .unwrap();
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

    let schedule = coordinator
        .expect(
            Method::POST,
            "/api/schedules",
            Some(&json!({"client_id": client, "location_id": location, "weekday": 2, "dagdeel": "ochtend", "valid_from": date})),
            StatusCode::OK,
        )
        .await["id"]
        .as_i64()
        .unwrap();
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

    coordinator
        .expect(
            Method::DELETE,
            &format!("/api/schedules/{schedule}"),
            None,
            StatusCode::OK,
        )
        .await;
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
    let url = format!("{}/sync?token={token}", app.url.replacen("http", "ws", 1));
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
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
