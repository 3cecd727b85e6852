use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organisation_locations::Locations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Vehicles {
    Table,
    Id,
    LocationId,
    Name,
    LicensePlate,
    Seats,
    WheelchairPlaces,
    Active,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Vehicles::Table)
                    .col(pk_auto(Vehicles::Id))
                    .col(integer(Vehicles::LocationId))
                    .col(string_len(Vehicles::Name, 100))
                    .col(string_len(Vehicles::LicensePlate, 12))
                    .col(integer(Vehicles::Seats))
                    .col(integer(Vehicles::WheelchairPlaces))
                    .col(boolean(Vehicles::Active).default(true))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Vehicles::Table, Vehicles::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Vehicles::Table).to_owned())
            .await
    }
}
