use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "allocations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub client_id: i32,
    pub municipality_id: i32,
    /// ToewijzingNummer from the municipality's WMO301 message.
    pub allocation_number: i64,
    pub product_category: String,
    pub product_code: String,
    pub unit_code: String,
    pub volume: i32,
    /// iWmo LDT_Frequentie code: 1 per dag, 2 per week, 4 per maand, 6 totaal.
    pub frequency: String,
    pub budget_cents: Option<i64>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
