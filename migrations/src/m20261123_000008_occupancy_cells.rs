use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organisation_locations::Locations;
use crate::m20261123_000006_attendance::Attendance;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Occupancy per location x date x dagdeel, kept by the attendance projection in the same
/// transaction, so the dashboard reads a few thousand rows for a year instead of every attendance row.
#[derive(DeriveIden)]
pub enum OccupancyCells {
    Table,
    Id,
    LocationId,
    Date,
    Dagdeel,
    Planned,
    Present,
    Unexpected,
    NotRecorded,
    Ziek,
    Afgemeld,
    Onaangekondigd,
    NietThuis,
    Overig,
}

/// Fills the cells from the attendance rows; also used to rebuild them.
pub const REBUILD_SQL: &str = "INSERT INTO occupancy_cells (location_id, date, dagdeel, planned, present, \
     unexpected, not_recorded, ziek, afgemeld, onaangekondigd, niet_thuis, overig) \
     SELECT location_id, date, dagdeel, \
     SUM(CASE WHEN expected THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status IN ('present', 'unexpected') THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'unexpected' THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'expected' THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'no_show' AND no_show_reason = 'ziek' THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'no_show' AND no_show_reason = 'afgemeld' THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'no_show' AND no_show_reason = 'onaangekondigd' THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'no_show' AND no_show_reason = 'niet_thuis' THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'no_show' AND (no_show_reason IS NULL OR no_show_reason NOT IN \
     ('ziek', 'afgemeld', 'onaangekondigd', 'niet_thuis')) THEN 1 ELSE 0 END) \
     FROM attendance GROUP BY location_id, date, dagdeel";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let counts = [
            OccupancyCells::Planned,
            OccupancyCells::Present,
            OccupancyCells::Unexpected,
            OccupancyCells::NotRecorded,
            OccupancyCells::Ziek,
            OccupancyCells::Afgemeld,
            OccupancyCells::Onaangekondigd,
            OccupancyCells::NietThuis,
            OccupancyCells::Overig,
        ];
        let mut table = Table::create();
        table
            .table(OccupancyCells::Table)
            .col(big_pk_auto(OccupancyCells::Id))
            .col(integer(OccupancyCells::LocationId))
            .col(date(OccupancyCells::Date))
            .col(string_len(OccupancyCells::Dagdeel, 16));
        for column in counts {
            table.col(integer(column));
        }
        manager
            .create_table(
                table
                    .foreign_key(
                        ForeignKey::create()
                            .from(OccupancyCells::Table, OccupancyCells::LocationId)
                            .to(Locations::Table, Locations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(OccupancyCells::LocationId)
                            .col(OccupancyCells::Date)
                            .col(OccupancyCells::Dagdeel),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(REBUILD_SQL)
            .await?;
        // No-show rates per client read attendance by location and date; this index covers them.
        manager
            .create_index(
                Index::create()
                    .name("idx_attendance_client_rates")
                    .table(Attendance::Table)
                    .col(Attendance::LocationId)
                    .col(Attendance::Date)
                    .col(Attendance::Expected)
                    .col(Attendance::ClientId)
                    .col(Attendance::Status)
                    .col(Attendance::NoShowReason)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_attendance_client_rates")
                    .table(Attendance::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(OccupancyCells::Table).to_owned())
            .await
    }
}
