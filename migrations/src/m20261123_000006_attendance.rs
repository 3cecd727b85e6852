use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organisation_locations::Locations;
use crate::m20261123_000005_users_sessions::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One automerge document per location per date: a snapshot plus the changes since.
#[derive(DeriveIden)]
pub enum DagstaatDocuments {
    Table,
    Id,
    /// The automerge-repo document id (base58check), as phones ask for it.
    DocumentId,
    LocationId,
    Date,
    Snapshot,
    UpdatedAt,
}

/// Changes accepted since the snapshot, in order; folded into the snapshot on compaction.
#[derive(DeriveIden)]
pub enum DocumentChunks {
    Table,
    Id,
    DocumentId,
    Bytes,
    CreatedAt,
}

/// Who sent each accepted change, as the server authenticated them, and when it arrived.
#[derive(DeriveIden)]
pub enum ChangeAudit {
    Table,
    Id,
    DocumentId,
    ChangeHash,
    UserId,
    /// The automerge-repo peer id of the device's connection.
    Device,
    ReceivedAt,
}

/// The projection of each dagstaat for occupancy and billing: one row per client x dagdeel.
#[derive(DeriveIden)]
pub enum Attendance {
    Table,
    Id,
    LocationId,
    Date,
    ClientId,
    Dagdeel,
    Status,
    Expected,
    PresentFrom,
    PresentTo,
    MinutesPresent,
    NoShowReason,
    NoShowNote,
    RecordedBy,
    Conflict,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DagstaatDocuments::Table)
                    .col(pk_auto(DagstaatDocuments::Id))
                    .col(string_len(DagstaatDocuments::DocumentId, 40).unique_key())
                    .col(integer(DagstaatDocuments::LocationId))
                    .col(date(DagstaatDocuments::Date))
                    .col(blob(DagstaatDocuments::Snapshot))
                    .col(timestamp_with_time_zone(DagstaatDocuments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DagstaatDocuments::Table, DagstaatDocuments::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(DagstaatDocuments::LocationId)
                            .col(DagstaatDocuments::Date),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentChunks::Table)
                    .col(big_pk_auto(DocumentChunks::Id))
                    .col(string_len(DocumentChunks::DocumentId, 40))
                    .col(blob(DocumentChunks::Bytes))
                    .col(timestamp_with_time_zone(DocumentChunks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentChunks::Table, DocumentChunks::DocumentId)
                            .to(DagstaatDocuments::Table, DagstaatDocuments::DocumentId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_chunks_document")
                    .table(DocumentChunks::Table)
                    .col(DocumentChunks::DocumentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChangeAudit::Table)
                    .col(big_pk_auto(ChangeAudit::Id))
                    .col(string_len(ChangeAudit::DocumentId, 40))
                    .col(string_len(ChangeAudit::ChangeHash, 64))
                    .col(integer(ChangeAudit::UserId))
                    .col(string_len(ChangeAudit::Device, 100))
                    .col(timestamp_with_time_zone(ChangeAudit::ReceivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChangeAudit::Table, ChangeAudit::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(ChangeAudit::DocumentId)
                            .col(ChangeAudit::ChangeHash),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .col(big_pk_auto(Attendance::Id))
                    .col(integer(Attendance::LocationId))
                    .col(date(Attendance::Date))
                    .col(integer(Attendance::ClientId))
                    .col(string_len(Attendance::Dagdeel, 16))
                    .col(string_len(Attendance::Status, 16))
                    .col(boolean(Attendance::Expected))
                    .col(small_integer_null(Attendance::PresentFrom))
                    .col(small_integer_null(Attendance::PresentTo))
                    .col(small_integer(Attendance::MinutesPresent))
                    .col(string_len_null(Attendance::NoShowReason, 20))
                    .col(string_len_null(Attendance::NoShowNote, 500))
                    .col(integer_null(Attendance::RecordedBy))
                    .col(boolean(Attendance::Conflict))
                    .col(timestamp_with_time_zone(Attendance::UpdatedAt))
                    .index(
                        Index::create()
                            .unique()
                            .col(Attendance::LocationId)
                            .col(Attendance::Date)
                            .col(Attendance::ClientId)
                            .col(Attendance::Dagdeel),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attendance_client_date")
                    .table(Attendance::Table)
                    .col(Attendance::ClientId)
                    .col(Attendance::Date)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Attendance::Table.into_iden(),
            ChangeAudit::Table.into_iden(),
            DocumentChunks::Table.into_iden(),
            DagstaatDocuments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
