use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organisation_locations::Locations;
use crate::m20261123_000002_municipalities_contracts::Municipalities;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Clients {
    Table,
    Id,
    LocationId,
    FirstName,
    LastName,
    Bsn,
    BirthDate,
    Street,
    HouseNumber,
    Postcode,
    City,
    Lat,
    Lon,
    Phone,
    Wheelchair,
    Walker,
    Escort,
    EmergencyContactName,
    EmergencyContactPhone,
    Active,
    CreatedAt,
    UpdatedAt,
}

/// Toewijzingen: the municipality's allocation of one product to one client.
#[derive(DeriveIden)]
pub enum Allocations {
    Table,
    Id,
    ClientId,
    MunicipalityId,
    AllocationNumber,
    ProductCategory,
    ProductCode,
    UnitCode,
    Volume,
    Frequency,
    BudgetCents,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
pub enum Schedules {
    Table,
    Id,
    ClientId,
    LocationId,
    Weekday,
    Dagdeel,
    ValidFrom,
    ValidTo,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Clients::Table)
                    .col(pk_auto(Clients::Id))
                    .col(integer(Clients::LocationId))
                    .col(string_len(Clients::FirstName, 100))
                    .col(string_len(Clients::LastName, 100))
                    .col(string_len(Clients::Bsn, 9).unique_key())
                    .col(date(Clients::BirthDate))
                    .col(string_len(Clients::Street, 200))
                    .col(string_len(Clients::HouseNumber, 20))
                    .col(string_len(Clients::Postcode, 7))
                    .col(string_len(Clients::City, 100))
                    .col(double(Clients::Lat))
                    .col(double(Clients::Lon))
                    .col(string_len(Clients::Phone, 30))
                    .col(boolean(Clients::Wheelchair))
                    .col(boolean(Clients::Walker))
                    .col(boolean(Clients::Escort))
                    .col(string_len(Clients::EmergencyContactName, 200))
                    .col(string_len(Clients::EmergencyContactPhone, 30))
                    .col(boolean(Clients::Active).default(true))
                    .col(timestamp_with_time_zone(Clients::CreatedAt))
                    .col(timestamp_with_time_zone(Clients::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Clients::Table, Clients::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_clients_location")
                    .table(Clients::Table)
                    .col(Clients::LocationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Allocations::Table)
                    .col(pk_auto(Allocations::Id))
                    .col(integer(Allocations::ClientId))
                    .col(integer(Allocations::MunicipalityId))
                    .col(big_integer(Allocations::AllocationNumber))
                    .col(string_len(Allocations::ProductCategory, 2))
                    .col(string_len(Allocations::ProductCode, 5))
                    .col(string_len(Allocations::UnitCode, 2))
                    .col(integer(Allocations::Volume))
                    .col(string_len(Allocations::Frequency, 1))
                    .col(big_integer_null(Allocations::BudgetCents))
                    .col(date(Allocations::ValidFrom))
                    .col(date_null(Allocations::ValidTo))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Allocations::Table, Allocations::ClientId)
                            .to(Clients::Table, Clients::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Allocations::Table, Allocations::MunicipalityId)
                            .to(Municipalities::Table, Municipalities::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(Allocations::MunicipalityId)
                            .col(Allocations::AllocationNumber),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_allocations_client")
                    .table(Allocations::Table)
                    .col(Allocations::ClientId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Schedules::Table)
                    .col(pk_auto(Schedules::Id))
                    .col(integer(Schedules::ClientId))
                    .col(integer(Schedules::LocationId))
                    .col(small_integer(Schedules::Weekday))
                    .col(string_len(Schedules::Dagdeel, 16))
                    .col(date(Schedules::ValidFrom))
                    .col(date_null(Schedules::ValidTo))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Schedules::Table, Schedules::ClientId)
                            .to(Clients::Table, Clients::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Schedules::Table, Schedules::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_schedules_location_weekday")
                    .table(Schedules::Table)
                    .col(Schedules::LocationId)
                    .col(Schedules::Weekday)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Schedules::Table.into_iden(),
            Allocations::Table.into_iden(),
            Clients::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
