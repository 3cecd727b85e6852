use sea_orm::entity::prelude::*;

/// One dagdeel a location offers: its local time window and how many clients fit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "location_dagdelen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub location_id: i32,
    pub dagdeel: String,
    pub start_minute: i32,
    pub end_minute: i32,
    pub capacity: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
