#!/usr/bin/env bash
# Regenerates the vendored automerge-repo bundle and wasm from the pinned npm packages in src/.
# The outputs are committed so that `cargo run --release` needs no Node.js; rerun after an upgrade.
set -euo pipefail
cd "$(dirname "$0")/src"
npm install --no-audit --no-fund --loglevel=error
npx esbuild entry.js --bundle --format=esm --platform=browser --minify --legal-comments=eof --outfile=../automerge-repo.js
cp node_modules/@automerge/automerge/dist/automerge.wasm ../automerge.wasm
echo "wrote web/vendor/automerge-repo.js and web/vendor/automerge.wasm"
