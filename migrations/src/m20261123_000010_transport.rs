use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organisation_locations::Locations;
use crate::m20261123_000003_clients_allocations_schedules::Clients;
use crate::m20261123_000004_vehicles::Vehicles;
use crate::m20261123_000005_users_sessions::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The organisation's transport settings (one row; JSON of `routing::day::Settings`).
#[derive(DeriveIden)]
pub enum TransportSettings {
    Table,
    Id,
    Settings,
    UpdatedAt,
}

/// A planning of one direction (inbound / outbound) of one date for some locations.
#[derive(DeriveIden)]
pub enum TransportPlans {
    Table,
    Id,
    Date,
    /// inbound | outbound
    Direction,
    /// JSON array of location ids.
    LocationIds,
    /// running | done | failed | published
    Status,
    Seed,
    TimeBudgetSeconds,
    /// 0..1 while running.
    Progress,
    /// JSON: the routing problem, who each request and vehicle is, the plan, locked routes.
    Data,
    Error,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
}

/// A published route of one vehicle: the driver's run, synced as an automerge document.
#[derive(DeriveIden)]
pub enum RouteRuns {
    Table,
    Id,
    PlanId,
    VehicleId,
    DriverUserId,
    Date,
    Direction,
    DocumentId,
    Snapshot,
    UpdatedAt,
}

/// Projection of route-run documents: each stop's status, for finance and the coach screen.
#[derive(DeriveIden)]
pub enum RideStops {
    Table,
    Id,
    RouteRunId,
    Date,
    ClientId,
    LocationId,
    /// pickup | dropoff
    Kind,
    PlannedMinute,
    /// planned | picked_up | not_home | delivered | cancelled
    Status,
    StatusMinute,
    RecordedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TransportSettings::Table)
                    .col(pk_auto(TransportSettings::Id))
                    .col(text(TransportSettings::Settings))
                    .col(timestamp_with_time_zone(TransportSettings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TransportPlans::Table)
                    .col(pk_auto(TransportPlans::Id))
                    .col(date(TransportPlans::Date))
                    .col(string_len(TransportPlans::Direction, 16))
                    .col(string_len(TransportPlans::LocationIds, 200))
                    .col(string_len(TransportPlans::Status, 16))
                    .col(big_integer(TransportPlans::Seed))
                    .col(integer(TransportPlans::TimeBudgetSeconds))
                    .col(double(TransportPlans::Progress))
                    .col(text_null(TransportPlans::Data))
                    .col(text_null(TransportPlans::Error))
                    .col(integer(TransportPlans::CreatedBy))
                    .col(timestamp_with_time_zone(TransportPlans::CreatedAt))
                    .col(timestamp_with_time_zone(TransportPlans::UpdatedAt))
                    .col(timestamp_with_time_zone_null(TransportPlans::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TransportPlans::Table, TransportPlans::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_transport_plans_date")
                    .table(TransportPlans::Table)
                    .col(TransportPlans::Date)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RouteRuns::Table)
                    .col(pk_auto(RouteRuns::Id))
                    .col(integer(RouteRuns::PlanId))
                    .col(integer(RouteRuns::VehicleId))
                    .col(integer_null(RouteRuns::DriverUserId))
                    .col(date(RouteRuns::Date))
                    .col(string_len(RouteRuns::Direction, 16))
                    .col(string_len(RouteRuns::DocumentId, 64).unique_key())
                    .col(blob(RouteRuns::Snapshot))
                    .col(timestamp_with_time_zone(RouteRuns::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RouteRuns::Table, RouteRuns::PlanId)
                            .to(TransportPlans::Table, TransportPlans::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RouteRuns::Table, RouteRuns::VehicleId)
                            .to(Vehicles::Table, Vehicles::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RouteRuns::Table, RouteRuns::DriverUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_route_runs_date")
                    .table(RouteRuns::Table)
                    .col(RouteRuns::Date)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RideStops::Table)
                    .col(big_pk_auto(RideStops::Id))
                    .col(integer(RideStops::RouteRunId))
                    .col(date(RideStops::Date))
                    .col(integer(RideStops::ClientId))
                    .col(integer(RideStops::LocationId))
                    .col(string_len(RideStops::Kind, 16))
                    .col(integer(RideStops::PlannedMinute))
                    .col(string_len(RideStops::Status, 16))
                    .col(integer_null(RideStops::StatusMinute))
                    .col(integer_null(RideStops::RecordedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RideStops::Table, RideStops::RouteRunId)
                            .to(RouteRuns::Table, RouteRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RideStops::Table, RideStops::ClientId)
                            .to(Clients::Table, Clients::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RideStops::Table, RideStops::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ride_stops_client_date")
                    .table(RideStops::Table)
                    .col(RideStops::ClientId)
                    .col(RideStops::Date)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RideStops::Table.into_iden(),
            RouteRuns::Table.into_iden(),
            TransportPlans::Table.into_iden(),
            TransportSettings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
