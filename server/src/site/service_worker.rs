//! `GET /sw.js`: the service worker that makes the installed app work
//! offline (see `sw.js`). Its cache names carry the site's version, a hash
//! of the built wasm, JS and CSS, so each new build replaces the cached
//! shell instead of serving the old one forever.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::Path;

const TEMPLATE: &str = include_str!("sw.js");
/// Files whose content is the version.
const VERSIONED: [&str; 3] = ["pkg/sensorboard.wasm", "pkg/sensorboard.js", "pkg/sensorboard.css"];

/// Whether the worker keeps answers for offline use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepAnswers {
    /// Reads are public: the last answers are kept.
    Always,
    /// Reads need a token: only when the person signing in asks for it.
    OptIn,
}

/// The worker's source for the site under `site_root`.
pub fn script(site_root: &Path, keep: KeepAnswers) -> String {
    let keep = match keep {
        KeepAnswers::Always => "always",
        KeepAnswers::OptIn => "opt-in",
    };
    TEMPLATE
        .replace("__VERSION__", &version(site_root))
        .replace("__KEEP_ANSWERS__", keep)
}

/// The first 16 hex digits of the SHA-256 of the built files; `dev` when
/// none is there (a server without a built UI).
pub fn version(site_root: &Path) -> String {
    let mut hash = Sha256::new();
    let mut found = false;
    for file in VERSIONED {
        if let Ok(bytes) = std::fs::read(site_root.join(file)) {
            hash.update(&bytes);
            found = true;
        }
    }
    if !found {
        return "dev".into();
    }
    hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The answer: never cached by HTTP caches, so browsers see a new worker
/// as soon as the site changes.
pub fn respond(script: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        script.to_owned(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_built_files() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(version(dir.path()), "dev");
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/sensorboard.wasm"), b"one").unwrap();
        let first = version(dir.path());
        assert_eq!(first.len(), 16);
        std::fs::write(dir.path().join("pkg/sensorboard.wasm"), b"two").unwrap();
        assert_ne!(version(dir.path()), first);
        let script = script(dir.path(), KeepAnswers::OptIn);
        assert!(script.contains(&format!("const VERSION = '{}';", version(dir.path()))));
        assert!(script.contains("const KEEP_ANSWERS = 'opt-in';"));
        assert!(!script.contains("__VERSION__") && !script.contains("__KEEP_ANSWERS__"));
    }
}
