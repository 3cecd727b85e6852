//! The protocol decoder on hostile input: never a panic; every valid message round-trips.
use dagstaat_sync::protocol::{DocumentId, Message, PeerMetadata, decode, encode};
use proptest::prelude::*;

fn arb_message() -> impl Strategy<Value = Message> {
    let id = "[a-z0-9-]{1,20}";
    let doc = any::<[u8; 16]>().prop_map(DocumentId::from_bytes);
    let data = prop::collection::vec(any::<u8>(), 0..200);
    prop_oneof![
        (id, prop::option::of(id), any::<bool>()).prop_map(|(s, storage_id, is_ephemeral)| {
            Message::Join {
                sender_id: s,
                supported_protocol_versions: vec!["1".into()],
                peer_metadata: PeerMetadata {
                    storage_id,
                    is_ephemeral,
                },
            }
        }),
        (id, id, doc.clone(), data.clone()).prop_map(|(s, t, d, data)| Message::Sync {
            sender_id: s,
            target_id: t,
            document_id: d,
            data
        }),
        (id, id, doc.clone(), data).prop_map(|(s, t, d, data)| Message::Request {
            sender_id: s,
            target_id: t,
            document_id: d,
            data
        }),
        (id, id, doc).prop_map(|(s, t, d)| Message::DocUnavailable {
            sender_id: s,
            target_id: t,
            document_id: d
        }),
        (id, id, ".{0,40}").prop_map(|(s, t, m)| Message::Error {
            sender_id: s,
            target_id: t,
            message: m
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn messages_round_trip(message in arb_message()) {
        prop_assert_eq!(decode(&encode(&message)), Ok(message));
    }

    /// Valid messages with bytes flipped, cut or extended: an error or a message, never a panic.
    #[test]
    fn mutated_messages_never_panic(message in arb_message(), flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>()) {
        let mut bytes = encode(&message);
        for (index, value) in flips {
            let i = index.index(bytes.len());
            bytes[i] = value;
        }
        let _ = decode(&bytes);
        let _ = decode(&bytes[..cut.index(bytes.len() + 1)]);
    }
}
