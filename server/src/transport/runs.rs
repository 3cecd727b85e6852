//! Route runs on the drivers' phones: the open run documents, the one path by which a driver's
//! change is validated, made durable with its projection (`ride_stops`) and only then
//! acknowledged, and the effects across documents: not at home becomes a no-show in the
//! dagstaat (and a push to the coaches); a client reported ill cancels their stops (and pushes
//! the driver).
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use automerge::sync::Message as SyncMessage;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use sync::dagstaat::{Event, EventKind, NoShowReason};
use sync::protocol::DocumentId;
use sync::routerun::{
    RouteRunDoc, RunContext, RunEvent, RunEventKind, Stop, StopState, StopStatus, neutralize,
    validate,
};

use super::entity::{ride_stop, route_run};
use crate::attendance::documents;
use crate::attendance::hub::{
    ConnectionId, Hub, Peer, Subscriber, change_hashes, forget_connection, forget_sync_state,
    minute_now, open_or_load, receive_into, record_changes, retain_unknown, send_missing,
};
use crate::auth::{Permission, Principal};
use crate::http::{ApiError, ApiResult};
use crate::push::domain::{Kind, Notification};
use crate::push::events::staff_of;
use crate::push::sender::PushService;

struct OpenRun {
    doc: RouteRunDoc,
    run: route_run::Model,
    /// The stored commit counter this copy is at (see `documents::claim_commit`).
    version: i64,
    subscribers: HashMap<ConnectionId, Subscriber>,
}

/// What happened in a run that other documents must hear about.
struct NotHome {
    stop: Stop,
    date: NaiveDate,
    minute: u16,
    driver: i64,
}

pub struct RunHub {
    db: DatabaseConnection,
    push: Arc<PushService>,
    docs: Mutex<HashMap<DocumentId, Arc<tokio::sync::Mutex<OpenRun>>>>,
    /// Held while a run is loaded, so it is loaded once.
    opening: tokio::sync::Mutex<()>,
}

/// A run is the assigned driver's.
pub fn may_open(principal: &Principal, run: &route_run::Model) -> bool {
    principal.may(Permission::RouteDrive) && run.driver_user_id == Some(principal.user_id)
}

impl RunHub {
    pub fn new(db: DatabaseConnection, push: Arc<PushService>) -> RunHub {
        RunHub {
            db,
            push,
            docs: Mutex::new(HashMap::new()),
            opening: tokio::sync::Mutex::new(()),
        }
    }

    async fn open(&self, id: &DocumentId) -> ApiResult<Option<Arc<tokio::sync::Mutex<OpenRun>>>> {
        open_or_load(&self.docs, &self.opening, id, || async {
            let version = documents::stored_version(&self.db, &id.to_string()).await?;
            let Some(run) = route_run::Entity::find()
                .filter(route_run::Column::DocumentId.eq(id.to_string()))
                .one(&self.db)
                .await?
            else {
                return Ok(None);
            };
            let doc = RouteRunDoc::load(&run.snapshot).map_err(ApiError::internal)?;
            Ok(Some(OpenRun {
                doc,
                run,
                version,
                subscribers: HashMap::new(),
            }))
        })
        .await
    }

    /// Whether a phone has run `id` open here.
    pub fn is_open(&self, id: &DocumentId) -> bool {
        self.docs.lock().is_ok_and(|docs| docs.contains_key(id))
    }

    /// Handles a phone's message for a route run; false when `id` is no run this phone may open.
    pub async fn receive(
        &self,
        hub: &Hub,
        peer: &Peer,
        id: &DocumentId,
        data: &[u8],
    ) -> ApiResult<bool> {
        let Some(open) = self.open(id).await? else {
            return Ok(false);
        };
        let not_home = {
            let mut guard = open.lock().await;
            let open = &mut *guard;
            if !may_open(&peer.principal, &open.run) {
                return Ok(false);
            }
            self.apply(hub, peer, id, open, data).await?
        };
        // After the run's lock is released: the dagstaat has its own.
        for event in not_home {
            self.report_not_home(hub, event).await;
        }
        Ok(true)
    }

    async fn apply(
        &self,
        hub: &Hub,
        peer: &Peer,
        id: &DocumentId,
        open: &mut OpenRun,
        data: &[u8],
    ) -> ApiResult<Vec<NotHome>> {
        let message = SyncMessage::decode(data)
            .map_err(|e| ApiError::BadRequest(format!("not an automerge sync message: {e}")))?;
        let subscriber = open
            .subscribers
            .entry(peer.connection)
            .or_insert_with(|| Subscriber::new(peer));
        if message.changes.is_empty() {
            subscriber.receive_heads(open.doc.automerge(), message)?;
            send_missing(&hub.peer_id, id, open.doc.automerge(), subscriber);
            return Ok(Vec::new());
        }
        let before_heads = open.doc.automerge().get_heads();
        let mut fork = open.doc.fork();
        let hashes = change_hashes(&receive_into(
            fork.automerge(),
            subscriber,
            message,
            &before_heads,
        )?);
        let mut not_home = Vec::new();
        if !hashes.is_empty() {
            let ctx = RunContext {
                author: Some(i64::from(peer.principal.user_id)),
            };
            let violations = validate(&open.doc, &fork, &ctx);
            if !violations.is_empty() {
                tracing::warn!(
                    user_id = peer.principal.user_id,
                    count = violations.len(),
                    "neutralizing route changes"
                );
                neutralize(&open.doc, &mut fork, &violations)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
            }
            not_home = new_not_home(&open.doc, &fork, &open.run);
            match self
                .persist(open, &mut fork, Some((&hashes, peer)), &hub.peer_id)
                .await
            {
                Ok(version) => open.version = version,
                Err(e) => {
                    forget_sync_state(&mut open.subscribers, peer.connection);
                    return Err(e);
                }
            }
            open.doc = fork;
        }
        for subscriber in open.subscribers.values_mut() {
            send_missing(&hub.peer_id, id, open.doc.automerge(), subscriber);
        }
        Ok(not_home)
    }

    /// Stores the run's new snapshot, the audit of the phone's changes and the stop statuses in
    /// one transaction; returns the run's new commit counter. When another server instance
    /// committed the run since this copy was read, the stored run is merged in first and `fork`
    /// becomes the merge.
    async fn persist(
        &self,
        open: &OpenRun,
        fork: &mut RouteRunDoc,
        audit: Option<(&[String], &Peer)>,
        // This server instance, named in the commit notice.
        origin: &str,
    ) -> ApiResult<i64> {
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let key = &open.run.document_id;
        let version = documents::claim_commit(&txn, key).await?;
        let (before, audit) = if version == open.version + 1 {
            let audit = audit.map(|(hashes, peer)| (hashes.to_vec(), peer));
            (open.doc.state().map_err(ApiError::internal)?, audit)
        } else {
            tracing::info!(
                run = open.run.id,
                "committed elsewhere meanwhile: merging the stored run"
            );
            let stored = route_run::Entity::find_by_id(open.run.id)
                .one(&txn)
                .await?
                .ok_or(ApiError::NotFound("route run"))?;
            let mut stored = RouteRunDoc::load(&stored.snapshot).map_err(ApiError::internal)?;
            let before = stored.state().map_err(ApiError::internal)?;
            let audit = audit.map(|(hashes, peer)| {
                let mut hashes = hashes.to_vec();
                retain_unknown(&mut hashes, stored.automerge());
                (hashes, peer)
            });
            stored
                .automerge()
                .merge(fork.automerge())
                .map_err(ApiError::internal)?;
            *fork = stored;
            (before, audit)
        };
        let after = fork.state().map_err(ApiError::internal)?;
        let mut row: route_run::ActiveModel = open.run.clone().into();
        row.snapshot = Set(fork.save());
        row.updated_at = Set(now);
        row.update(&txn).await?;
        if let Some((hashes, peer)) = audit {
            record_changes(&txn, key, &hashes, peer, now).await?;
        }
        for ((stop, state), (_, old)) in after.iter().zip(&before) {
            if state != old {
                project_stop(&txn, open.run.id, stop, state).await?;
            }
        }
        documents::announce_commit(&txn, key, version, origin).await?;
        txn.commit().await?;
        Ok(version)
    }

    /// Catches a run open here up with the stored one (another server instance committed it).
    pub async fn catch_up(
        &self,
        hub: &Hub,
        id: &DocumentId,
        version: Option<i64>,
    ) -> ApiResult<()> {
        let open = self.docs.lock().ok().and_then(|docs| docs.get(id).cloned());
        let Some(handle) = open else {
            return Ok(());
        };
        let mut open = handle.lock().await;
        let open = &mut *open;
        if version.is_some_and(|v| v <= open.version) {
            return Ok(());
        }
        let stored_version = documents::stored_version(&self.db, &id.to_string()).await?;
        if stored_version <= open.version {
            return Ok(());
        }
        let Some(stored) = route_run::Entity::find_by_id(open.run.id)
            .one(&self.db)
            .await?
        else {
            return Ok(());
        };
        let mut doc = RouteRunDoc::load(&stored.snapshot).map_err(ApiError::internal)?;
        open.doc
            .automerge()
            .merge(doc.automerge())
            .map_err(ApiError::internal)?;
        open.run = stored;
        open.version = stored_version;
        for subscriber in open.subscribers.values_mut() {
            send_missing(&hub.peer_id, id, open.doc.automerge(), subscriber);
        }
        Ok(())
    }

    /// The runs open here.
    pub fn open_ids(&self) -> Vec<DocumentId> {
        self.docs
            .lock()
            .map(|docs| docs.keys().copied().collect())
            .unwrap_or_default()
    }

    /// A server change to a run (cancelling stops), pushed to the phone if it has the run open.
    async fn edit(
        &self,
        hub: &Hub,
        id: &DocumentId,
        edit: impl FnOnce(&mut RouteRunDoc) -> ApiResult<()>,
    ) -> ApiResult<()> {
        let Some(open) = self.open(id).await? else {
            return Err(ApiError::NotFound("route run"));
        };
        let mut guard = open.lock().await;
        let open = &mut *guard;
        let mut fork = open.doc.fork();
        edit(&mut fork)?;
        if fork.automerge().get_heads() != open.doc.automerge().get_heads() {
            open.version = self.persist(open, &mut fork, None, &hub.peer_id).await?;
            open.doc = fork;
            for subscriber in open.subscribers.values_mut() {
                send_missing(&hub.peer_id, id, open.doc.automerge(), subscriber);
            }
        }
        if open.subscribers.is_empty()
            && let Ok(mut docs) = self.docs.lock()
        {
            docs.remove(id);
        }
        Ok(())
    }

    pub async fn disconnect(&self, connection: ConnectionId) {
        forget_connection(&self.docs, connection, |run| &mut run.subscribers).await;
    }

    /// Not at home at an inbound pickup: the client will not come today. A no-show (niet thuis)
    /// for each of their dagdelen in the dagstaat, and a push to the location's coaches.
    async fn report_not_home(&self, hub: &Hub, event: NotHome) {
        let (stop, date) = (&event.stop, event.date);
        let result = async {
            let dagstaat = documents::find_or_create(&self.db, stop.location_id as i32, date).await?;
            hub.edit(&dagstaat, |doc| {
                let known: Vec<String> = doc.events()?.into_iter().map(|e| e.id).collect();
                let dagdelen = doc
                    .clients()?
                    .into_iter()
                    .find(|c| c.client_id == stop.client_id)
                    .map(|c| c.dagdelen)
                    .unwrap_or_default();
                for dagdeel in dagdelen {
                    let id = format!("niet-thuis-{}-{}-{}", stop.id, stop.client_id, dagdeel.as_str());
                    if known.contains(&id) {
                        continue;
                    }
                    doc.append(&Event {
                        id,
                        kind: EventKind::NoShow {
                            client_id: stop.client_id,
                            dagdeel,
                            reason: NoShowReason::NietThuis,
                            note: format!("Niet thuis bij ophalen ({})", sync::dagdeel::format_hhmm(event.minute)),
                        },
                        author: event.driver,
                        recorded_at: Utc::now().to_rfc3339(),
                    })?;
                }
                Ok(())
            })
            .await?;
            let coaches = staff_of(&self.db, stop.location_id as i32, "coach")
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let notification = Notification {
                kind: Kind::NotHome,
                title: format!("Niet thuis: {}", stop.name),
                body: format!(
                    "De chauffeur trof {} om {} niet thuis aan. Genoteerd als afwezig (niet thuis).",
                    stop.name,
                    sync::dagdeel::format_hhmm(event.minute)
                ),
                url: "#/dagstaat".into(),
                tag: format!("not-home-{}-{}", date, stop.client_id),
            };
            self.push
                .notify_users(&coaches, &notification)
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            ApiResult::Ok(())
        }
        .await;
        if let Err(e) = result {
            tracing::error!(client_id = stop.client_id, error = %e, "not-at-home not carried to the dagstaat");
        }
    }

    /// A client reported ill or cancelled in the dagstaat before pickup: their planned stops of
    /// that date are cancelled in every run, and the drivers are told.
    pub async fn cancel_client(&self, hub: &Hub, date: NaiveDate, client_id: i64) -> ApiResult<()> {
        let runs = route_run::Entity::find()
            .filter(route_run::Column::Date.eq(date))
            .all(&self.db)
            .await?;
        for run in runs {
            let Ok(id) = run.document_id.parse::<DocumentId>() else {
                continue;
            };
            let mut cancelled: Vec<Stop> = Vec::new();
            self.edit(hub, &id, |doc| {
                let state = doc.state().map_err(|e| ApiError::Internal(e.to_string()))?;
                let planned: Vec<&(Stop, StopState)> = state
                    .iter()
                    .filter(|(s, _)| s.client_id == client_id)
                    .collect();
                // Once the client is in the bus, the ride goes on.
                if planned.is_empty()
                    || planned
                        .iter()
                        .any(|(_, st)| st.status != StopStatus::Planned)
                {
                    return Ok(());
                }
                let minute = minute_now();
                for (stop, _) in planned {
                    doc.append(&RunEvent {
                        id: format!("cancel-{}-{}", stop.id, Utc::now().timestamp_millis()),
                        kind: RunEventKind::Cancelled {
                            stop: stop.id.clone(),
                            minute,
                        },
                        author: 0,
                        recorded_at: Utc::now().to_rfc3339(),
                    })
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                    cancelled.push(stop.clone());
                }
                Ok(())
            })
            .await?;
            if let (Some(first), Some(driver)) = (cancelled.first(), run.driver_user_id) {
                let notification = Notification {
                    kind: Kind::StopCancelled,
                    title: format!("Rit geannuleerd: {}", first.name),
                    body: format!(
                        "{} komt vandaag niet. Stop om {} ({}) vervalt.",
                        first.name,
                        sync::dagdeel::format_hhmm(first.minute),
                        first.place
                    ),
                    url: "#/rit".into(),
                    tag: format!("cancelled-{}-{}", run.id, client_id),
                };
                if let Err(e) = self.push.notify_users(&[driver], &notification).await {
                    tracing::warn!(error = %e, "stop cancellation not pushed");
                }
            }
        }
        Ok(())
    }
}

async fn project_stop(
    txn: &impl sea_orm::ConnectionTrait,
    run_id: i32,
    stop: &Stop,
    state: &StopState,
) -> ApiResult<()> {
    use sea_orm::sea_query::Expr;
    ride_stop::Entity::update_many()
        .col_expr(
            ride_stop::Column::Status,
            Expr::value(state.status.as_str()),
        )
        .col_expr(
            ride_stop::Column::StatusMinute,
            Expr::value(state.minute.map(i32::from)),
        )
        .col_expr(
            ride_stop::Column::RecordedBy,
            Expr::value(state.author.map(|a| a as i32)),
        )
        .filter(ride_stop::Column::RouteRunId.eq(run_id))
        .filter(ride_stop::Column::ClientId.eq(stop.client_id as i32))
        .filter(ride_stop::Column::Kind.eq(stop.kind.as_str()))
        .exec(txn)
        .await?;
    Ok(())
}

/// The accepted not-at-home events the change added at inbound pickups.
fn new_not_home(before: &RouteRunDoc, after: &RouteRunDoc, run: &route_run::Model) -> Vec<NotHome> {
    if run.direction != "inbound" {
        return Vec::new();
    }
    let old: Vec<String> = before.accepted_events().into_iter().map(|e| e.id).collect();
    let stops = after.stops().unwrap_or_default();
    after
        .accepted_events()
        .into_iter()
        .filter(|e| !old.contains(&e.id))
        .filter_map(|e| match e.kind {
            RunEventKind::NotHome { stop, minute } => {
                let stop = stops
                    .iter()
                    .find(|s| s.id == stop && s.kind == "pickup")?
                    .clone();
                Some(NotHome {
                    stop,
                    date: run.date,
                    minute,
                    driver: e.author,
                })
            }
            _ => None,
        })
        .collect()
}
