//! Building the application and running the HTTP server.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use poem::Request;
use poem::listener::{Acceptor, TcpAcceptor};
use sea_orm::DatabaseConnection;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::attendance::hub::Hub;
use crate::auth::rate_limit::LoginLimiter;
use crate::config::Config;
use crate::http::{ApiError, routes};
use crate::push::sender::{PushError, PushService};
use crate::{db, demo};

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub limiter: Arc<LoginLimiter>,
    pub hub: Arc<Hub>,
    pub push: Arc<PushService>,
    pub travel: Arc<crate::transport::travel::TravelTimes>,
}

impl AppState {
    pub fn of(req: &Request) -> Result<&AppState, ApiError> {
        req.data::<AppState>()
            .ok_or_else(|| ApiError::Internal("application state missing".into()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("demo data: {0}")]
    Demo(#[from] demo::DemoError),
    #[error("web push: {0}")]
    Push(#[from] PushError),
}

/// A running server: its address, and a handle to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Connects, migrates, loads the demo on an empty database if configured, and starts listening.
    pub async fn start(config: Config) -> Result<Server, StartupError> {
        let db = db::connect(&config.database_url()).await?;
        db::migrate(&db).await?;
        let interrupted = crate::transport::plans::fail_interrupted(&db).await?;
        if interrupted > 0 {
            tracing::warn!(
                interrupted,
                "transport plans interrupted by the restart marked failed"
            );
        }
        if config.demo_on_empty && demo::is_empty(&db).await? {
            let credentials = demo::load(&db, config.demo_password.clone()).await?;
            demo::record_recent_history(&db).await?;
            demo::save_and_print_credentials(&config.data_dir, &credentials);
        } else {
            demo::print_saved_credentials(&config.data_dir);
        }
        let push = Arc::new(PushService::load_or_create(db.clone()).await?);
        let state = AppState {
            hub: Arc::new(Hub::new(db.clone()).with_route_runs(push.clone())),
            push,
            travel: Arc::new(crate::transport::travel::TravelTimes::new(
                config.osrm_url.clone(),
            )),
            db,
            config: Arc::new(config),
            limiter: Arc::new(LoginLimiter::default()),
        };
        spawn_day_preparation(state.hub.clone());
        crate::attendance::listener::spawn(&state.db, state.hub.clone());
        if state.config.notification_checks {
            spawn_notification_checks(state.db.clone(), state.push.clone());
        }
        Server::listen(state).await
    }

    pub async fn listen(state: AppState) -> Result<Server, StartupError> {
        let bind = state.config.bind;
        let acceptor = listen_on(bind)
            .and_then(TcpAcceptor::from_tokio)
            .map_err(|source| StartupError::Bind { addr: bind, source })?;
        let addr = acceptor
            .local_addr()
            .first()
            .and_then(|a| a.as_socket_addr().copied())
            .unwrap_or(bind);
        let app = routes::app(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            poem::Server::new_with_acceptor(acceptor)
                .run_with_graceful_shutdown(
                    app,
                    async {
                        let _ = rx.await;
                    },
                    Some(Duration::from_secs(10)),
                )
                .await
        });
        tracing::info!(%addr, "listening");
        Ok(Server {
            addr,
            state,
            shutdown: Some(tx),
            task,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections and waits for running requests.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await.unwrap_or(Ok(()))
    }
}

/// Connections waiting to be accepted, at most (the kernel caps it at `net.core.somaxconn`).
/// The usual 128 overflows when the phones of a provider connect at once (the morning, a server
/// restart): the kernel then drops the handshakes it has no room for, and each of those phones
/// waits a second before it tries again.
const ACCEPT_BACKLOG: u32 = 1024;

fn listen_on(bind: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if bind.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(bind)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// Days ahead for which dagstaat documents exist, so phones can load them before going offline.
pub const PREPARED_DAYS: i64 = 7;

/// Keeps the dagstaat documents of today and the coming week created (hourly, so a new day is ready).
fn spawn_day_preparation(hub: Arc<Hub>) {
    tokio::spawn(async move {
        loop {
            match hub.prepare_days(PREPARED_DAYS).await {
                Ok(count) => tracing::debug!(count, "dagstaat documents prepared"),
                Err(e) => tracing::error!(error = %e, "preparing dagstaat documents failed"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
}

/// Hourly: notify coordinators of tomorrow's over-capacity dagdelen and allocations ending soon.
fn spawn_notification_checks(db: DatabaseConnection, push: Arc<PushService>) {
    tokio::spawn(async move {
        loop {
            let today = sync::amsterdam_date(chrono::Utc::now());
            match crate::push::events::run_checks(&db, &push, today).await {
                Ok(report) => tracing::debug!(?report, "notification checks done"),
                Err(e) => tracing::error!(error = %e, "notification checks failed"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
}
