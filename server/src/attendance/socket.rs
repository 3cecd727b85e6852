//! `/sync`: the automerge-repo websocket endpoint. Authenticated by the session cookie (the PWA)
//! or `?token=` (API clients and tests); the first message must be `join`.
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use poem::web::websocket::{Message as Frame, WebSocket, WebSocketStream};
use poem::web::{Data, Query};
use poem::{IntoResponse, Request, handler};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use sync::protocol::{Message, PROTOCOL_VERSION, PeerMetadata, decode, encode};
use tokio::sync::mpsc;

use super::hub::{Hub, Peer};
use crate::auth::scheme::SESSION_COOKIE;
use crate::auth::{Principal, session};
use crate::http::ApiError;
use crate::startup::AppState;

/// The storage id the server announces; the PWA compares its heads with this storage's.
pub const SERVER_STORAGE_ID: &str = "dagstaat-server";

/// Larger frames are refused: a day's changes are kilobytes.
pub const MAX_FRAME_BYTES: usize = 4 * 1024 * 1024;

#[derive(Deserialize)]
pub struct SocketQuery {
    token: Option<String>,
}

#[handler]
pub async fn sync_socket(
    req: &Request,
    ws: WebSocket,
    Query(query): Query<SocketQuery>,
    Data(state): Data<&AppState>,
) -> poem::Result<impl IntoResponse> {
    let token = req
        .cookie()
        .get(SESSION_COOKIE)
        .map(|c| c.value_str().to_owned())
        .or(query.token)
        .ok_or(ApiError::Unauthenticated)?;
    let (principal, _) = session::principal_for_token(&state.db, &token)
        .await
        .map_err(ApiError::from)?
        .ok_or(ApiError::Unauthenticated)?;
    let hub = state.hub.clone();
    let session = Session {
        db: state.db.clone(),
        token,
        recheck: Duration::from_secs(state.config.session_recheck_seconds.max(1)),
    };
    Ok(ws.on_upgrade(move |socket| serve(hub, principal, session, socket)))
}

/// The session a connection was opened with, checked again while it stays open.
struct Session {
    db: DatabaseConnection,
    token: String,
    recheck: Duration,
}

impl Session {
    async fn still_valid(&self) -> bool {
        matches!(
            session::principal_for_token(&self.db, &self.token).await,
            Ok(Some(_))
        )
    }
}

async fn serve(hub: Arc<Hub>, principal: Principal, session: Session, socket: WebSocketStream) {
    let connection = hub.new_connection_id();
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut pending) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = tokio::spawn(async move {
        while let Some(bytes) = pending.recv().await {
            if sink.send(Frame::Binary(bytes)).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let mut peer: Option<Peer> = None;
    let fail = |target: &str, message: String| {
        let _ = outbox.send(encode(&Message::Error {
            sender_id: hub.peer_id.clone(),
            target_id: target.to_owned(),
            message,
        }));
    };
    let mut recheck = tokio::time::interval(session.recheck);
    recheck.tick().await;
    loop {
        let frame = tokio::select! {
            frame = stream.next() => match frame {
                Some(Ok(frame)) => frame,
                _ => break,
            },
            _ = recheck.tick() => {
                // A socket that never joined is one a client dropped while connecting (its
                // adapter retries with a new one); it would stay open for nothing.
                if peer.is_none() {
                    fail("", "no join before the session check; connect again".into());
                    break;
                }
                if session.still_valid().await {
                    continue;
                }
                let target = peer.as_ref().map(|p| p.peer_id.clone()).unwrap_or_default();
                fail(&target, "the session has ended; log in again".into());
                break;
            }
        };
        let bytes = match frame {
            Frame::Binary(bytes) => bytes,
            Frame::Close(_) => break,
            _ => continue,
        };
        let target = peer.as_ref().map(|p| p.peer_id.clone()).unwrap_or_default();
        if bytes.len() > MAX_FRAME_BYTES {
            fail(
                &target,
                format!("message larger than {MAX_FRAME_BYTES} bytes"),
            );
            break;
        }
        let message = match decode(&bytes) {
            Ok(message) => message,
            Err(e) => {
                fail(&target, e.to_string());
                break;
            }
        };
        match (&peer, message) {
            (
                None,
                Message::Join {
                    sender_id,
                    supported_protocol_versions,
                    ..
                },
            ) => {
                if !supported_protocol_versions
                    .iter()
                    .any(|v| v == PROTOCOL_VERSION)
                {
                    fail(
                        &sender_id,
                        format!("this server speaks protocol version {PROTOCOL_VERSION}"),
                    );
                    break;
                }
                let _ = outbox.send(encode(&Message::Peer {
                    sender_id: hub.peer_id.clone(),
                    target_id: sender_id.clone(),
                    selected_protocol_version: PROTOCOL_VERSION.to_owned(),
                    // One storage for the deployment (instances share the database), so phones can
                    // track which of their changes the server holds (`handle.getSyncInfo`).
                    peer_metadata: PeerMetadata {
                        storage_id: Some(SERVER_STORAGE_ID.to_owned()),
                        is_ephemeral: false,
                    },
                }));
                peer = Some(Peer {
                    connection,
                    peer_id: sender_id,
                    principal: principal.clone(),
                    outbox: outbox.clone(),
                });
            }
            (None, _) => {
                fail("", "send join first".into());
                break;
            }
            (
                Some(peer),
                Message::Request {
                    document_id, data, ..
                }
                | Message::Sync {
                    document_id, data, ..
                },
            ) => {
                if let Err(e) = hub.receive(peer, &document_id, &data).await {
                    tracing::warn!(user_id = peer.principal.user_id, error = %e, "sync failed; closing the connection");
                    fail(&peer.peer_id, e.to_string());
                    break;
                }
            }
            (Some(peer), Message::Heartbeat { .. }) => {
                let _ = outbox.send(encode(&Message::Heartbeat {
                    sender_id: hub.peer_id.clone(),
                    target_id: peer.peer_id.clone(),
                }));
            }
            // Ephemeral messages, remote-heads gossip, a second join: nothing to do.
            (Some(_), _) => {}
        }
    }
    hub.disconnect(connection).await;
    drop(peer);
    drop(outbox);
    let _ = writer.await;
}
