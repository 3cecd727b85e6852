use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The commit counter of a stored document. Every commit of a document raises it, under the row
/// lock, so a server instance whose copy in memory is behind (another instance committed since)
/// finds out in its own commit and merges the stored document first.
#[derive(DeriveIden)]
enum Version {
    Version,
}

#[derive(DeriveIden)]
enum DagstaatDocuments {
    Table,
}

#[derive(DeriveIden)]
enum RouteRuns {
    Table,
}

fn tables() -> [DynIden; 2] {
    [
        DagstaatDocuments::Table.into_iden(),
        RouteRuns::Table.into_iden(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One statement per table: SQLite alters one thing at a time.
        for table in tables() {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(big_integer(Version::Version).default(0))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(Version::Version)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
