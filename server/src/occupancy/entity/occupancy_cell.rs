use sea_orm::entity::prelude::*;

/// Counts of one location x date x dagdeel, kept by the attendance projection.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "occupancy_cells")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i32,
    pub date: Date,
    pub dagdeel: String,
    pub planned: i32,
    pub present: i32,
    pub unexpected: i32,
    pub not_recorded: i32,
    pub ziek: i32,
    pub afgemeld: i32,
    pub onaangekondigd: i32,
    pub niet_thuis: i32,
    pub overig: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
