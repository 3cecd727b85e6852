use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000005_users_sessions::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The server's VAPID key pair, generated at first start and shared by every instance.
#[derive(DeriveIden)]
pub enum VapidKeys {
    Table,
    Id,
    /// The P-256 private scalar, base64url.
    PrivateKey,
    /// The uncompressed public point, base64url (the PWA's applicationServerKey).
    PublicKey,
    CreatedAt,
}

/// A browser's push subscription, owned by the user who gave consent on it.
#[derive(DeriveIden)]
pub enum PushSubscriptions {
    Table,
    Id,
    UserId,
    Endpoint,
    P256dh,
    Auth,
    CreatedAt,
}

/// Notifications already sent for an event, so an hourly check does not repeat itself.
#[derive(DeriveIden)]
pub enum PushLog {
    Table,
    Id,
    /// e.g. `capacity:3:2026-11-24:ochtend` or `expiring:41`.
    EventKey,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(VapidKeys::Table)
                    .col(pk_auto(VapidKeys::Id))
                    .col(string_len(VapidKeys::PrivateKey, 64))
                    .col(string_len(VapidKeys::PublicKey, 100))
                    .col(timestamp_with_time_zone(VapidKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PushSubscriptions::Table)
                    .col(pk_auto(PushSubscriptions::Id))
                    .col(integer(PushSubscriptions::UserId))
                    .col(string_len(PushSubscriptions::Endpoint, 1000).unique_key())
                    .col(string_len(PushSubscriptions::P256dh, 200))
                    .col(string_len(PushSubscriptions::Auth, 100))
                    .col(timestamp_with_time_zone(PushSubscriptions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PushSubscriptions::Table, PushSubscriptions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PushLog::Table)
                    .col(big_pk_auto(PushLog::Id))
                    .col(string_len(PushLog::EventKey, 200).unique_key())
                    .col(timestamp_with_time_zone(PushLog::SentAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PushLog::Table.into_iden(),
            PushSubscriptions::Table.into_iden(),
            VapidKeys::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
