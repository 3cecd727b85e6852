//! The automerge-repo websocket protocol (version "1"), as `@automerge/automerge-repo-network-websocket`
//! speaks it: CBOR maps with a `type` field; document data as byte strings.
//!
//! Decoding never panics: any input gives a message or a [`DecodeError`].
use std::fmt;
use std::str::FromStr;

use ciborium::Value;

pub const PROTOCOL_VERSION: &str = "1";

/// What a peer says about itself in join/peer messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerMetadata {
    pub storage_id: Option<String>,
    pub is_ephemeral: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Client to server, first message on a connection.
    Join {
        sender_id: String,
        supported_protocol_versions: Vec<String>,
        peer_metadata: PeerMetadata,
    },
    /// Server to client, the answer to `Join`.
    Peer {
        sender_id: String,
        target_id: String,
        selected_protocol_version: String,
        peer_metadata: PeerMetadata,
    },
    /// The sender closes the connection after this.
    Error {
        sender_id: String,
        target_id: String,
        message: String,
    },
    /// "I want this document"; `data` is an automerge sync message.
    Request {
        sender_id: String,
        target_id: String,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    /// An automerge sync message for a document.
    Sync {
        sender_id: String,
        target_id: String,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    /// The sender does not have the document (or will not share it).
    DocUnavailable {
        sender_id: String,
        target_id: String,
        document_id: DocumentId,
    },
    /// dagstaat's own: "do you still hear me?", answered with the same. A phone that keeps its
    /// network but loses the server gets no `offline` event, and its open socket can linger until
    /// TCP gives up; without an answer the phone knows sooner. automerge-repo ignores message types
    /// it does not know, so other peers are not disturbed.
    Heartbeat {
        sender_id: String,
        target_id: String,
    },
    /// A message type this server does not act on (ephemeral, remote heads, ...).
    Other { kind: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not CBOR: {0}")]
    Cbor(String),
    #[error("a message must be a CBOR map")]
    NotAMap,
    #[error("field `{0}` is missing or has the wrong type")]
    Field(&'static str),
    #[error("invalid document id: {0}")]
    DocumentId(String),
}

/// An automerge-repo document id: base58check of 16 bytes (a UUID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

impl DocumentId {
    pub fn from_bytes(bytes: [u8; 16]) -> DocumentId {
        DocumentId(bytes)
    }

    /// The `automerge:` URL the JS client's `repo.find` takes.
    pub fn url(&self) -> String {
        format!("automerge:{self}")
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl FromStr for DocumentId {
    type Err = DecodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.strip_prefix("automerge:").unwrap_or(s);
        let bytes = bs58::decode(s)
            .with_check(None)
            .into_vec()
            .map_err(|e| DecodeError::DocumentId(e.to_string()))?;
        let bytes: [u8; 16] = bytes
            .try_into()
            .map_err(|_| DecodeError::DocumentId("not 16 bytes".into()))?;
        Ok(DocumentId(bytes))
    }
}

pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
    let value: Value =
        ciborium::from_reader(bytes).map_err(|e| DecodeError::Cbor(e.to_string()))?;
    let Value::Map(entries) = value else {
        return Err(DecodeError::NotAMap);
    };
    let map = Fields(&entries);
    let sender_id = || map.text("senderId");
    let target_id = || map.text("targetId");
    let document_id = || -> Result<DocumentId, DecodeError> { map.text("documentId")?.parse() };
    let data = || map.bytes("data");
    Ok(match map.text("type")?.as_str() {
        "join" => Message::Join {
            sender_id: sender_id()?,
            supported_protocol_versions: map.text_list("supportedProtocolVersions")?,
            peer_metadata: map.peer_metadata(),
        },
        "peer" => Message::Peer {
            sender_id: sender_id()?,
            target_id: target_id()?,
            selected_protocol_version: map.text("selectedProtocolVersion")?,
            peer_metadata: map.peer_metadata(),
        },
        "error" => Message::Error {
            sender_id: sender_id()?,
            target_id: target_id()?,
            message: map.text("message")?,
        },
        "request" => Message::Request {
            sender_id: sender_id()?,
            target_id: target_id()?,
            document_id: document_id()?,
            data: data()?,
        },
        "sync" => Message::Sync {
            sender_id: sender_id()?,
            target_id: target_id()?,
            document_id: document_id()?,
            data: data()?,
        },
        "doc-unavailable" => Message::DocUnavailable {
            sender_id: sender_id()?,
            target_id: target_id()?,
            document_id: document_id()?,
        },
        "heartbeat" => Message::Heartbeat {
            sender_id: sender_id()?,
            target_id: target_id()?,
        },
        other => Message::Other {
            kind: other.to_owned(),
        },
    })
}

pub fn encode(message: &Message) -> Vec<u8> {
    let text = |s: &str| Value::Text(s.to_owned());
    let entry = |k: &str, v: Value| (text(k), v);
    let metadata = |m: &PeerMetadata| {
        let mut fields = vec![entry("isEphemeral", Value::Bool(m.is_ephemeral))];
        if let Some(id) = &m.storage_id {
            fields.push(entry("storageId", text(id)));
        }
        Value::Map(fields)
    };
    let entries = match message {
        Message::Join {
            sender_id,
            supported_protocol_versions,
            peer_metadata,
        } => vec![
            entry("type", text("join")),
            entry("senderId", text(sender_id)),
            entry(
                "supportedProtocolVersions",
                Value::Array(
                    supported_protocol_versions
                        .iter()
                        .map(|v| text(v))
                        .collect(),
                ),
            ),
            entry("peerMetadata", metadata(peer_metadata)),
        ],
        Message::Peer {
            sender_id,
            target_id,
            selected_protocol_version,
            peer_metadata,
        } => vec![
            entry("type", text("peer")),
            entry("senderId", text(sender_id)),
            entry("targetId", text(target_id)),
            entry("selectedProtocolVersion", text(selected_protocol_version)),
            entry("peerMetadata", metadata(peer_metadata)),
        ],
        Message::Error {
            sender_id,
            target_id,
            message,
        } => vec![
            entry("type", text("error")),
            entry("senderId", text(sender_id)),
            entry("targetId", text(target_id)),
            entry("message", text(message)),
        ],
        Message::Request {
            sender_id,
            target_id,
            document_id,
            data,
        }
        | Message::Sync {
            sender_id,
            target_id,
            document_id,
            data,
        } => vec![
            entry(
                "type",
                text(if matches!(message, Message::Request { .. }) {
                    "request"
                } else {
                    "sync"
                }),
            ),
            entry("senderId", text(sender_id)),
            entry("targetId", text(target_id)),
            entry("documentId", text(&document_id.to_string())),
            entry("data", Value::Bytes(data.clone())),
        ],
        Message::DocUnavailable {
            sender_id,
            target_id,
            document_id,
        } => vec![
            entry("type", text("doc-unavailable")),
            entry("senderId", text(sender_id)),
            entry("targetId", text(target_id)),
            entry("documentId", text(&document_id.to_string())),
        ],
        Message::Heartbeat {
            sender_id,
            target_id,
        } => vec![
            entry("type", text("heartbeat")),
            entry("senderId", text(sender_id)),
            entry("targetId", text(target_id)),
        ],
        Message::Other { kind } => vec![entry("type", text(kind))],
    };
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = ciborium::into_writer(&Value::Map(entries), &mut out);
    out
}

struct Fields<'a>(&'a [(Value, Value)]);

impl Fields<'_> {
    fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
            .map(|(_, v)| v)
    }

    fn text(&self, key: &'static str) -> Result<String, DecodeError> {
        match self.get(key) {
            Some(Value::Text(t)) => Ok(t.clone()),
            _ => Err(DecodeError::Field(key)),
        }
    }

    fn bytes(&self, key: &'static str) -> Result<Vec<u8>, DecodeError> {
        match self.get(key) {
            Some(Value::Bytes(b)) => Ok(b.clone()),
            // A tagged typed array (cbor-x with tagUint8Array) carries the bytes inside the tag.
            Some(Value::Tag(_, inner)) => match inner.as_ref() {
                Value::Bytes(b) => Ok(b.clone()),
                _ => Err(DecodeError::Field(key)),
            },
            _ => Err(DecodeError::Field(key)),
        }
    }

    fn text_list(&self, key: &'static str) -> Result<Vec<String>, DecodeError> {
        match self.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Text(t) => Ok(t.clone()),
                    _ => Err(DecodeError::Field(key)),
                })
                .collect(),
            _ => Err(DecodeError::Field(key)),
        }
    }

    fn peer_metadata(&self) -> PeerMetadata {
        let Some(Value::Map(entries)) = self.get("peerMetadata") else {
            return PeerMetadata::default();
        };
        let fields = Fields(entries);
        PeerMetadata {
            storage_id: fields.text("storageId").ok(),
            is_ephemeral: matches!(fields.get("isEphemeral"), Some(Value::Bool(true))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_round_trip_and_reject_bad_checksums() {
        let id = DocumentId::from_bytes([7; 16]);
        let text = id.to_string();
        assert_eq!(text.parse::<DocumentId>(), Ok(id));
        assert_eq!(id.url().parse::<DocumentId>(), Ok(id));
        let mut corrupted = text.clone();
        corrupted.replace_range(0..1, if text.starts_with('2') { "3" } else { "2" });
        assert!(corrupted.parse::<DocumentId>().is_err());
        assert!("0OIl".parse::<DocumentId>().is_err());
    }

    #[test]
    fn a_join_as_the_js_client_sends_it_decodes() {
        // cbor-x output of the JS client's join message (useRecords: false).
        let message = Message::Join {
            sender_id: "peer-abc".into(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: PeerMetadata {
                storage_id: Some("store-1".into()),
                is_ephemeral: false,
            },
        };
        assert_eq!(decode(&encode(&message)), Ok(message));
    }

    #[test]
    fn a_heartbeat_round_trips_and_a_heartbeat_without_a_target_is_refused() {
        let heartbeat = Message::Heartbeat {
            sender_id: "phone".into(),
            target_id: "server".into(),
        };
        assert_eq!(decode(&encode(&heartbeat)), Ok(heartbeat));
        let bare = encode(&Message::Other {
            kind: "heartbeat".into(),
        });
        assert_eq!(decode(&bare), Err(DecodeError::Field("senderId")));
    }

    #[test]
    fn unknown_types_and_garbage() {
        let other = encode(&Message::Other {
            kind: "remote-heads-changed".into(),
        });
        assert_eq!(
            decode(&other),
            Ok(Message::Other {
                kind: "remote-heads-changed".into()
            })
        );
        assert!(matches!(decode(&[0xff, 0x00]), Err(DecodeError::Cbor(_))));
        assert_eq!(decode(&[0x01]), Err(DecodeError::NotAMap));
    }
}
