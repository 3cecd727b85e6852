//! Database connection for both engines, and the schema migrations.
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file).parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                DbErr::Custom(format!("cannot create directory {}: {e}", dir.display()))
            })?;
        }
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .max_connections(if url.starts_with("sqlite") { 8 } else { 20 })
        // On every pooled connection (a PRAGMA run once reaches only one of them): WAL lets readers
        // continue while a writer commits, and NORMAL sync is durable in WAL mode (a commit survives
        // a process crash; only an OS crash can lose the last commits).
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(options).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
