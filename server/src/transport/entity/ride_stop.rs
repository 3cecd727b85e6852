use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ride_stops")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub route_run_id: i32,
    pub date: Date,
    pub client_id: i32,
    pub location_id: i32,
    pub kind: String,
    pub planned_minute: i32,
    pub status: String,
    pub status_minute: Option<i32>,
    pub recorded_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
