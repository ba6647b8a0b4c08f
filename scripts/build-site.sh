#!/usr/bin/env bash
# Builds the web UI into target/site with the layout and file names
# cargo-leptos produces from [workspace.metadata.leptos]:
#   target/site/pkg/sensorboard.js, sensorboard.wasm, sensorboard.css + public/*
# Usage: scripts/build-site.sh [--dev]   (default: release wasm through wasm-opt,
# JS and CSS minified)
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_build_tools

profile=wasm-release out=wasm-release
if [[ "${1:-}" == "--dev" ]]; then profile=dev out=debug; fi

site="$ROOT/target/site"
pkg="$site/pkg"
log "building the wasm frontend ($profile)"
cargo build --manifest-path "$ROOT/Cargo.toml" -p frontend --lib --target wasm32-unknown-unknown --profile "$profile"

rm -rf "$pkg.tmp" && mkdir -p "$pkg.tmp"
wasm-bindgen --target web --no-typescript --out-dir "$pkg.tmp" --out-name sensorboard \
  "$ROOT/target/wasm32-unknown-unknown/$out/frontend.wasm"
# leptos is compiled with LEPTOS_OUTPUT_NAME (.cargo/config.toml), so its
# hydration script loads sensorboard.wasm, as with cargo-leptos.
mv "$pkg.tmp/sensorboard_bg.wasm" "$pkg.tmp/sensorboard.wasm"
if [[ "$profile" == wasm-release ]]; then
  # Every `into_any()` keeps a pointer to its view's `hydrate_async`, the
  # path of `leptos::mount::hydrate_lazy` and lazy routes, which this app
  # never takes (it hydrates with `hydrate_body`): a sixth of the code.
  # Their bodies become `unreachable`, and wasm-opt drops what only they
  # reached (docs/BENCHMARKS.md, bundle size).
  if grep -rqE 'hydrate_lazy|#\[lazy|lazy_route' "$ROOT/frontend/src" "$ROOT/app/src"; then
    echo "the app hydrates lazily now: remove the hydrate_async snip from scripts/build-site.sh" >&2
    exit 1
  fi
  node "$ROOT/scripts/snip-functions.mjs" "$pkg.tmp/sensorboard.wasm" "$pkg.tmp/sensorboard.wasm" \
    '::hydrate_async::(\{\{closure\}\}::)*h[0-9a-f]{16}$' 200
  # -Os iterated to a fixed point ships fewer gzip bytes than -Oz here
  # (docs/BENCHMARKS.md, bundle size). Rust puts its stack first and its
  # data above 1 MiB, so the low 1 KiB of memory is never used.
  log "optimising the wasm (wasm-opt -Os --converge)"
  "$WASM_OPT" -Os --converge --low-memory-unused --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --enable-mutable-globals \
    "$pkg.tmp/sensorboard.wasm" -o "$pkg.tmp/sensorboard.wasm"
fi
if [[ "$profile" == wasm-release ]]; then
  "$ESBUILD" "$pkg.tmp/sensorboard.js" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$pkg.tmp/sensorboard.js"
  "$ESBUILD" "$ROOT/style/main.css" --minify --log-level=warning --outfile="$pkg.tmp/sensorboard.css"
else
  cp "$ROOT/style/main.css" "$pkg.tmp/sensorboard.css"
fi
rm -rf "$pkg" && mv "$pkg.tmp" "$pkg"
cp -R "$ROOT/public/." "$site/"
log "site ready: $(du -sh "$pkg" | cut -f1) in $pkg"
