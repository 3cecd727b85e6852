use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The commit counter of each stored document (dagstaat or route run). Every commit raises it
/// under its row lock, so a server instance whose copy in memory is behind (another instance
/// committed since) finds out in its own commit and merges the stored document first. A table of
/// its own: raising a counter in the documents' rows would rewrite their snapshots every time.
#[derive(DeriveIden)]
pub enum DocumentVersions {
    Table,
    DocumentId,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DocumentVersions::Table)
                    .col(string_len(DocumentVersions::DocumentId, 40).primary_key())
                    .col(big_integer(DocumentVersions::Version))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DocumentVersions::Table).to_owned())
            .await
    }
}
