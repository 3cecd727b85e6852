use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declarations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub municipality_id: i32,
    pub month: Date,
    pub declaration_date: Date,
    pub total_cents: i64,
    #[sea_orm(column_type = "Text")]
    pub xml: String,
    #[sea_orm(column_type = "Text")]
    pub csv: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
