//! Sync load generator (issue 3) in Rust, so the generator is not the bottleneck: simulated phones
//! speak the automerge-repo websocket protocol (sync::protocol + automerge sync) to a sync server.
//!
//!   sync_load --target dagstaat --url http://127.0.0.1:8080 --password PW [--pid N]
//!   sync_load --target reference --url http://127.0.0.1:3030 [--pid N]
//!
//!   add --hold to read the server's memory (--pid) with every phone still connected
//!   add --leave for phones that disconnect after their last burst (before the eleventh session:
//!   a server that lets the phones in slowly then has fewer phones to update)
//!   add --pause-ms N for a phone's mean pause between bursts (default 250: saturation)
//!   --first-day N uses the documents of the days from N days ahead (default 1)
//!   --url A,B spreads the phones over several server instances on one database
//!
//! 200 phones over 20 dagstaat documents, 50 edits each in bursts of 10 (one automerge change per
//! burst: what a phone sends after being offline). A phone stays on its document after its last
//! burst, merging the others' changes as a coach's open phone does, until every phone is done;
//! then its own replica must converge with the server's (`phones_converged`). A burst's latency
//! runs from the edit until the message arrives whose heads show the server has it (`p50_ms`,
//! `p99_ms`; `processed_*` until the phone had merged the messages before it, too); the
//! dagstaat server sends those heads only after the change, its audit rows and the attendance
//! projection are committed. The run ends with the last acknowledgement. `all_loaded_ms` is when
//! the last phone had loaded its document: the start of its edits, so the part of the run that is
//! connecting rather than editing. The `sync_*` counts are the sync traffic between the phones and
//! the server until the last phone left, so with the time phones stay; as is `server_cpu_seconds`.
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{AutoCommit, ChangeHash, ReadDoc};
use futures_util::{SinkExt, StreamExt};
use rand::Rng;
use sync::Dagdeel;
use sync::dagstaat::{
    DagdeelStatus, DagstaatDoc, DagstaatHeader, Event, EventKind, ExpectedClient,
};
use sync::protocol::{DocumentId, Message, PeerMetadata, decode, encode};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message as Frame;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;
type Error = Box<dyn std::error::Error + Send + Sync>;

/// Sync messages the phones received from the start of the run until the last phone left (the
/// time phones stay included), and their bytes: what each server makes the phones merge.
static SYNC_MESSAGES_IN: AtomicU64 = AtomicU64::new(0);
static SYNC_BYTES_IN: AtomicU64 = AtomicU64::new(0);
/// Sync messages the phones sent.
static SYNC_MESSAGES_OUT: AtomicU64 = AtomicU64::new(0);
/// The bytes of the messages that loaded the phones' documents (included in `SYNC_BYTES_IN`).
static LOAD_BYTES_IN: AtomicU64 = AtomicU64::new(0);
/// Connections the phones opened, the first of each included.
static CONNECTIONS_OPENED: AtomicU64 = AtomicU64::new(0);

#[derive(Clone)]
struct Args {
    target: String,
    url: String,
    password: String,
    pid: Option<u32>,
    phones: usize,
    documents: usize,
    edits: usize,
    burst: usize,
    /// A phone's mean pause before each burst (uniform in 0.2x..1.8x): the default 250 ms asks
    /// more than either server can take (throughput); longer pauses measure latency at a load
    /// below saturation.
    pause_ms: u64,
    /// The dagstaat documents are those of the days from this many days after today (another
    /// run on the same server takes other days, so it starts from fresh documents).
    first_day: usize,
    /// Keep every phone connected after its edits until the server's memory is read.
    hold: bool,
    /// Keep every phone on its document after its last burst until all phones are done (not
    /// with `--leave`).
    stay: bool,
}

fn args() -> Args {
    let raw: Vec<String> = std::env::args().collect();
    let get = |name: &str| {
        raw.iter()
            .position(|a| a == name)
            .and_then(|i| raw.get(i + 1))
            .cloned()
    };
    let number =
        |name: &str, default: usize| get(name).and_then(|v| v.parse().ok()).unwrap_or(default);
    Args {
        target: get("--target").unwrap_or_else(|| "dagstaat".into()),
        url: get("--url").unwrap_or_else(|| "http://127.0.0.1:8080".into()),
        password: get("--password").unwrap_or_default(),
        pid: get("--pid").and_then(|p| p.parse().ok()),
        phones: number("--phones", 200),
        documents: number("--documents", 20),
        edits: number("--edits", 50),
        burst: number("--burst", 10),
        pause_ms: number("--pause-ms", 250) as u64,
        first_day: number("--first-day", 1),
        hold: raw.iter().any(|a| a == "--hold"),
        stay: !raw.iter().any(|a| a == "--leave"),
    }
}

/// One websocket peer: joined, with the server's peer id. A reader task takes the server's
/// messages off the socket as they arrive and notes when, so a phone busy merging other phones'
/// changes (on the generator's shared CPU, where a real phone has its own) does not delay the
/// moment its acknowledgement counts as received.
struct Peer {
    sink: futures_util::stream::SplitSink<Socket, Frame>,
    inbox: tokio::sync::mpsc::UnboundedReceiver<Result<Arrived, String>>,
    reader: tokio::task::JoinHandle<()>,
    me: String,
    server: String,
}

/// A message from the server and when it came off the socket.
struct Arrived {
    message: Message,
    at: Instant,
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Peer {
    async fn connect(url: &str, me: String) -> Result<Peer, Error> {
        let (mut socket, _) = tokio_tungstenite::connect_async(url).await?;
        let join = Message::Join {
            sender_id: me.clone(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: PeerMetadata {
                storage_id: None,
                is_ephemeral: true,
            },
        };
        socket.send(Frame::Binary(encode(&join).into())).await?;
        let server = loop {
            if let Message::Peer { sender_id, .. } = next_frame(&mut socket).await? {
                break sender_id;
            }
        };
        let (sink, mut stream) = socket.split();
        let (deliver, inbox) = tokio::sync::mpsc::unbounded_channel();
        let reader = tokio::spawn(async move {
            loop {
                let arrived = next_frame(&mut stream).await.map(|message| Arrived {
                    message,
                    at: Instant::now(),
                });
                let failed = arrived.is_err();
                if deliver.send(arrived.map_err(|e| e.to_string())).is_err() || failed {
                    return;
                }
            }
        });
        Ok(Peer {
            sink,
            inbox,
            reader,
            me,
            server,
        })
    }

    /// The server's next message, with when it arrived.
    async fn next(&mut self) -> Result<Arrived, Error> {
        match self.inbox.recv().await {
            Some(arrived) => Ok(arrived?),
            None => Err("connection closed".into()),
        }
    }

    async fn send(
        &mut self,
        document_id: DocumentId,
        data: Vec<u8>,
        request: bool,
    ) -> Result<(), Error> {
        let (sender_id, target_id) = (self.me.clone(), self.server.clone());
        let message = if request {
            Message::Request {
                sender_id,
                target_id,
                document_id,
                data,
            }
        } else {
            Message::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            }
        };
        self.sink
            .send(Frame::Binary(encode(&message).into()))
            .await?;
        Ok(())
    }
}

async fn next_frame<S>(socket: &mut S) -> Result<Message, Error>
where
    S: futures_util::Stream<Item = Result<Frame, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        match socket.next().await {
            Some(Ok(Frame::Binary(bytes))) => return Ok(decode(&bytes)?),
            Some(Ok(Frame::Close(_))) | None => return Err("connection closed".into()),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
        }
    }
}

/// A phone's copy of one document and its sync state with the server.
struct Replica {
    doc: DagstaatDoc,
    state: SyncState,
    id: DocumentId,
    /// Whether the document has been loaded from the server.
    loaded: bool,
}

impl Replica {
    fn new(id: DocumentId, doc: DagstaatDoc) -> Replica {
        Replica {
            doc,
            state: SyncState::new(),
            id,
            loaded: false,
        }
    }

    /// Sends what the server lacks, if anything.
    async fn flush(&mut self, peer: &mut Peer, request: bool) -> Result<(), Error> {
        if let Some(message) = self
            .doc
            .automerge()
            .sync()
            .generate_sync_message(&mut self.state)
        {
            SYNC_MESSAGES_OUT.fetch_add(1, Ordering::Relaxed);
            peer.send(self.id, message.encode(), request).await?;
        }
        Ok(())
    }

    /// Handles the server's next message; false when the server does not have the document.
    /// Also returns when the message arrived.
    async fn receive(&mut self, peer: &mut Peer) -> Result<(bool, Instant), Error> {
        let arrived = peer.next().await?;
        Ok((self.handle(peer, arrived.message).await?, arrived.at))
    }

    async fn handle(&mut self, peer: &mut Peer, message: Message) -> Result<bool, Error> {
        match message {
            Message::Sync {
                document_id, data, ..
            } if document_id == self.id => {
                SYNC_MESSAGES_IN.fetch_add(1, Ordering::Relaxed);
                SYNC_BYTES_IN.fetch_add(data.len() as u64, Ordering::Relaxed);
                if !self.loaded {
                    LOAD_BYTES_IN.fetch_add(data.len() as u64, Ordering::Relaxed);
                }
                let message = SyncMessage::decode(&data)?;
                self.doc
                    .automerge()
                    .sync()
                    .receive_sync_message(&mut self.state, message)?;
                self.flush(peer, false).await?;
                Ok(true)
            }
            Message::DocUnavailable { .. } => Ok(false),
            Message::Error { message, .. } => Err(message.into()),
            _ => Ok(true),
        }
    }

    /// Takes in what the server sends until `until`, as the PWA does between taps. Left in the
    /// socket, other phones' changes would be merged during the next edit and counted in its
    /// latency.
    async fn listen_until(
        &mut self,
        peer: &mut Peer,
        until: tokio::time::Instant,
    ) -> Result<(), Error> {
        loop {
            let arrived = tokio::select! {
                _ = tokio::time::sleep_until(until) => return Ok(()),
                arrived = peer.next() => arrived?,
            };
            self.handle(peer, arrived.message).await?;
        }
    }

    /// Whether the server, as far as we know, has `hash`: its heads name it, or equal ours (as the
    /// JS generator judges it; cheap, and never early).
    fn server_has(&mut self, hash: ChangeHash) -> bool {
        let named = self
            .state
            .their_heads
            .as_ref()
            .is_some_and(|theirs| theirs.contains(&hash));
        named || self.converged()
    }

    /// Whether this replica has exactly the server's heads, as far as it knows them.
    fn converged(&mut self) -> bool {
        let mut theirs = self.state.their_heads.clone().unwrap_or_default();
        let mut ours = self.doc.automerge().get_heads();
        theirs.sort();
        ours.sort();
        !theirs.is_empty() && theirs == ours
    }

    /// Syncs until the server's heads include `hash`; returns when the message that told arrived.
    async fn until_server_has(
        &mut self,
        peer: &mut Peer,
        hash: ChangeHash,
    ) -> Result<Instant, Error> {
        let mut told = Instant::now();
        while !self.server_has(hash) {
            let (available, arrived) = self.receive(peer).await?;
            if !available {
                return Err("document unavailable".into());
            }
            told = arrived;
        }
        Ok(told)
    }
}

/// Connects (again), retrying for up to a minute while the server restarts.
async fn reconnect(socket: &str, index: usize) -> Result<Peer, Error> {
    CONNECTIONS_OPENED.fetch_add(1, Ordering::Relaxed);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match Peer::connect(socket, format!("phone-{index}-{}", rand::random::<u32>())).await {
            Ok(peer) => return Ok(peer),
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Loads a document from the server into a fresh replica.
async fn fetch(peer: &mut Peer, id: DocumentId) -> Result<Replica, Error> {
    let mut replica = Replica::new(id, DagstaatDoc::load(&AutoCommit::new().save())?);
    replica.flush(peer, true).await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if !replica.receive(peer).await?.0 {
            return Err(format!("document {id} unavailable").into());
        }
        let doc = replica.doc.read();
        let loaded = doc.get(automerge::ROOT, "events")?.is_some();
        let theirs = replica.state.their_heads.clone().unwrap_or_default();
        if loaded
            && !theirs.is_empty()
            && theirs.iter().all(|h| doc.get_change_by_hash(h).is_some())
        {
            replica.loaded = true;
            return Ok(replica);
        }
        if Instant::now() > deadline {
            return Err("document did not load".into());
        }
    }
}

struct Setup {
    documents: Vec<DocumentId>,
    author: i64,
    /// One websocket address per server instance; phone i uses the (i mod n)th.
    sockets: Vec<String>,
    /// The dagstaat server's bearer token and each document's location and date, to read the
    /// attendance projection after the run.
    projection: Option<(String, Vec<(i64, chrono::NaiveDate)>)>,
}

impl Setup {
    fn socket(&self, phone: usize) -> &str {
        &self.sockets[phone % self.sockets.len()]
    }
}

/// The HTTP address of the first server instance (`--url` may list several).
fn first_url(a: &Args) -> &str {
    a.url.split(',').next().unwrap_or(&a.url)
}

async fn setup(a: &Args) -> Result<Setup, Error> {
    let base = first_url(a);
    let ws = base.replacen("http", "ws", 1);
    if a.target == "dagstaat" {
        let http = reqwest::Client::new();
        let login: serde_json::Value = http
            .post(format!("{base}/api/auth/token"))
            .json(&serde_json::json!({"email": "admin@demo.dagstaat.nl", "password": a.password}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let token = login["token"].as_str().ok_or("no token")?.to_owned();
        let author = login["user"]["id"].as_i64().unwrap_or(1);
        let locations: serde_json::Value = http
            .get(format!("{base}/api/locations"))
            .bearer_auth(&token)
            .send()
            .await?
            .json()
            .await?;
        let ids: Vec<i64> = locations["items"]
            .as_array()
            .ok_or("no locations")?
            .iter()
            .filter_map(|l| l["id"].as_i64())
            .collect();
        let mut documents = Vec::new();
        let mut days = Vec::new();
        let today = sync::amsterdam_date(chrono::Utc::now());
        'days: for day in a.first_day.. {
            for id in &ids {
                if documents.len() == a.documents {
                    break 'days;
                }
                let date = today + chrono::Duration::days(day as i64);
                let r: serde_json::Value = http
                    .get(format!("{base}/api/locations/{id}/dagstaat?date={date}"))
                    .bearer_auth(&token)
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                documents.push(r["document_id"].as_str().ok_or("no document id")?.parse()?);
                days.push((*id, date));
            }
        }
        let sockets = a
            .url
            .split(',')
            .map(|url| format!("{}/sync?token={token}", url.replacen("http", "ws", 1)))
            .collect();
        return Ok(Setup {
            documents,
            author,
            sockets,
            projection: Some((token, days)),
        });
    }
    // The reference server keeps what clients create: seed documents shaped like a dagstaat.
    let mut peer = Peer::connect(&ws, "seeder".into()).await?;
    let mut documents = Vec::new();
    for d in 0..a.documents {
        let header = DagstaatHeader {
            location_id: 1,
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
                + chrono::Duration::days(d as i64),
            dagdelen: vec![
                (Dagdeel::Ochtend, Dagdeel::Ochtend.default_window(), 16),
                (Dagdeel::Middag, Dagdeel::Middag.default_window(), 16),
            ],
        };
        let clients: Vec<ExpectedClient> = (1..=30)
            .map(|c| ExpectedClient {
                client_id: c,
                name: format!("Cliënt {c}"),
                dagdelen: vec![Dagdeel::Ochtend, Dagdeel::Middag],
                wheelchair: false,
                walker: false,
                escort: false,
            })
            .collect();
        let doc = DagstaatDoc::create(&header, &clients)?;
        let id = DocumentId::from_bytes(rand::random());
        let mut replica = Replica::new(id, doc);
        let hash = replica.doc.automerge().get_heads()[0];
        replica.flush(&mut peer, false).await?;
        replica.until_server_has(&mut peer, hash).await?;
        documents.push(id);
    }
    Ok(Setup {
        documents,
        author: 1,
        projection: None,
        sockets: vec![ws],
    })
}

struct Acked {
    document: DocumentId,
    ids: Vec<String>,
}

/// What the phones record during the run.
struct Tally {
    started: Instant,
    /// Per burst: from the edit until the server's acknowledgement reached the phone (ms).
    latencies: Mutex<Vec<f64>>,
    /// Per burst: from the edit until the phone had processed the acknowledgement, after the
    /// messages before it (ms): what the sessions before the twelfth reported.
    processed: Mutex<Vec<f64>>,
    /// Per phone: from the start of the run until its document is loaded (ms).
    ready: Mutex<Vec<f64>>,
    acked: Mutex<Vec<Acked>>,
    /// When the last burst was acknowledged (ms): the end of the measured run.
    last_ack: Mutex<f64>,
    /// Phones done with their bursts (or failed); the last one to finish says so on `all_done`.
    finished: AtomicU64,
    all_done: tokio::sync::watch::Sender<bool>,
    /// Phones that stayed and whose own replica reached the server's heads in the end.
    converged: AtomicU64,
}

async fn phone(
    index: usize,
    a: Args,
    setup: Arc<Setup>,
    tally: Arc<Tally>,
    hold: Option<Arc<(tokio::sync::Barrier, tokio::sync::Barrier)>>,
) -> Result<(), Error> {
    let connected = edit(index, &a, &setup, &tally).await;
    if tally.finished.fetch_add(1, Ordering::SeqCst) + 1 == a.phones as u64 {
        tally.all_done.send_replace(true);
    }
    let connected = match connected {
        Ok((peer, replica)) if a.stay => stay(index, &setup, &tally, peer, replica).await,
        other => other.map(|(peer, _)| peer),
    };
    // Still connected, with the document open, while the server's memory is read (a phone that
    // failed still takes part, so the reading never waits forever).
    if let Some(hold) = hold {
        hold.0.wait().await;
        hold.1.wait().await;
    }
    connected.map(drop)
}

/// How long a phone that stayed waits, once every phone is done, for its replica to converge.
const CONVERGE_WITHIN: Duration = Duration::from_secs(10);

/// Keeps a phone on its document, merging what the server sends, until every phone is done; then
/// until its replica has the server's heads (counted in `converged`). Reconnects if the server
/// goes away (the kill -9 run).
async fn stay(
    index: usize,
    setup: &Setup,
    tally: &Tally,
    mut peer: Peer,
    mut replica: Replica,
) -> Result<Peer, Error> {
    let mut done = tally.all_done.subscribe();
    let mut deadline = None;
    loop {
        if deadline.is_none() && *done.borrow() {
            deadline = Some(tokio::time::Instant::now() + CONVERGE_WITHIN);
        }
        if deadline.is_some() && replica.converged() {
            tally.converged.fetch_add(1, Ordering::Relaxed);
            return Ok(peer);
        }
        let give_up = deadline.unwrap_or_else(tokio::time::Instant::now);
        let received = tokio::select! {
            _ = done.changed(), if deadline.is_none() => continue,
            _ = tokio::time::sleep_until(give_up), if deadline.is_some() => return Ok(peer),
            arrived = peer.next() => arrived,
        };
        let handled = match received {
            Ok(arrived) => replica.handle(&mut peer, arrived.message).await.map(drop),
            Err(e) => Err(e),
        };
        if handled.is_err() {
            peer = reconnect(setup.socket(index), index).await?;
            replica.state = SyncState::new();
            replica.flush(&mut peer, false).await?;
        }
    }
}

/// A phone's edits; returns its connection, still open, and its replica.
async fn edit(
    index: usize,
    a: &Args,
    setup: &Setup,
    tally: &Tally,
) -> Result<(Peer, Replica), Error> {
    let id = setup.documents[index % setup.documents.len()];
    let mut peer = reconnect(setup.socket(index), index).await?;
    let mut replica = loop {
        match fetch(&mut peer, id).await {
            Ok(replica) => break replica,
            Err(_) => peer = reconnect(setup.socket(index), index).await?,
        }
    };
    tally.ready.lock().await.push(millis(tally.started));
    let clients: Vec<i64> = replica
        .doc
        .clients()?
        .into_iter()
        .map(|c| c.client_id)
        .collect();
    for b in 0..a.edits / a.burst {
        let pause = rand::rng().random_range(a.pause_ms / 5..=a.pause_ms * 9 / 5);
        let until = tokio::time::Instant::now() + Duration::from_millis(pause);
        if replica.listen_until(&mut peer, until).await.is_err() {
            // The server went away (kill -9 during the run): the burst below reconnects.
            tokio::time::sleep_until(until).await;
        }
        let started = Instant::now();
        let mut ids = Vec::with_capacity(a.burst);
        for e in 0..a.burst {
            let n = b * a.burst + e;
            let client_id = clients[(index * 7 + n) % clients.len()];
            let minute = (8 * 60 + (n % 600)) as u16;
            let event = Event {
                id: format!("{index}-{n}-{:08x}", rand::random::<u32>()),
                kind: if n.is_multiple_of(2) {
                    EventKind::CheckIn { client_id, minute }
                } else {
                    EventKind::CheckOut { client_id, minute }
                },
                author: setup.author,
                recorded_at: chrono::Utc::now().to_rfc3339(),
            };
            ids.push(event.id.clone());
            replica.doc.append(&event)?;
        }
        // The burst is one change, as the PWA makes one change per tap flushed together.
        replica.doc.automerge().commit();
        let hash = replica.doc.automerge().get_heads()[0];
        // The server may go away (kill -9 during the run): reconnect and sync again until it has
        // the change; what it acknowledged before must still be there afterwards.
        let acknowledged = loop {
            if replica.flush(&mut peer, false).await.is_ok()
                && let Ok(arrived) = replica.until_server_has(&mut peer, hash).await
            {
                break arrived;
            }
            peer = reconnect(setup.socket(index), index).await?;
            replica.state = SyncState::new();
        };
        tally
            .latencies
            .lock()
            .await
            .push(millis_between(started, acknowledged));
        tally.processed.lock().await.push(millis(started));
        tally.acked.lock().await.push(Acked { document: id, ids });
        let mut last_ack = tally.last_ack.lock().await;
        *last_ack = last_ack.max(millis_between(tally.started, acknowledged));
    }
    Ok((peer, replica))
}

fn millis(since: Instant) -> f64 {
    millis_between(since, Instant::now())
}

fn millis_between(from: Instant, to: Instant) -> f64 {
    to.duration_since(from).as_secs_f64() * 1000.0
}

/// The `p`th percentile of `sorted` (ms, one decimal).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let value = sorted
        .get(((p / 100.0) * sorted.len() as f64) as usize)
        .or(sorted.last())
        .copied()
        .unwrap_or(0.0);
    (value * 10.0).round() / 10.0
}

/// Whether the server's attendance rows of a day are the fold of its converged document.
async fn projection_matches(
    url: &str,
    token: &str,
    (location, date): (i64, chrono::NaiveDate),
    doc: &mut DagstaatDoc,
) -> Result<bool, Error> {
    type Row = (i64, String, String, Option<i64>, Option<i64>, i64);
    let rows: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{url}/api/attendance?location_id={location}&date={date}&limit=500"
        ))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut projected: Vec<Row> = rows["items"]
        .as_array()
        .ok_or("no attendance rows")?
        .iter()
        .map(|r| {
            (
                r["client_id"].as_i64().unwrap_or(-1),
                r["dagdeel"].as_str().unwrap_or("").to_owned(),
                r["status"].as_str().unwrap_or("").to_owned(),
                r["present_from"].as_i64(),
                r["present_to"].as_i64(),
                r["minutes_present"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    let mut folded: Vec<Row> = doc
        .state()?
        .dagdelen
        .iter()
        .map(|e| {
            (
                e.client_id,
                e.dagdeel.as_str().to_owned(),
                match e.status {
                    DagdeelStatus::Expected => "expected",
                    DagdeelStatus::Present => "present",
                    DagdeelStatus::NoShow => "no_show",
                    DagdeelStatus::Unexpected => "unexpected",
                }
                .to_owned(),
                e.present_from.map(i64::from),
                e.present_to.map(i64::from),
                i64::from(e.minutes_present),
            )
        })
        .collect();
    projected.sort();
    folded.sort();
    Ok(projected == folded)
}

/// The sync traffic counters: messages and bytes to the phones, bytes of document loads,
/// messages from the phones.
fn traffic() -> [u64; 4] {
    [
        &SYNC_MESSAGES_IN,
        &SYNC_BYTES_IN,
        &LOAD_BYTES_IN,
        &SYNC_MESSAGES_OUT,
    ]
    .map(|counter| counter.load(Ordering::Relaxed))
}

fn rss_mib(pid: Option<u32>) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

fn cpu_seconds(pid: Option<u32>) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid?)).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let a = args();
    // The server may be restarting (the kill -9 run): retry for up to a minute.
    let deadline = Instant::now() + Duration::from_secs(60);
    let setup = loop {
        match setup(&a).await {
            Ok(setup) => break Arc::new(setup),
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    };
    let traffic_before = traffic();
    let rss_before = rss_mib(a.pid);
    let cpu_before = cpu_seconds(a.pid);
    let tally = Arc::new(Tally {
        started: Instant::now(),
        latencies: Mutex::default(),
        processed: Mutex::default(),
        ready: Mutex::default(),
        acked: Mutex::default(),
        last_ack: Mutex::default(),
        finished: AtomicU64::new(0),
        all_done: tokio::sync::watch::channel(false).0,
        converged: AtomicU64::new(0),
    });
    let hold = a.hold.then(|| {
        Arc::new((
            tokio::sync::Barrier::new(a.phones + 1),
            tokio::sync::Barrier::new(a.phones + 1),
        ))
    });
    let tasks: Vec<_> = (0..a.phones)
        .map(|i| {
            tokio::spawn(phone(
                i,
                a.clone(),
                setup.clone(),
                tally.clone(),
                hold.clone(),
            ))
        })
        .collect();
    let rss_connected = match &hold {
        Some(hold) => {
            hold.0.wait().await;
            let rss = rss_mib(a.pid);
            hold.1.wait().await;
            rss
        }
        None => None,
    };
    let mut failed = 0;
    for task in tasks {
        if !matches!(task.await, Ok(Ok(()))) {
            failed += 1;
        }
    }
    // The run ends with the last acknowledgement (phones that stay are not edits).
    let seconds = *tally.last_ack.lock().await / 1000.0;
    let traffic: Vec<u64> = traffic()
        .iter()
        .zip(traffic_before)
        .map(|(after, before)| after - before)
        .collect();
    let rss_loaded = rss_mib(a.pid);
    let server_cpu = cpu_seconds(a.pid)
        .zip(cpu_before)
        .map(|(after, before)| after - before);

    // Convergence: a fresh phone per document sees every acknowledged event exactly once.
    let mut peer = reconnect(setup.socket(0), usize::MAX).await?;
    let acked = tally.acked.lock().await;
    let (mut missing, mut total, mut duplicated) = (0usize, 0usize, 0usize);
    let mut projection_mismatches = 0usize;
    for (d, id) in setup.documents.iter().enumerate() {
        let mut replica = fetch(&mut peer, *id).await?;
        if let Some((token, days)) = &setup.projection
            && !projection_matches(first_url(&a), token, days[d], &mut replica.doc).await?
        {
            projection_mismatches += 1;
        }
        let events = replica.doc.events()?;
        let have: HashSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
        duplicated += events.len() - have.len();
        total += events.len();
        for a in acked.iter().filter(|a| a.document == *id) {
            missing += a.ids.iter().filter(|i| !have.contains(i.as_str())).count();
        }
    }
    let mut sorted = tally.latencies.lock().await.clone();
    sorted.sort_by(f64::total_cmp);
    let mut processed = tally.processed.lock().await.clone();
    processed.sort_by(f64::total_cmp);
    let mut ready = tally.ready.lock().await.clone();
    ready.sort_by(f64::total_cmp);
    println!(
        "{}",
        serde_json::json!({
            "target": a.target,
            "phones": a.phones,
            "pause_ms": a.pause_ms,
            "failed_phones": failed,
            "documents": a.documents,
            "edits": a.phones * a.edits,
            "seconds": (seconds * 100.0).round() / 100.0,
            "events_per_second": ((a.phones * a.edits) as f64 / seconds).round(),
            "changes_per_second": (sorted.len() as f64 / seconds).round(),
            "p50_ms": percentile(&sorted, 50.0),
            "p99_ms": percentile(&sorted, 99.0),
            "processed_p50_ms": percentile(&processed, 50.0),
            "processed_p99_ms": percentile(&processed, 99.0),
            "all_loaded_ms": percentile(&ready, 100.0),
            "loaded_p90_ms": percentile(&ready, 90.0),
            "loaded_p99_ms": percentile(&ready, 99.0),
            "connections_opened": CONNECTIONS_OPENED.load(Ordering::Relaxed),
            "stay": a.stay,
            "phones_converged": a.stay.then(|| tally.converged.load(Ordering::Relaxed)),
            "sync_messages_to_phones": traffic[0],
            "sync_kib_to_phones": traffic[1] / 1024,
            "sync_kib_loading_documents": traffic[2] / 1024,
            "sync_messages_from_phones": traffic[3],
            "events_on_server": total,
            "duplicated_events": duplicated,
            "acknowledged_but_missing": missing,
            "documents_with_projection_mismatch": setup.projection.as_ref().map(|_| projection_mismatches),
            "server_cpu_seconds": server_cpu.map(|c| (c * 10.0).round() / 10.0),
            "rss_before_mib": rss_before.map(|r| r.round()),
            "rss_loaded_mib": rss_loaded.map(|r| r.round()),
            "rss_connected_mib": rss_connected.map(|r| (r * 10.0).round() / 10.0),
        })
    );
    Ok(())
}
