use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The location the client is registered at; decides which coaches and coordinators see them.
    pub location_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub bsn: String,
    pub birth_date: Date,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub phone: String,
    pub wheelchair: bool,
    pub walker: bool,
    pub escort: bool,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
