//! Offset pagination shared by every list endpoint.
use poem_openapi::Object;
use poem_openapi::types::{ParseFromJSON, ToJSON};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;

#[derive(Debug, Clone, Copy)]
pub struct PageParams {
    pub limit: u64,
    pub offset: u64,
}

impl PageParams {
    pub fn new(limit: Option<u64>, offset: Option<u64>) -> PageParams {
        PageParams {
            limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            offset: offset.unwrap_or(0),
        }
    }
}

/// One page of a list, with the total number of matching items.
#[derive(Debug, Object)]
pub struct Page<T: ParseFromJSON + ToJSON> {
    pub items: Vec<T>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

impl<T: ParseFromJSON + ToJSON> Page<T> {
    pub fn new(items: Vec<T>, total: u64, params: PageParams) -> Self {
        Page {
            items,
            total,
            limit: params.limit,
            offset: params.offset,
        }
    }
}

/// Runs `select` for one page and counts all matches.
pub async fn fetch_page<E>(
    select: sea_orm::Select<E>,
    db: &impl sea_orm::ConnectionTrait,
    params: PageParams,
) -> Result<(Vec<E::Model>, u64), sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::{PaginatorTrait, QuerySelect};
    let total = select.clone().count(db).await?;
    let items = select
        .limit(params.limit)
        .offset(params.offset)
        .all(db)
        .await?;
    Ok((items, total))
}

/// Loads one row by id or answers 404 naming `what`.
pub async fn find_or_404<E>(
    db: &impl sea_orm::ConnectionTrait,
    id: i32,
    what: &'static str,
) -> Result<E::Model, crate::http::ApiError>
where
    E: sea_orm::EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    E::find_by_id(id)
        .one(db)
        .await?
        .ok_or(crate::http::ApiError::NotFound(what))
}
