# Pinned build and test tools, installed only when missing.
# Sourced by start.sh, test.sh and build-site.sh; every function is idempotent
# and returns in well under a second when its tool is already in place.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

# Must equal the `wasm-bindgen = "=…"` pin in app/Cargo.toml: the CLI refuses
# a wasm built against another schema version.
WASM_BINDGEN_VERSION="0.2.130"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
    # Without --locked: the pin is the version; its dependencies resolve fresh.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

# wasm-opt from the npm package `binaryen` (pinned in scripts/package-lock.json).
# Debian's binaryen 108 emits a wasm that breaks hydration, so the binary is
# always called by its full path and never looked up on PATH.
WASM_OPT="$ROOT/scripts/node_modules/.bin/wasm-opt"
# esbuild (same lock file) minifies the JS glue and the CSS of a release build.
ESBUILD="$ROOT/scripts/node_modules/.bin/esbuild"
ensure_wasm_opt() {
  if [[ ! -x "$WASM_OPT" || ! -x "$ESBUILD" || "$ROOT/scripts/package-lock.json" -nt "$ROOT/scripts/node_modules/.package-lock.json" ]]; then
    log "installing wasm-opt (npm binaryen) and esbuild"
    (cd "$ROOT/scripts" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_wasm_opt
}

ensure_chromium() {
  if [[ ! -x /usr/bin/chromium ]]; then
    log "installing Debian's chromium for the browser tests"
    local sudo=""
    [[ "$(id -u)" != 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
}

# strace: the durability test watches the server's system calls.
ensure_strace() {
  if ! command -v strace >/dev/null; then
    log "installing Debian's strace for the durability test"
    local sudo=""
    [[ "$(id -u)" != 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq strace >/dev/null
  fi
}

# The receivers the alerting tests send to: Debian's Alertmanager, and
# aiosmtpd (run with Debian's own Python) as the SMTP server, plain and
# with STARTTLS.
ensure_alert_receivers() {
  local missing=()
  [[ -x /usr/bin/prometheus-alertmanager ]] || missing+=(prometheus-alertmanager)
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  # Makes the certificates of the STARTTLS test.
  command -v openssl >/dev/null || missing+=(openssl)
  if (( ${#missing[@]} )); then
    log "installing Debian's ${missing[*]} for the alerting tests"
    local sudo=""
    [[ "$(id -u)" != 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_e2e_modules() {
  local e2e="$ROOT/end2end"
  if [[ ! -d "$e2e/node_modules" || "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]]; then
    log "installing the end-to-end test dependencies (npm ci)"
    (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
