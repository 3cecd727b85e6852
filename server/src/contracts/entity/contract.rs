use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipality_id: i32,
    pub name: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    /// Billing rules (JSON object), interpreted by the billing capability.
    #[sea_orm(column_type = "Text")]
    pub rules: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
