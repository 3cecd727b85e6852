use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "declaration_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub declaration_id: i64,
    pub reference: String,
    pub allocation_id: i32,
    pub client_id: i32,
    pub corrects_line_id: Option<i64>,
    pub debit: bool,
    pub product_category: String,
    pub product_code: String,
    pub unit_code: String,
    pub period_start: Date,
    pub period_end: Date,
    pub volume: i64,
    pub tariff_cents: Option<i64>,
    pub amount_cents: i64,
    pub status: String,
    pub rejection_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub explanation: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
