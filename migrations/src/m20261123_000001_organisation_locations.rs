use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Organisation {
    Table,
    Id,
    Name,
    AgbCode,
    ContactEmail,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Locations {
    Table,
    Id,
    Name,
    Street,
    HouseNumber,
    Postcode,
    City,
    Lat,
    Lon,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum LocationDagdelen {
    Table,
    Id,
    LocationId,
    Dagdeel,
    StartMinute,
    EndMinute,
    Capacity,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(pk_auto(Organisation::Id))
                    .col(string_len(Organisation::Name, 200))
                    .col(string_len(Organisation::AgbCode, 8))
                    .col(string_len(Organisation::ContactEmail, 200))
                    .col(timestamp_with_time_zone(Organisation::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Locations::Table)
                    .col(pk_auto(Locations::Id))
                    .col(string_len(Locations::Name, 200))
                    .col(string_len(Locations::Street, 200))
                    .col(string_len(Locations::HouseNumber, 20))
                    .col(string_len(Locations::Postcode, 7))
                    .col(string_len(Locations::City, 100))
                    .col(double(Locations::Lat))
                    .col(double(Locations::Lon))
                    .col(boolean(Locations::Active).default(true))
                    .col(timestamp_with_time_zone(Locations::CreatedAt))
                    .col(timestamp_with_time_zone(Locations::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LocationDagdelen::Table)
                    .col(pk_auto(LocationDagdelen::Id))
                    .col(integer(LocationDagdelen::LocationId))
                    .col(string_len(LocationDagdelen::Dagdeel, 16))
                    .col(integer(LocationDagdelen::StartMinute))
                    .col(integer(LocationDagdelen::EndMinute))
                    .col(integer(LocationDagdelen::Capacity))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LocationDagdelen::Table, LocationDagdelen::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(LocationDagdelen::LocationId)
                            .col(LocationDagdelen::Dagdeel),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LocationDagdelen::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Locations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Organisation::Table).to_owned())
            .await
    }
}
