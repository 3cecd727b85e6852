//! A phone for tests: a real automerge-repo websocket peer with its own copy of one document.
use std::time::Duration;

use automerge::AutoCommit;
use automerge::sync::{Message as SyncMessage, State, SyncDoc};
use futures_util::{SinkExt, StreamExt};
use sync::protocol::{DocumentId, Message, PeerMetadata, decode, encode};
use tokio_tungstenite::tungstenite::Message as Frame;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct Phone {
    socket: Socket,
    server: String,
    document_id: DocumentId,
    pub doc: AutoCommit,
    state: State,
    pub unavailable: bool,
}

/// The websocket address of the app's sync endpoint, authenticated by `token`.
pub fn sync_url(app_url: &str, token: &str) -> String {
    format!("{}/sync?token={token}", app_url.replacen("http", "ws", 1))
}

impl Phone {
    /// Connects with `token` and fetches the document (or learns it is unavailable).
    pub async fn open(app_url: &str, token: &str, document_id: DocumentId) -> Phone {
        let url = sync_url(app_url, token);
        let (mut socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("connects");
        let join = Message::Join {
            sender_id: "test-phone".into(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: PeerMetadata::default(),
        };
        socket
            .send(Frame::Binary(encode(&join).into()))
            .await
            .expect("join");
        let server = match socket.next().await {
            Some(Ok(Frame::Binary(bytes))) => match decode(&bytes).expect("decodes") {
                Message::Peer { sender_id, .. } => sender_id,
                other => panic!("expected peer, got {other:?}"),
            },
            other => panic!("no answer to join: {other:?}"),
        };
        let mut phone = Phone {
            socket,
            server,
            document_id,
            doc: AutoCommit::new(),
            state: State::new(),
            unavailable: false,
        };
        let first = phone
            .doc
            .sync()
            .generate_sync_message(&mut phone.state)
            .expect("a first message");
        let request = Message::Request {
            sender_id: "test-phone".into(),
            target_id: phone.server.clone(),
            document_id,
            data: first.encode(),
        };
        phone
            .socket
            .send(Frame::Binary(encode(&request).into()))
            .await
            .expect("request");
        phone.settle().await;
        phone
    }

    /// Exchanges sync messages until the server has nothing more to say.
    pub async fn settle(&mut self) {
        loop {
            let frame = tokio::time::timeout(Duration::from_millis(700), self.socket.next()).await;
            let Ok(Some(Ok(Frame::Binary(bytes)))) = frame else {
                return;
            };
            match decode(&bytes).expect("decodes") {
                Message::Sync { data, .. } => {
                    let message = SyncMessage::decode(&data).expect("sync message");
                    self.doc
                        .sync()
                        .receive_sync_message(&mut self.state, message)
                        .expect("applies");
                    self.send_sync().await;
                }
                Message::DocUnavailable { .. } => {
                    self.unavailable = true;
                    return;
                }
                _ => {}
            }
        }
    }

    /// Takes in what the server sends for `duration` without answering (a phone in a dead spot
    /// that still receives); returns how many messages came.
    pub async fn listen_without_answering(&mut self, duration: Duration) -> usize {
        let until = tokio::time::Instant::now() + duration;
        let mut messages = 0;
        while let Ok(Some(Ok(Frame::Binary(bytes)))) =
            tokio::time::timeout_at(until, self.socket.next()).await
        {
            if let Message::Sync { data, .. } = decode(&bytes).expect("decodes") {
                let message = SyncMessage::decode(&data).expect("sync message");
                self.doc
                    .sync()
                    .receive_sync_message(&mut self.state, message)
                    .expect("applies");
                messages += 1;
            }
        }
        messages
    }

    /// Asks the server whether it still hears this phone; true when its heartbeat came back.
    pub async fn heartbeat(&mut self) -> bool {
        let heartbeat = Message::Heartbeat {
            sender_id: "test-phone".into(),
            target_id: self.server.clone(),
        };
        self.socket
            .send(Frame::Binary(encode(&heartbeat).into()))
            .await
            .expect("heartbeat");
        let until = tokio::time::Instant::now() + Duration::from_secs(5);
        while let Ok(Some(Ok(Frame::Binary(bytes)))) =
            tokio::time::timeout_at(until, self.socket.next()).await
        {
            if let Message::Heartbeat { target_id, .. } = decode(&bytes).expect("decodes") {
                return target_id == "test-phone";
            }
        }
        false
    }

    async fn send_sync(&mut self) {
        if let Some(message) = self.doc.sync().generate_sync_message(&mut self.state) {
            let sync = Message::Sync {
                sender_id: "test-phone".into(),
                target_id: self.server.clone(),
                document_id: self.document_id,
                data: message.encode(),
            };
            self.socket
                .send(Frame::Binary(encode(&sync).into()))
                .await
                .expect("sync");
        }
    }

    /// Makes a local change and syncs it.
    pub async fn change(&mut self, edit: impl FnOnce(&mut AutoCommit)) {
        self.send_change(edit).await;
        self.settle().await;
    }

    /// Makes a local change and sends it without waiting for the answer.
    pub async fn send_change(&mut self, edit: impl FnOnce(&mut AutoCommit)) {
        edit(&mut self.doc);
        self.send_sync().await;
    }
}
