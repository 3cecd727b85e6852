// The reference peer: a Node sync server on the same automerge-repo version as the PWA (2.5.6), the
// same few lines as @automerge/automerge-repo-sync-server's server (whose npm release still bundles
// automerge-repo 1.2.1). It stores documents on disk and relays sync; no validation, no projection.
//   PORT=3030 DATA_DIR=/tmp/ref node reference-server.js
import http from 'node:http';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 3030);
const server = http.createServer((_, response) => response.end('reference sync server'));
const socket = new WebSocketServer({ noServer: true });
server.on('upgrade', (request, sock, head) => socket.handleUpgrade(request, sock, head, (ws) => socket.emit('connection', ws, request)));
new Repo({
  network: [new WebSocketServerAdapter(socket)],
  storage: new NodeFSStorageAdapter(process.env.DATA_DIR ?? '.amrg'),
  peerId: `reference-${port}`,
  // Serve every document any peer asks for, as the sync server does.
  sharePolicy: async () => false,
});
server.listen(port, '127.0.0.1', () => console.log(`reference listening on ${port}`));
