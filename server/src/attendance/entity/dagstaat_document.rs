use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dagstaat_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: String,
    pub location_id: i32,
    pub date: Date,
    pub snapshot: Vec<u8>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
