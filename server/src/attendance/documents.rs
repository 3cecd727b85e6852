//! Storage of dagstaat documents: a snapshot plus the accepted changes since, compacted now and then.
use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use sync::Dagdeel;
use sync::dagstaat::{DagstaatDoc, DagstaatHeader, ExpectedClient};
use sync::protocol::DocumentId;

use super::entity::{dagstaat_document, document_chunk};
use crate::clients::entity::client;
use crate::http::{ApiError, ApiResult};
use crate::organisation::api::{dagdeel_setting, dagdelen_of};
use crate::schedules::api::expected_day;

/// After this many chunks a document is rewritten as one snapshot.
pub const COMPACT_AFTER_CHUNKS: u64 = 64;

pub struct StoredDoc {
    pub document_id: DocumentId,
    pub location_id: i32,
    pub date: NaiveDate,
    pub doc: DagstaatDoc,
    /// The commit counter, read before the snapshot and chunks (which may hold more).
    pub version: i64,
}

pub(crate) fn new_document_id() -> DocumentId {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    DocumentId::from_bytes(bytes)
}

/// The dagstaat of a location on a date, created from the schedules if it does not exist yet.
pub async fn find_or_create(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
) -> ApiResult<DocumentId> {
    if let Some(id) = find(db, location_id, date).await? {
        return Ok(id);
    }
    let mut doc = build(db, location_id, date).await?;
    let document_id = new_document_id();
    let inserted = dagstaat_document::ActiveModel {
        document_id: Set(document_id.to_string()),
        location_id: Set(location_id),
        date: Set(date),
        snapshot: Set(doc.save()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(document_id),
        // Someone else created it at the same moment: use theirs.
        Err(e) => match find(db, location_id, date).await? {
            Some(id) => Ok(id),
            None => Err(e.into()),
        },
    }
}

async fn find(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
) -> ApiResult<Option<DocumentId>> {
    let row = dagstaat_document::Entity::find()
        .filter(dagstaat_document::Column::LocationId.eq(location_id))
        .filter(dagstaat_document::Column::Date.eq(date))
        .one(db)
        .await?;
    row.map(|r| {
        r.document_id
            .parse()
            .map_err(|e: sync::protocol::DecodeError| ApiError::Internal(e.to_string()))
    })
    .transpose()
}

/// A new dagstaat: the location's dagdelen and its client list.
async fn build(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
) -> ApiResult<DagstaatDoc> {
    let settings = dagdelen_of(db, &[location_id])
        .await?
        .remove(&location_id)
        .unwrap_or_default();
    let dagdelen = settings.iter().filter_map(dagdeel_setting).collect();
    let header = DagstaatHeader {
        location_id: i64::from(location_id),
        date,
        dagdelen,
    };
    let clients = expected_clients(db, location_id, date).await?;
    DagstaatDoc::create(&header, &clients).map_err(|e| ApiError::Internal(e.to_string()))
}

/// The day's list: the clients the schedules expect per dagdeel, and the location's other active
/// clients (who may come on an extra day).
pub async fn expected_clients(
    db: &impl ConnectionTrait,
    location_id: i32,
    date: NaiveDate,
) -> ApiResult<Vec<ExpectedClient>> {
    let day = expected_day(db, location_id, date).await?;
    let mut clients: BTreeMap<i64, ExpectedClient> = BTreeMap::new();
    for part in &day.dagdelen {
        let dagdeel = Dagdeel::from(part.setting.dagdeel);
        for c in &part.clients {
            clients
                .entry(i64::from(c.client_id))
                .or_insert_with(|| {
                    list_entry(
                        c.client_id,
                        &c.first_name,
                        &c.last_name,
                        [c.wheelchair, c.walker, c.escort],
                    )
                })
                .dagdelen
                .push(dagdeel);
        }
    }
    let others = client::Entity::find()
        .filter(client::Column::LocationId.eq(location_id))
        .filter(client::Column::Active.eq(true))
        .all(db)
        .await?;
    for c in others {
        clients.entry(i64::from(c.id)).or_insert_with(|| {
            list_entry(
                c.id,
                &c.first_name,
                &c.last_name,
                [c.wheelchair, c.walker, c.escort],
            )
        });
    }
    Ok(clients.into_values().collect())
}

/// A client on the day's list, expected in no dagdeel yet; `needs` is wheelchair, walker, escort.
fn list_entry(id: i32, first_name: &str, last_name: &str, needs: [bool; 3]) -> ExpectedClient {
    let [wheelchair, walker, escort] = needs;
    ExpectedClient {
        client_id: i64::from(id),
        name: format!("{first_name} {last_name}"),
        dagdelen: Vec::new(),
        wheelchair,
        walker,
        escort,
    }
}

/// The documents of a location from `from` on (to refresh after a schedule change).
pub async fn documents_from(
    db: &impl ConnectionTrait,
    location_id: i32,
    from: NaiveDate,
) -> ApiResult<Vec<(DocumentId, NaiveDate)>> {
    dagstaat_document::Entity::find()
        .filter(dagstaat_document::Column::LocationId.eq(location_id))
        .filter(dagstaat_document::Column::Date.gte(from))
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            let id = row
                .document_id
                .parse()
                .map_err(|e: sync::protocol::DecodeError| ApiError::Internal(e.to_string()))?;
            Ok((id, row.date))
        })
        .collect()
}

/// Loads a document: its snapshot with every chunk applied.
pub async fn load(
    db: &impl ConnectionTrait,
    document_id: &DocumentId,
) -> ApiResult<Option<StoredDoc>> {
    let key = document_id.to_string();
    let version = stored_version(db, &key).await?;
    let Some(row) = dagstaat_document::Entity::find()
        .filter(dagstaat_document::Column::DocumentId.eq(&key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let mut doc =
        DagstaatDoc::load(&row.snapshot).map_err(|e| ApiError::Internal(e.to_string()))?;
    let chunks = document_chunk::Entity::find()
        .filter(document_chunk::Column::DocumentId.eq(&key))
        .order_by_asc(document_chunk::Column::Id)
        .all(db)
        .await?;
    // All chunks in one pass: automerge applies a run of changes together much faster than
    // one load per chunk (a document reopens with up to COMPACT_AFTER_CHUNKS of them).
    let pending: Vec<u8> = chunks.into_iter().flat_map(|chunk| chunk.bytes).collect();
    if !pending.is_empty() {
        doc.automerge()
            .load_incremental(&pending)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    Ok(Some(StoredDoc {
        document_id: *document_id,
        location_id: row.location_id,
        date: row.date,
        doc,
        version,
    }))
}

/// Stores accepted changes (inside the caller's transaction).
pub async fn append_chunk(
    db: &impl ConnectionTrait,
    document_id: &DocumentId,
    bytes: Vec<u8>,
) -> ApiResult<u64> {
    insert_chunk(db, document_id, bytes).await?;
    Ok(document_chunk::Entity::find()
        .filter(document_chunk::Column::DocumentId.eq(document_id.to_string()))
        .count(db)
        .await?)
}

/// Stores a chunk when the caller already knows how many there are.
pub async fn insert_chunk(
    db: &impl ConnectionTrait,
    document_id: &DocumentId,
    bytes: Vec<u8>,
) -> ApiResult<()> {
    document_chunk::Entity::insert(document_chunk::ActiveModel {
        document_id: Set(document_id.to_string()),
        bytes: Set(bytes),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Rewrites the document as one snapshot and drops its chunks (inside the caller's transaction).
pub async fn compact(
    db: &impl ConnectionTrait,
    document_id: &DocumentId,
    snapshot: Vec<u8>,
) -> ApiResult<()> {
    let key = document_id.to_string();
    dagstaat_document::Entity::update_many()
        .col_expr(
            dagstaat_document::Column::Snapshot,
            sea_orm::sea_query::Expr::value(snapshot),
        )
        .col_expr(
            dagstaat_document::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(dagstaat_document::Column::DocumentId.eq(&key))
        .exec(db)
        .await?;
    document_chunk::Entity::delete_many()
        .filter(document_chunk::Column::DocumentId.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// The channel on which PostgreSQL tells every server instance that a document was committed.
pub const COMMITTED_CHANNEL: &str = "dagstaat_documents";

/// The commit counters of stored documents (see the document_versions migration).
#[derive(sea_orm::DeriveIden)]
enum DocumentVersions {
    Table,
    DocumentId,
    Version,
}

/// Starts the commit of a stored document (inside the caller's transaction): raises its commit
/// counter, which holds the counter's row lock until the transaction ends, and returns the new
/// value. When it is not one more than the caller's copy had, another server instance committed
/// in between and the caller must merge the stored document first.
pub async fn claim_commit(txn: &impl ConnectionTrait, document_id: &str) -> ApiResult<i64> {
    use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
    let statement = Query::insert()
        .into_table(DocumentVersions::Table)
        .columns([DocumentVersions::DocumentId, DocumentVersions::Version])
        .values_panic([document_id.into(), 1i64.into()])
        .on_conflict(
            OnConflict::column(DocumentVersions::DocumentId)
                .value(
                    DocumentVersions::Version,
                    Expr::col((DocumentVersions::Table, DocumentVersions::Version)).add(1),
                )
                .to_owned(),
        )
        .returning_col(DocumentVersions::Version)
        .to_owned();
    let row = txn
        .query_one(&statement)
        .await?
        .ok_or_else(|| ApiError::Internal("commit counter not returned".into()))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// The commit counter of a stored document (0 before its first commit). Read it before the
/// document: what is read after it is then at least that far.
pub async fn stored_version(db: &impl ConnectionTrait, document_id: &str) -> ApiResult<i64> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let statement = Query::select()
        .column(DocumentVersions::Version)
        .from(DocumentVersions::Table)
        .and_where(Expr::col(DocumentVersions::DocumentId).eq(document_id))
        .to_owned();
    match db.query_one(&statement).await? {
        Some(row) => Ok(row.try_get_by_index::<i64>(0)?),
        None => Ok(0),
    }
}

/// Tells the other server instances (PostgreSQL only) that `document_id` reached `version`; sent
/// when the caller's transaction commits. `origin` names the committing instance, which ignores
/// its own notices.
pub async fn announce_commit(
    txn: &impl ConnectionTrait,
    document_id: &str,
    version: i64,
    origin: &str,
) -> ApiResult<()> {
    if txn.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [
            COMMITTED_CHANNEL.into(),
            format!("{document_id} {version} {origin}").into(),
        ],
    ))
    .await?;
    Ok(())
}
