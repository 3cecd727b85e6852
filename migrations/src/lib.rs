//! Schema migrations, one file per migration, identical on SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

/// SQL that rebuilds the occupancy cells from the attendance rows (after a bulk load).
pub use m20261123_000008_occupancy_cells::REBUILD_SQL as REBUILD_OCCUPANCY_SQL;

mod m20261123_000001_organisation_locations;
mod m20261123_000002_municipalities_contracts;
mod m20261123_000003_clients_allocations_schedules;
mod m20261123_000004_vehicles;
mod m20261123_000005_users_sessions;
mod m20261123_000006_attendance;
mod m20261123_000007_declarations;
mod m20261123_000008_occupancy_cells;
mod m20261123_000009_push;
mod m20261123_000010_transport;
mod m20261124_000011_document_versions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_organisation_locations::Migration),
            Box::new(m20261123_000002_municipalities_contracts::Migration),
            Box::new(m20261123_000003_clients_allocations_schedules::Migration),
            Box::new(m20261123_000004_vehicles::Migration),
            Box::new(m20261123_000005_users_sessions::Migration),
            Box::new(m20261123_000006_attendance::Migration),
            Box::new(m20261123_000007_declarations::Migration),
            Box::new(m20261123_000008_occupancy_cells::Migration),
            Box::new(m20261123_000009_push::Migration),
            Box::new(m20261123_000010_transport::Migration),
            Box::new(m20261124_000011_document_versions::Migration),
        ]
    }
}
