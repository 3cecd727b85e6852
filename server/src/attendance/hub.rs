//! The sync hub: open dagstaat documents, the phones subscribed to each, and the one path by which
//! a phone's changes are validated, made durable with their projection, and only then acknowledged.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use chrono::{NaiveDate, Timelike, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, Set, TransactionTrait};
use sync::dagstaat::validate::{ChangeContext, neutralize};
use sync::dagstaat::{DagstaatDoc, DayState, EventIndex, NoShowReason, check_change};
use sync::protocol::{DocumentId, Message, encode};
use tokio::sync::mpsc::UnboundedSender;

use super::documents::{self, COMPACT_AFTER_CHUNKS};
use super::entity::change_audit;
use super::projection;
use crate::auth::{Permission, Principal};
use crate::http::{ApiError, ApiResult};
use crate::transport::runs::RunHub;

pub type ConnectionId = u64;

/// A phone's connection as the hub sees it.
#[derive(Clone)]
pub struct Peer {
    pub connection: ConnectionId,
    /// The automerge-repo peer id the phone announced in its join message.
    pub peer_id: String,
    pub principal: Principal,
    pub outbox: UnboundedSender<Vec<u8>>,
}

/// Other phones' changes reach a phone at most this often: under load it then gets one message
/// with everything new instead of one per change (each costs the server a pass over the document
/// and the phone a merge). A phone's own change is acknowledged at once.
const UPDATE_INTERVAL: Duration = Duration::from_millis(250);
/// ... or, while it has not answered the changes it was last sent, after this long.
const REPLY_WAIT: Duration = Duration::from_millis(1000);

/// A phone subscribed to one document, with the sync state of that pair.
pub(crate) struct Subscriber {
    pub peer: Peer,
    pub state: SyncState,
    /// When the hub last sent this phone changes, and whether it has answered since.
    sent_changes_at: Option<Instant>,
    answered: bool,
    /// Other phones' changes are waiting for this one (held back by the update interval).
    behind: bool,
}

impl Subscriber {
    pub fn new(peer: &Peer) -> Subscriber {
        Subscriber {
            peer: peer.clone(),
            state: SyncState::new(),
            sent_changes_at: None,
            answered: true,
            behind: false,
        }
    }

    /// Applies a message that carries no changes (heads, needs, acknowledgements) to `doc`.
    pub fn receive_heads(
        &mut self,
        doc: &mut automerge::AutoCommit,
        message: SyncMessage,
    ) -> ApiResult<()> {
        self.answered = true;
        doc.sync()
            .receive_sync_message(&mut self.state, message)
            .map_err(|e| ApiError::BadRequest(format!("sync message does not apply: {e}")))
    }

    /// Whether other phones' changes wait before they go to this phone.
    fn holds_back(&self) -> bool {
        let wait = if self.answered {
            UPDATE_INTERVAL
        } else {
            REPLY_WAIT
        };
        self.sent_changes_at
            .is_some_and(|sent| sent.elapsed() < wait)
    }
}

/// The audit of a phone's changes: hash, authenticated user, device, server receive time.
pub(crate) async fn record_changes(
    txn: &impl sea_orm::ConnectionTrait,
    document_id: &str,
    hashes: &[String],
    peer: &Peer,
    received_at: chrono::DateTime<Utc>,
) -> ApiResult<()> {
    if hashes.is_empty() {
        return Ok(());
    }
    let device: String = peer.peer_id.chars().take(100).collect();
    let rows = hashes.iter().map(|hash| change_audit::ActiveModel {
        document_id: Set(document_id.to_owned()),
        change_hash: Set(hash.clone()),
        user_id: Set(peer.principal.user_id),
        device: Set(device.clone()),
        received_at: Set(received_at),
        ..Default::default()
    });
    change_audit::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// The open document `id` of `docs`, or the one `load` gives, opened. One load at a time: the
/// phones of a location connect together (a morning, a server restart), and one of them loads.
pub(crate) async fn open_or_load<T, Loaded>(
    docs: &Mutex<HashMap<DocumentId, Arc<tokio::sync::Mutex<T>>>>,
    opening: &tokio::sync::Mutex<()>,
    id: &DocumentId,
    load: impl FnOnce() -> Loaded,
) -> ApiResult<Option<Arc<tokio::sync::Mutex<T>>>>
where
    Loaded: std::future::Future<Output = ApiResult<Option<T>>>,
{
    let open_now = || docs.lock().map(|d| d.get(id).cloned()).map_err(poisoned);
    if let Some(open) = open_now()? {
        return Ok(Some(open));
    }
    let _opening = opening.lock().await;
    if let Some(open) = open_now()? {
        return Ok(Some(open));
    }
    let Some(loaded) = load().await? else {
        return Ok(None);
    };
    let open = Arc::new(tokio::sync::Mutex::new(loaded));
    docs.lock().map_err(poisoned)?.insert(*id, open.clone());
    Ok(Some(open))
}

/// A phone went away: drop it from every open document of `docs`; close those nobody has open.
pub(crate) async fn forget_connection<T>(
    docs: &Mutex<HashMap<DocumentId, Arc<tokio::sync::Mutex<T>>>>,
    connection: ConnectionId,
    subscribers: impl Fn(&mut T) -> &mut HashMap<ConnectionId, Subscriber>,
) {
    let open: Vec<(DocumentId, Arc<tokio::sync::Mutex<T>>)> = match docs.lock() {
        Ok(docs) => docs.iter().map(|(id, d)| (*id, d.clone())).collect(),
        Err(_) => return,
    };
    for (id, doc) in open {
        let mut doc = doc.lock().await;
        let subscribed = subscribers(&mut doc);
        subscribed.remove(&connection);
        if subscribed.is_empty()
            && let Ok(mut docs) = docs.lock()
        {
            docs.remove(&id);
        }
    }
}

/// Applies a phone's sync message to `fork` (a fork of the open document, whose heads were
/// `before`); returns the changes it brought. If it does not apply, the subscriber's sync state
/// is put back as it was.
pub(crate) fn receive_into(
    fork: &mut automerge::AutoCommit,
    subscriber: &mut Subscriber,
    message: SyncMessage,
    before: &[automerge::ChangeHash],
) -> ApiResult<Vec<automerge::Change>> {
    subscriber.answered = true;
    let state_before = subscriber.state.clone();
    if let Err(e) = fork
        .sync()
        .receive_sync_message(&mut subscriber.state, message)
    {
        subscriber.state = state_before;
        return Err(ApiError::BadRequest(format!(
            "sync message does not apply: {e}"
        )));
    }
    Ok(fork.get_changes(before))
}

/// The hashes of `changes`, as the audit table keeps them.
pub(crate) fn change_hashes(changes: &[automerge::Change]) -> Vec<String> {
    changes.iter().map(|c| c.hash().to_string()).collect()
}

/// Sends a subscriber what it does not have of `doc` yet (nothing if it is up to date).
pub(crate) fn send_missing(
    server_peer: &str,
    document_id: &DocumentId,
    doc: &mut automerge::AutoCommit,
    subscriber: &mut Subscriber,
) {
    subscriber.behind = false;
    if let Some(message) = doc.sync().generate_sync_message(&mut subscriber.state) {
        if !message.changes.is_empty() {
            subscriber.sent_changes_at = Some(Instant::now());
            subscriber.answered = false;
        }
        let _ = subscriber.peer.outbox.send(encode(&Message::Sync {
            sender_id: server_peer.to_owned(),
            target_id: subscriber.peer.peer_id.clone(),
            document_id: *document_id,
            data: message.encode(),
        }));
    }
}

struct OpenDoc {
    doc: DagstaatDoc,
    /// The document's parsed events, so a change costs what it adds.
    index: EventIndex,
    /// The state the attendance rows hold since this document was opened (None: not yet written
    /// by this server, so the next write replaces the day's rows whole).
    projected: Option<DayState>,
    /// Chunks stored since the last snapshot, once known.
    chunks: Option<u64>,
    /// The stored commit counter this copy is at (see `documents::claim_commit`).
    version: i64,
    location_id: i32,
    date: NaiveDate,
    subscribers: HashMap<ConnectionId, Subscriber>,
    /// A flush to phones whose updates were held back is on its way.
    flush_scheduled: bool,
}

pub struct Hub {
    db: DatabaseConnection,
    pub peer_id: String,
    docs: Mutex<HashMap<DocumentId, Arc<tokio::sync::Mutex<OpenDoc>>>>,
    /// Held while a document is loaded, so it is loaded once.
    opening: tokio::sync::Mutex<()>,
    next_connection: AtomicU64,
    /// SQLite has one writer at a time; waiting here in line is fair and quick, where SQLite's own
    /// busy handler polls with growing sleeps (seconds of latency under load).
    sqlite_writer: Option<tokio::sync::Mutex<()>>,
    /// The drivers' route runs, when this hub serves them (not in the demo's history loader).
    routes: Option<RunHub>,
}

/// What a phone's sync message did.
struct Applied {
    /// Clients it newly reported ill or cancelled (their transport must stop).
    absent: Vec<i64>,
    /// Whether phones may need an answer: the sender's acknowledgement, the others' update.
    changed: bool,
}

/// What a committed change left in the database.
struct Persisted {
    state: DayState,
    chunks: Option<u64>,
    version: i64,
    /// The index of the committed document when it is not the caller's: another server instance
    /// had committed since this one's copy, so the change was merged into the stored document.
    merged: Option<EventIndex>,
}

/// What a phone may do with a dagstaat: record at its own locations.
pub fn may_open(principal: &Principal, location_id: i32) -> bool {
    principal.may(Permission::AttendanceRecord) && principal.sees_location(location_id)
}

impl Hub {
    pub fn new(db: DatabaseConnection) -> Hub {
        let mut suffix = [0u8; 8];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut suffix);
        Hub {
            peer_id: format!(
                "dagstaat-server-{}",
                suffix
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            ),
            sqlite_writer: (db.get_database_backend() == sea_orm::DbBackend::Sqlite)
                .then(|| tokio::sync::Mutex::new(())),
            db,
            docs: Mutex::new(HashMap::new()),
            opening: tokio::sync::Mutex::new(()),
            next_connection: AtomicU64::new(1),
            routes: None,
        }
    }

    /// Also serves route runs, with their effects on the dagstaat and push notifications.
    pub fn with_route_runs(mut self, push: Arc<crate::push::sender::PushService>) -> Hub {
        self.routes = Some(RunHub::new(self.db.clone(), push));
        self
    }

    pub fn new_connection_id(&self) -> ConnectionId {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    async fn open(
        &self,
        document_id: &DocumentId,
    ) -> ApiResult<Option<Arc<tokio::sync::Mutex<OpenDoc>>>> {
        open_or_load(&self.docs, &self.opening, document_id, || async {
            let Some(stored) = documents::load(&self.db, document_id).await? else {
                return Ok(None);
            };
            let index =
                EventIndex::build(&stored.doc).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(Some(OpenDoc {
                index,
                projected: None,
                chunks: None,
                version: stored.version,
                doc: stored.doc,
                location_id: stored.location_id,
                date: stored.date,
                subscribers: HashMap::new(),
                flush_scheduled: false,
            }))
        })
        .await
    }

    /// Handles a `request` or `sync` message of a phone for one document.
    pub async fn receive(
        &self,
        peer: &Peer,
        document_id: &DocumentId,
        data: &[u8],
    ) -> ApiResult<()> {
        let unavailable = || {
            let _ = peer.outbox.send(encode(&Message::DocUnavailable {
                sender_id: self.peer_id.clone(),
                target_id: peer.peer_id.clone(),
                document_id: *document_id,
            }));
        };
        // A run a driver has open needs no look in the dagstaat table first.
        let open = match &self.routes {
            Some(routes) if routes.is_open(document_id) => None,
            _ => self.open(document_id).await?,
        };
        let Some(open) = open else {
            let is_run = match &self.routes {
                Some(routes) => routes.receive(self, peer, document_id, data).await?,
                None => false,
            };
            if !is_run {
                unavailable();
            }
            return Ok(());
        };
        let (date, absent) = {
            let mut guard = open.lock().await;
            if !may_open(&peer.principal, guard.location_id) {
                unavailable();
                return Ok(());
            }
            let date = guard.date;
            let applied = self.apply(peer, document_id, &mut guard, data).await?;
            if applied.changed {
                self.broadcast(document_id, &open, &mut guard, Some(peer.connection));
            }
            (date, applied.absent)
        };
        // After the dagstaat's lock is released: route runs have their own.
        if let Some(routes) = &self.routes {
            for client_id in absent {
                if let Err(e) = routes.cancel_client(self, date, client_id).await {
                    tracing::error!(client_id, error = %e, "stops of an absent client not cancelled");
                }
            }
        }
        Ok(())
    }

    /// Validates and stores a phone's sync message (answering it if it brought no changes).
    async fn apply(
        &self,
        peer: &Peer,
        document_id: &DocumentId,
        open: &mut OpenDoc,
        data: &[u8],
    ) -> ApiResult<Applied> {
        let message = SyncMessage::decode(data)
            .map_err(|e| ApiError::BadRequest(format!("not an automerge sync message: {e}")))?;
        let mut absent = Vec::new();
        let subscriber = open
            .subscribers
            .entry(peer.connection)
            .or_insert_with(|| Subscriber::new(peer));
        if message.changes.is_empty() {
            // Heads, needs and acknowledgements only: nothing to validate or store, and the
            // document did not change, so only this phone may need an answer.
            subscriber.receive_heads(open.doc.automerge(), message)?;
            // Other phones' changes held back for this one follow with the held-back task.
            if !(subscriber.behind && subscriber.holds_back()) {
                self.send_missing(document_id, &mut open.doc, subscriber);
            }
            return Ok(Applied {
                absent,
                changed: false,
            });
        }
        let before_heads = open.doc.automerge().get_heads();
        let mut fork = open.doc.fork();
        // Records the incoming ops, so validation diffs only them.
        fork.automerge().update_diff_cursor();
        let from_phone = receive_into(fork.automerge(), subscriber, message, &before_heads)?;
        if !from_phone.is_empty() {
            let ctx = ChangeContext {
                author: i64::from(peer.principal.user_id),
                now_minute: minute_now_if_today(open.date),
            };
            let (violations, added) = check_change(&mut open.doc, &mut fork, &ctx, &open.index);
            fork.automerge().reset_diff_cursor();
            let rebuilt = if violations.is_empty() {
                absent = added
                    .iter()
                    .filter_map(|n| absent_client(n.event.as_ref()?))
                    .collect();
                None
            } else {
                tracing::warn!(
                    user_id = peer.principal.user_id,
                    count = violations.len(),
                    "neutralizing invalid changes"
                );
                neutralize(&open.doc, &mut fork, &violations)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                // Rare: read the corrected document whole.
                Some(EventIndex::build(&fork).map_err(|e| ApiError::Internal(e.to_string()))?)
            };
            let state = match &rebuilt {
                Some(index) => index.state(),
                None => open.index.state_with_added(&added),
            };
            let hashes = change_hashes(&from_phone);
            let new_changes = match rebuilt {
                // The server's corrections join the phone's changes.
                Some(_) => fork.automerge().get_changes(&before_heads),
                None => from_phone,
            };
            let persisted = match self
                .persist(
                    document_id,
                    open,
                    &mut fork,
                    new_changes,
                    state,
                    Some((hashes, peer)),
                )
                .await
            {
                Ok(persisted) => persisted,
                Err(e) => {
                    // Not durable, so not acknowledged: the phone keeps its changes and sends them again.
                    forget_sync_state(&mut open.subscribers, peer.connection);
                    return Err(e);
                }
            };
            match (persisted.merged, rebuilt) {
                (Some(index), _) | (None, Some(index)) => open.index = index,
                (None, None) => added.into_iter().for_each(|e| open.index.add(e)),
            }
            open.doc = fork;
            open.projected = Some(persisted.state);
            open.chunks = persisted.chunks;
            open.version = persisted.version;
        }
        // Also when the message brought nothing new: the phone waits for an answer.
        Ok(Applied {
            absent,
            changed: true,
        })
    }

    /// Commits the new changes, their audit rows and the projection in one transaction. When
    /// another server instance committed the document since this copy was read, the stored
    /// document is merged in first and `fork` becomes the merge.
    async fn persist(
        &self,
        document_id: &DocumentId,
        open: &OpenDoc,
        fork: &mut DagstaatDoc,
        // What `fork` has that the open document has not.
        changes: Vec<automerge::Change>,
        state: DayState,
        // The phone's change hashes and connection, for the audit table; None for server edits.
        audit: Option<(Vec<String>, &Peer)>,
    ) -> ApiResult<Persisted> {
        let now = Utc::now();
        let _writer = match &self.sqlite_writer {
            Some(gate) => Some(gate.lock().await),
            None => None,
        };
        let key = document_id.to_string();
        let txn = self.db.begin().await?;
        let version = documents::claim_commit(&txn, &key).await?;
        let mut audit = audit;
        let commit = if version == open.version + 1 {
            Commit {
                changes,
                state,
                merged: None,
            }
        } else {
            tracing::info!(%document_id, "committed elsewhere meanwhile: merging the stored document");
            let hashes = audit.as_mut().map(|(hashes, _)| hashes);
            let (commit, merged) = merge_stored(&txn, document_id, fork, hashes).await?;
            *fork = merged;
            commit
        };
        let bytes: Vec<u8> = commit
            .changes
            .iter()
            .flat_map(|c| c.raw_bytes().to_vec())
            .collect();
        let mut chunks = match (open.chunks, commit.merged.is_some()) {
            _ if bytes.is_empty() => None,
            (Some(n), false) => {
                documents::insert_chunk(&txn, document_id, bytes).await?;
                Some(n + 1)
            }
            _ => Some(documents::append_chunk(&txn, document_id, bytes).await?),
        };
        if let Some((hashes, peer)) = &audit {
            record_changes(&txn, &key, hashes, peer, now).await?;
        }
        let rows_hold = match &commit.merged {
            Some(merged) => Some(&merged.stored),
            None => open.projected.as_ref(),
        };
        match rows_hold {
            Some(before) => {
                projection::update(&txn, open.location_id, open.date, before, &commit.state).await?
            }
            None => projection::replace(&txn, open.location_id, open.date, &commit.state).await?,
        }
        if chunks.is_some_and(|n| n >= COMPACT_AFTER_CHUNKS) {
            documents::compact(&txn, document_id, fork.save()).await?;
            chunks = Some(0);
        }
        documents::announce_commit(&txn, &key, version, &self.peer_id).await?;
        txn.commit().await?;
        Ok(Persisted {
            state: commit.state,
            chunks,
            version,
            merged: commit.merged.map(|m| m.index),
        })
    }

    /// Sends every subscriber what it does not have yet: the sender (if any) its acknowledgement
    /// at once, the others when their update interval allows (a task sends what was held back).
    fn broadcast(
        &self,
        document_id: &DocumentId,
        handle: &Arc<tokio::sync::Mutex<OpenDoc>>,
        open: &mut OpenDoc,
        sender: Option<ConnectionId>,
    ) {
        let mut held_back = false;
        for (connection, subscriber) in open.subscribers.iter_mut() {
            if Some(*connection) != sender && subscriber.holds_back() {
                subscriber.behind = true;
                held_back = true;
            } else {
                self.send_missing(document_id, &mut open.doc, subscriber);
            }
        }
        if held_back && !open.flush_scheduled {
            open.flush_scheduled = true;
            tokio::spawn(send_held_back(
                handle.clone(),
                self.peer_id.clone(),
                *document_id,
            ));
        }
    }

    fn send_missing(
        &self,
        document_id: &DocumentId,
        doc: &mut DagstaatDoc,
        subscriber: &mut Subscriber,
    ) {
        send_missing(&self.peer_id, document_id, doc.automerge(), subscriber);
    }

    /// Another server instance committed `document_id` (at `version`, when known): a copy open
    /// here catches up with the stored document, and its phones get what is new to them.
    pub async fn catch_up(&self, document_id: &DocumentId, version: Option<i64>) -> ApiResult<()> {
        let open = self
            .docs
            .lock()
            .map_err(poisoned)?
            .get(document_id)
            .cloned();
        let Some(handle) = open else {
            return match &self.routes {
                Some(routes) => routes.catch_up(self, document_id, version).await,
                None => Ok(()),
            };
        };
        let mut open = handle.lock().await;
        let open = &mut *open;
        if version.is_some_and(|v| v <= open.version)
            || documents::stored_version(&self.db, &document_id.to_string()).await? <= open.version
        {
            return Ok(());
        }
        let Some(mut stored) = documents::load(&self.db, document_id).await? else {
            return Ok(());
        };
        open.doc
            .automerge()
            .merge(stored.doc.automerge())
            .map_err(ApiError::internal)?;
        open.index = EventIndex::build(&open.doc).map_err(ApiError::internal)?;
        // What the rows hold, when `version` is still the latest at the next commit (it checks).
        open.projected = Some(open.index.state());
        open.version = stored.version;
        open.chunks = None;
        self.broadcast(document_id, &handle, open, None);
        Ok(())
    }

    /// Catches up every open document (after notifications may have been missed).
    pub async fn catch_up_all(&self) {
        let open: Vec<DocumentId> = match self.docs.lock() {
            Ok(docs) => docs.keys().copied().collect(),
            Err(_) => return,
        };
        let runs = self
            .routes
            .as_ref()
            .map(|r| r.open_ids())
            .unwrap_or_default();
        for id in open.iter().chain(&runs) {
            if let Err(e) = self.catch_up(id, None).await {
                tracing::error!(document_id = %id, error = %e, "document not caught up");
            }
        }
    }

    /// A phone went away: forget its sync states; close documents nobody has open.
    pub async fn disconnect(&self, connection: ConnectionId) {
        if let Some(routes) = &self.routes {
            routes.disconnect(connection).await;
        }
        forget_connection(&self.docs, connection, |doc| &mut doc.subscribers).await;
    }

    /// Applies a server-side edit to a document (cross-document effects, schedule changes) and
    /// pushes it to subscribed phones.
    pub async fn edit<F>(&self, document_id: &DocumentId, edit: F) -> ApiResult<()>
    where
        F: FnOnce(&mut DagstaatDoc) -> Result<(), sync::dagstaat::DocError>,
    {
        let Some(handle) = self.open(document_id).await? else {
            return Err(ApiError::NotFound("dagstaat"));
        };
        let mut open = handle.lock().await;
        let open = &mut *open;
        let before_heads = open.doc.automerge().get_heads();
        let mut fork = open.doc.fork();
        edit(&mut fork).map_err(|e| ApiError::Internal(e.to_string()))?;
        let changes = fork.automerge().get_changes(&before_heads);
        if changes.is_empty() {
            return Ok(());
        }
        let index = EventIndex::build(&fork).map_err(|e| ApiError::Internal(e.to_string()))?;
        let persisted = self
            .persist(document_id, open, &mut fork, changes, index.state(), None)
            .await?;
        open.doc = fork;
        open.index = persisted.merged.unwrap_or(index);
        open.projected = Some(persisted.state);
        open.chunks = persisted.chunks;
        open.version = persisted.version;
        self.broadcast(document_id, &handle, open, None);
        if open.subscribers.is_empty()
            && let Ok(mut docs) = self.docs.lock()
        {
            docs.remove(document_id);
        }
        Ok(())
    }

    /// After a schedule or client change: rewrite the client list of the location's documents of
    /// today and later, and push it to the phones that have them open.
    pub async fn refresh_location(&self, location_id: i32) -> ApiResult<()> {
        let today = sync::amsterdam_date(Utc::now());
        for (document_id, date) in documents::documents_from(&self.db, location_id, today).await? {
            let clients = documents::expected_clients(&self.db, location_id, date).await?;
            self.edit(&document_id, |doc| doc.set_clients(&clients))
                .await?;
        }
        Ok(())
    }

    /// Logs instead of failing the request: the schedule is saved; documents follow at the next refresh.
    pub async fn refresh_location_logged(&self, location_id: i32) {
        if let Err(e) = self.refresh_location(location_id).await {
            tracing::error!(location_id, error = %e, "dagstaat documents not refreshed");
        }
    }

    /// Creates the dagstaat documents of every active location for today and the next `days` days.
    pub async fn prepare_days(&self, days: i64) -> ApiResult<usize> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let today = sync::amsterdam_date(Utc::now());
        let locations = crate::organisation::entity::location::Entity::find()
            .filter(crate::organisation::entity::location::Column::Active.eq(true))
            .all(&self.db)
            .await?;
        let mut count = 0;
        for location in locations {
            for offset in 0..=days {
                documents::find_or_create(
                    &self.db,
                    location.id,
                    today + chrono::Duration::days(offset),
                )
                .await?;
                count += 1;
            }
        }
        Ok(count)
    }
}

/// Sends the phones of a document what was held back from them, as their update intervals
/// allow, until none is behind.
async fn send_held_back(
    handle: Arc<tokio::sync::Mutex<OpenDoc>>,
    server_peer: String,
    document_id: DocumentId,
) {
    loop {
        tokio::time::sleep(UPDATE_INTERVAL / 4).await;
        let mut open = handle.lock().await;
        let open = &mut *open;
        let mut still_behind = false;
        for subscriber in open.subscribers.values_mut().filter(|s| s.behind) {
            if subscriber.holds_back() {
                still_behind = true;
            } else {
                send_missing(&server_peer, &document_id, open.doc.automerge(), subscriber);
            }
        }
        if !still_behind {
            open.flush_scheduled = false;
            return;
        }
    }
}

/// What one commit writes: the changes, and the projection from what the rows hold to `state`.
struct Commit {
    changes: Vec<automerge::Change>,
    state: DayState,
    merged: Option<Merged>,
}

/// The stored document's state (what the attendance rows hold) and the merge's index.
struct Merged {
    stored: DayState,
    index: EventIndex,
}

/// Another instance committed since this copy was read: the stored document (read under the row
/// lock `claim_commit` took) merged with `fork`, and what to commit on top of the stored one.
/// The phone's `hashes` keep only the changes the stored document lacked.
async fn merge_stored(
    txn: &impl sea_orm::ConnectionTrait,
    document_id: &DocumentId,
    fork: &mut DagstaatDoc,
    hashes: Option<&mut Vec<String>>,
) -> ApiResult<(Commit, DagstaatDoc)> {
    let mut stored = documents::load(txn, document_id)
        .await?
        .ok_or(ApiError::NotFound("dagstaat"))?
        .doc;
    if let Some(hashes) = hashes {
        retain_unknown(hashes, stored.automerge());
    }
    let stored_heads = stored.automerge().get_heads();
    let before = EventIndex::build(&stored)
        .map_err(ApiError::internal)?
        .state();
    stored
        .automerge()
        .merge(fork.automerge())
        .map_err(ApiError::internal)?;
    let index = EventIndex::build(&stored).map_err(ApiError::internal)?;
    let commit = Commit {
        changes: stored.automerge().get_changes(&stored_heads),
        state: index.state(),
        merged: Some(Merged {
            stored: before,
            index,
        }),
    };
    Ok((commit, stored))
}

/// Keeps the change hashes `doc` does not have: the others were audited where they arrived (the
/// stored document, when another server instance committed them first).
pub(crate) fn retain_unknown(hashes: &mut Vec<String>, doc: &mut automerge::AutoCommit) {
    hashes.retain(|hash| {
        hash.parse()
            .is_ok_and(|hash| doc.get_change_by_hash(&hash).is_none())
    });
}

/// A client reported ill or cancelled: no transport for them that day.
fn absent_client(event: &sync::dagstaat::Event) -> Option<i64> {
    match &event.kind {
        sync::dagstaat::EventKind::NoShow {
            client_id,
            reason: NoShowReason::Ziek | NoShowReason::Afgemeld,
            ..
        } => Some(*client_id),
        _ => None,
    }
}

/// After a change could not be stored: the phone's sync starts over, so it sends it again.
pub(crate) fn forget_sync_state(
    subscribers: &mut HashMap<ConnectionId, Subscriber>,
    connection: ConnectionId,
) {
    if let Some(subscriber) = subscribers.get_mut(&connection) {
        subscriber.state = SyncState::new();
    }
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> ApiError {
    ApiError::Internal("hub lock poisoned".into())
}

/// Minutes since local midnight if `date` is today in the Netherlands.
fn minute_now_if_today(date: NaiveDate) -> Option<u16> {
    (sync::amsterdam_date(Utc::now()) == date).then(minute_now)
}

/// Minutes since midnight, now, in the Netherlands.
pub(crate) fn minute_now() -> u16 {
    let now = Utc::now().with_timezone(&sync::AMSTERDAM);
    (now.hour() * 60 + now.minute()) as u16
}
