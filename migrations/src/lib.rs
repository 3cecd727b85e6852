//! Schema migrations, one file per migration, identical on SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod m20261123_000001_organisation_locations;
mod m20261123_000002_municipalities_contracts;
mod m20261123_000003_clients_allocations_schedules;
mod m20261123_000004_vehicles;
mod m20261123_000005_users_sessions;
mod m20261123_000006_attendance;
mod m20261123_000007_declarations;

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
        ]
    }
}
