use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i32,
    pub date: Date,
    pub client_id: i32,
    pub dagdeel: String,
    pub status: String,
    pub expected: bool,
    pub present_from: Option<i16>,
    pub present_to: Option<i16>,
    pub minutes_present: i16,
    pub no_show_reason: Option<String>,
    pub no_show_note: Option<String>,
    pub recorded_by: Option<i32>,
    pub conflict: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
