#!/usr/bin/env bash
# Installs what is missing, builds the release binary and web UI, and starts
# sensorboard on http://127.0.0.1:3000 with its database in ./data/ and the
# demo generator on. Extra arguments go to the server (see --help).
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_build_tools
bash "$ROOT/scripts/build-site.sh"
log "building the server (release)"
cargo build --manifest-path "$ROOT/Cargo.toml" --release -p server
log "starting sensorboard on http://127.0.0.1:3000 (Ctrl-C stops it)"
exec "$ROOT/target/release/sensorboard" --demo --data-dir "$ROOT/data" --site-root "$ROOT/target/site" "$@"
