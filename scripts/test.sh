#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit (app, server),
# server integration (real router over a temporary SQLite file), and
# end-to-end in Debian's Chromium against the real binary.
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_build_tools
ensure_chromium
ensure_strace
ensure_alert_receivers
ensure_e2e_modules
cd "$ROOT"

log "formatting"
cargo fmt --all --check

# Per package: `cargo test --workspace` would merge the ssr and hydrate features.
log "app: domain, chart drawing and UI logic (native)"
cargo test -p app
log "server: unit and integration tests (also builds the binary for the browser tests)"
cargo test -p server --lib --bins --examples --test process --test store
# The router's tests one at a time: each #[tokio::test] has a runtime of its
# own that ends with it, and a page rendered while other tests of the binary
# run and end could wait for ever (1 run in 20-40 of this binary; never
# one at a time, nor in the server, whose one runtime rendered 3,000 pages
# 8 at a time without a stall).
cargo test -p server --test api -- --test-threads=1

bash "$ROOT/scripts/build-site.sh"

log "end-to-end tests in Chromium"
cd "$ROOT/end2end"
SENSORBOARD_BIN="$ROOT/target/debug/sensorboard" npx playwright test
