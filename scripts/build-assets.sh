#!/usr/bin/env bash
# Installs the browser assets from npm (lockfile, no CDN) and copies them into the server's static folder.
set -euo pipefail
cd "$(dirname "$0")/.."
out=server/web/static/vendor
if [ ! -f "$out/socket.io.min.js" ] || [ package-lock.json -nt "$out/socket.io.min.js" ]; then
  command -v npm >/dev/null || { echo "build-assets: npm is missing (apt-get install npm)" >&2; exit 1; }
  npm ci --no-audit --no-fund --silent
  mkdir -p "$out"
  cp node_modules/socket.io-client/dist/socket.io.min.js "$out/socket.io.min.js"
  cp node_modules/socket.io-client/dist/socket.io.min.js.map "$out/socket.io.min.js.map" 2>/dev/null || true
fi
