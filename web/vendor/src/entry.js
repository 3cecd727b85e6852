// What the PWA uses of automerge-repo, bundled into one ES module (web/vendor/automerge-repo.js).
export { Repo, isValidAutomergeUrl } from '@automerge/automerge-repo/slim';
export { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb';
export { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
export { initializeWasm, ImmutableString, getObjectId } from '@automerge/automerge/slim';
