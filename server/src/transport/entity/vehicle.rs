use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vehicles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The location the vehicle is based at.
    pub location_id: i32,
    pub name: String,
    pub license_plate: String,
    /// Seated passengers, excluding the driver.
    pub seats: i32,
    pub wheelchair_places: i32,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
