//! Settings, from command-line flags or the environment (`--help` lists them).

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Largest request body accepted unless configured otherwise: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "sensorboard",
    version,
    about = "Self-hosted sensor and telemetry dashboard: one binary, one SQLite file."
)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "SENSORBOARD_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Folder holding the database file (sensorboard.db); created if missing.
    #[arg(long, env = "SENSORBOARD_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Generate demo data: five sensor signals at 1 Hz, with history backfilled.
    #[arg(long, env = "SENSORBOARD_DEMO")]
    pub demo: bool,

    /// Hours of demo history to backfill when the demo series are empty or behind.
    #[arg(long, env = "SENSORBOARD_DEMO_BACKFILL_HOURS", default_value_t = 168)]
    pub demo_backfill_hours: u32,

    /// Log filter, e.g. `info` or `server=debug,tower_http=debug`.
    #[arg(long, env = "SENSORBOARD_LOG", default_value = "info")]
    pub log: String,

    /// Folder with the built web UI (`pkg/` with wasm, JS and CSS; icons).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Largest accepted request body in bytes; larger ones get 413.
    #[arg(long, env = "SENSORBOARD_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// Reader connections in the pool (writes use one connection of their own).
    #[arg(long, env = "SENSORBOARD_READERS", default_value_t = 4)]
    pub readers: u32,

    /// Browser origins allowed to call the API (comma-separated), for a UI
    /// hosted elsewhere such as the static Trunk build.
    #[arg(long = "allow-origin", env = "SENSORBOARD_ALLOW_ORIGIN", value_delimiter = ',')]
    pub allow_origins: Vec<String>,
}

impl Config {
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("sensorboard.db")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_flags() {
        let c = Config::try_parse_from(["sensorboard"]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(c.db_path(), PathBuf::from("data/sensorboard.db"));
        assert!(!c.demo);
        let c = Config::try_parse_from(["sensorboard", "--demo", "--allow-origin", "http://a,http://b"]).unwrap();
        assert!(c.demo);
        assert_eq!(c.allow_origins, ["http://a", "http://b"]);
    }
}
