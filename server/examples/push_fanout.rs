//! Push fan-out benchmark (issue 6): one notification to 1,000 subscriptions, each encrypted and
//! VAPID-signed separately and POSTed to a push service on this machine that answers 201.
//!
//! `push_fanout [subscriptions]`; `tests/bench/push/run.sh` runs it. The push service shares the
//! two cores with the sender, so the numbers are a lower bound for a real deployment.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::Utc;
use dagstaat::push::domain::{Kind, Notification};
use dagstaat::push::entity::push_subscription;
use dagstaat::push::sender::PushService;
use dagstaat::{db, demo};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{EndpointExt, Route, handler, http::StatusCode, web::Data};
use sea_orm::{EntityTrait, Set};

/// The P-256 generator point: a valid browser key (nobody decrypts in this benchmark).
const P256DH: &str =
    "BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU";
const AUTH: &str = "AAECAwQFBgcICQoLDA0ODw";

#[handler]
fn accept(_body: Vec<u8>, count: Data<&Arc<AtomicUsize>>) -> StatusCode {
    count.fetch_add(1, Ordering::Relaxed);
    StatusCode::CREATED
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let subscriptions: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1_000);
    let dir = tempfile::tempdir()?;
    let database = db::connect(&format!(
        "sqlite://{}/push.sqlite?mode=rwc",
        dir.path().display()
    ))
    .await?;
    db::migrate(&database).await?;
    demo::load(&database, Some("bench-password".into())).await?;

    let received = Arc::new(AtomicUsize::new(0));
    let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await?;
    let addr = acceptor.local_addr()[0]
        .as_socket_addr()
        .copied()
        .ok_or("no address")?;
    let app = Route::new()
        .at("/*path", poem::post(accept))
        .data(received.clone());
    tokio::spawn(async move { poem::Server::new_with_acceptor(acceptor).run(app).await });

    let rows: Vec<push_subscription::ActiveModel> = (0..subscriptions)
        .map(|n| push_subscription::ActiveModel {
            user_id: Set(1),
            endpoint: Set(format!("http://{addr}/push/{n}")),
            p256dh: Set(P256DH.into()),
            auth: Set(AUTH.into()),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        push_subscription::Entity::insert_many(chunk.to_vec())
            .exec(&database)
            .await?;
    }
    let push = PushService::load_or_create(database.clone()).await?;
    let notification = Notification {
        kind: Kind::CapacityExceeded,
        title: "Morgen vol: Zorgboerderij De Hooiberg".into(),
        body: "ochtend 24-11: 18 gepland voor 16 plaatsen.".into(),
        url: "#/occupancy".into(),
        tag: "capacity-1".into(),
    };
    for run in 1..=3 {
        received.store(0, Ordering::Relaxed);
        let started = Instant::now();
        let report = push.notify_users(&[1], &notification).await?;
        println!(
            "run {run}: {} notifications in {:.0} ms ({} delivered, {} expired, {} failed; service received {})",
            subscriptions,
            started.elapsed().as_secs_f64() * 1000.0,
            report.delivered,
            report.expired,
            report.failed,
            received.load(Ordering::Relaxed)
        );
    }
    Ok(())
}
