//! Several server instances on one PostgreSQL database: each hears the others' commits of
//! documents (dagstaat and route runs) and brings its open copies and their phones up to date.
//! Correctness does not depend on it (every commit checks the stored commit counter and merges);
//! it makes phones on different instances see each other's changes within moments.
use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use sea_orm::sqlx::postgres::PgListener;
use sync::protocol::DocumentId;

use super::documents::COMMITTED_CHANNEL;
use super::hub::Hub;

/// Listens for the other instances' commits, while the server runs (PostgreSQL only).
pub fn spawn(db: &DatabaseConnection, hub: Arc<Hub>) {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    tokio::spawn(async move {
        loop {
            match listen(&pool, &hub).await {
                Ok(()) => tracing::warn!("lost the connection for commit notices; listening anew"),
                Err(e) => {
                    tracing::warn!(error = %e, "listening for commit notices failed; retrying")
                }
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn listen(pool: &sea_orm::sqlx::PgPool, hub: &Hub) -> Result<(), sea_orm::sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(COMMITTED_CHANNEL).await?;
    // Commits made before this listener started.
    hub.catch_up_all().await;
    loop {
        match listener.try_recv().await? {
            Some(notification) => {
                let Some((document_id, version, origin)) = parse(notification.payload()) else {
                    tracing::warn!(payload = notification.payload(), "unreadable commit notice");
                    continue;
                };
                if origin == hub.peer_id {
                    continue;
                }
                if let Err(e) = hub.catch_up(&document_id, Some(version)).await {
                    tracing::error!(%document_id, error = %e, "document not caught up");
                }
            }
            // The connection was lost: listen anew, then catch up on what was missed.
            None => return Ok(()),
        }
    }
}

/// `"<document id> <version> <instance>"`, as `documents::announce_commit` writes it.
fn parse(payload: &str) -> Option<(DocumentId, i64, &str)> {
    let mut parts = payload.splitn(3, ' ');
    let id = parts.next()?.parse().ok()?;
    let version = parts.next()?.parse().ok()?;
    Some((id, version, parts.next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_the_document_and_its_version() {
        let id = crate::attendance::documents::new_document_id();
        assert_eq!(
            parse(&format!("{id} 42 dagstaat-server-1")),
            Some((id, 42, "dagstaat-server-1"))
        );
        assert_eq!(parse(&format!("{id} 42")), None);
        assert_eq!(parse(&format!("{id} x dagstaat-server-1")), None);
        assert_eq!(parse("nonsense 1 dagstaat-server-1"), None);
    }
}
