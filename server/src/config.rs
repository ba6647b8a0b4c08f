//! Settings, from command-line flags or the environment (`--help` lists them).

use crate::auth::{EditPolicy, ReadPolicy, Scopes};
use crate::ingest::{StringFields, DEFAULT_MAX_FIELDS_PER_LINE, DEFAULT_MAX_SERIES_PER_BATCH};
use crate::query::QueryBudget;
use crate::store::{Durability, Retention};
use app::domain::HOUR_MS;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Largest write body accepted unless configured otherwise: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Largest body of any other request unless configured otherwise: 1 MiB
/// (a full dashboard or a 256-query batch is a few tens of KiB).
pub const DEFAULT_MAX_REQUEST_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "sensorboard",
    version,
    about = "Self-hosted sensor and telemetry dashboard: one binary, one SQLite file."
)]
pub struct Config {
    /// Without a command, the server runs.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address and port to listen on.
    #[arg(long, env = "SENSORBOARD_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Folder holding the database file (sensorboard.db); created if missing.
    #[arg(long, env = "SENSORBOARD_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// The server's address as people reach it, for the links in alert
    /// notifications (e.g. `https://sensors.example.com`); by default
    /// `http://` and the bind address.
    #[arg(long, env = "SENSORBOARD_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// How many times a notification is tried before it counts as failed.
    #[arg(long, env = "SENSORBOARD_NOTIFY_ATTEMPTS", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub notify_attempts: u32,

    /// The wait before a notification's second try; each next wait doubles.
    #[arg(long, env = "SENSORBOARD_NOTIFY_RETRY_WAIT", default_value = "1s", value_parser = parse_timeout)]
    pub notify_retry_wait: Duration,

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

    /// Largest write body in bytes (after decompression); larger ones get 413.
    #[arg(long, env = "SENSORBOARD_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// Largest body of any other request (queries, dashboards, tokens,
    /// sign-in, the UI's server functions) in bytes; larger ones get 413.
    #[arg(long, env = "SENSORBOARD_MAX_REQUEST_BODY_BYTES", default_value_t = DEFAULT_MAX_REQUEST_BODY_BYTES)]
    pub max_request_body_bytes: usize,

    /// Reader connections in the pool (writes use one connection of their own).
    #[arg(long, env = "SENSORBOARD_READERS", default_value_t = 4)]
    pub readers: u32,

    /// Browser origins allowed to call the API (comma-separated), for a UI
    /// hosted elsewhere such as the static Trunk build.
    #[arg(long = "allow-origin", env = "SENSORBOARD_ALLOW_ORIGIN", value_delimiter = ',')]
    pub allow_origins: Vec<String>,

    /// Memory for cached query answers, in MiB; 0 turns the cache off.
    #[arg(long, env = "SENSORBOARD_QUERY_CACHE_MB", default_value_t = 32)]
    pub query_cache_mb: usize,

    /// Most points the answers to one query request may hold (all the
    /// queries of a batch together); more is refused with 400
    /// `query_budget_exceeded` before any is computed.
    #[arg(long, env = "SENSORBOARD_MAX_POINTS_PER_REQUEST", default_value_t = QueryBudget::default().points)]
    pub max_points_per_request: u64,

    /// Most stored points and rollup buckets one query request may read;
    /// a request that would read more is refused with 400
    /// `query_budget_exceeded`.
    #[arg(long, env = "SENSORBOARD_MAX_ROWS_PER_REQUEST", default_value_t = QueryBudget::default().rows)]
    pub max_rows_per_request: u64,

    /// Series one query by selector may match; more is refused with 422
    /// `too_many_series`.
    #[arg(long, env = "SENSORBOARD_MAX_SERIES_PER_QUERY", default_value_t = QueryBudget::default().series)]
    pub max_series_per_query: usize,

    /// Reads (queries, series lists, exports, pages) one client (a token,
    /// or an address when reads are public) may have in progress at once;
    /// up to four times as many wait, more get 429. Behind a reverse
    /// proxy with public reads every client has the proxy's address:
    /// raise it or set 0 (no limit) there.
    #[arg(long, env = "SENSORBOARD_MAX_READS_PER_CLIENT", default_value_t = 2)]
    pub max_reads_per_client: usize,

    /// Who may read: `public` (anyone who can reach the server) or `token`
    /// (a token with the read scope; the UI asks for one).
    #[arg(long, env = "SENSORBOARD_READ_ACCESS", value_enum, default_value_t = ReadPolicy::Public)]
    pub read_access: ReadPolicy,

    /// What a write answered 2xx survives: `disk` (an OS crash or power
    /// cut too: its log commit is synced to disk before the answer) or
    /// `process` (a crash or `kill -9` of the server; faster where syncs
    /// are slow, but an OS crash may lose the last acknowledged batches).
    #[arg(long, env = "SENSORBOARD_DURABILITY", value_enum, default_value_t = Durability::Disk)]
    pub durability: Durability,

    /// Marks the sign-in cookie `Secure` (sent over HTTPS only), for a
    /// server reached through an HTTPS proxy that sends no
    /// `X-Forwarded-Proto: https` (when it does, the cookie is `Secure`
    /// anyway).
    #[arg(long, env = "SENSORBOARD_SECURE_COOKIE")]
    pub secure_cookie: bool,

    /// Who may change dashboards: `public` (anyone who may read) or
    /// `token` (a token with the read and write scopes, or a browser signed
    /// in with one). Unset: public until the first token exists, then token.
    /// Reads that need a token make edits need one too.
    #[arg(long, env = "SENSORBOARD_EDIT_ACCESS", value_enum)]
    pub edit_access: Option<EditPolicy>,

    /// Host names the server answers to besides IP addresses and
    /// `localhost` (comma-separated, `*` for any): a request naming
    /// another host gets 421, so a web page cannot reach the server
    /// through a DNS name it controls (DNS rebinding).
    #[arg(long = "allowed-hosts", env = "SENSORBOARD_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,

    /// Longest a client may take to send a request's headers, from their
    /// first byte; slower ones are disconnected.
    #[arg(long, env = "SENSORBOARD_HEADER_READ_TIMEOUT", default_value = "10s", value_parser = parse_timeout)]
    pub header_read_timeout: Duration,

    /// Longest a keep-alive connection may wait for its next request
    /// before it is closed.
    #[arg(long, env = "SENSORBOARD_KEEP_ALIVE_TIMEOUT", default_value = "30s", value_parser = parse_timeout)]
    pub keep_alive_timeout: Duration,

    /// Longest an answer may wait with no byte moving (a client that
    /// stopped reading) before its connection is closed.
    #[arg(long, env = "SENSORBOARD_STALL_TIMEOUT", default_value = "60s", value_parser = parse_timeout)]
    pub stall_timeout: Duration,

    /// Connections open at once; more wait until one closes. Each needs a
    /// file descriptor, so keep it below `ulimit -n`.
    #[arg(long, env = "SENSORBOARD_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,

    /// Connections open at once from one IP address; more are answered 503
    /// and closed. Behind a reverse proxy every client has the proxy's
    /// address: raise it or set 0 (no limit) there.
    #[arg(long, env = "SENSORBOARD_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 256)]
    pub max_connections_per_address: usize,

    /// Points per second each write token may store (bursts of one
    /// second's worth); over it, writes get 429 with `Retry-After`. 0: no limit.
    #[arg(long, env = "SENSORBOARD_INGEST_RATE_LIMIT", default_value_t = 10_000_000)]
    pub ingest_rate_limit: u32,

    /// Most distinct series one line-protocol body may name, known or
    /// new; parsing stops at the next and the body is refused with 400.
    #[arg(long, env = "SENSORBOARD_MAX_SERIES_PER_BATCH", default_value_t = DEFAULT_MAX_SERIES_PER_BATCH)]
    pub max_series_per_batch: usize,

    /// Most series one write may create; a batch creating more is refused
    /// with 413 and nothing of it stored. 0: no limit.
    #[arg(long, env = "SENSORBOARD_MAX_NEW_SERIES_PER_BATCH", default_value_t = 50_000)]
    pub max_new_series_per_batch: usize,

    /// Series each write token may create a minute (bursts of a minute's
    /// worth); over it, writes creating series get 429 with
    /// `Retry-After`. 0: no limit.
    #[arg(long, env = "SENSORBOARD_MAX_NEW_SERIES_PER_MINUTE", default_value_t = 100_000)]
    pub max_new_series_per_minute: u32,

    /// Most series the store may hold; a write creating series beyond it
    /// is refused with 422. 0: no limit.
    #[arg(long, env = "SENSORBOARD_MAX_SERIES", default_value_t = 1_000_000)]
    pub max_series: usize,

    /// Line-protocol string fields: `reject` refuses the line (and its
    /// batch) naming the field; `skip` leaves them out, keeps the line's
    /// numbers and counts them in `X-Sensorboard-Ignored-String-Fields`,
    /// for producers such as Telegraf's `system` input that mix text in.
    #[arg(long, env = "SENSORBOARD_LINE_PROTOCOL_STRINGS", value_enum, default_value_t = StringFields::Reject)]
    pub line_protocol_strings: StringFields,

    /// Most fields one line-protocol line may hold (each field is a
    /// series); a line with more refuses its body with 400.
    #[arg(long, env = "SENSORBOARD_MAX_FIELDS_PER_LINE", default_value_t = DEFAULT_MAX_FIELDS_PER_LINE)]
    pub max_fields_per_line: usize,

    /// How long raw points are kept, e.g. `30d`, `12w`, or `forever`.
    #[arg(long, env = "SENSORBOARD_RETENTION_RAW", default_value = "30d", value_parser = parse_keep)]
    pub retention_raw: Keep,

    /// How long 1-minute rollups are kept (at least as long as raw points).
    #[arg(long = "retention-1m", env = "SENSORBOARD_RETENTION_1M", default_value = "365d", value_parser = parse_keep)]
    pub retention_minute: Keep,

    /// How long 1-hour rollups are kept.
    #[arg(long = "retention-1h", env = "SENSORBOARD_RETENTION_1H", default_value = "forever", value_parser = parse_keep)]
    pub retention_hour: Keep,
}

/// What the binary can do besides serving.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Create, list and revoke access tokens; works while the server runs.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Creates a token and prints it, once, on standard output; only its
    /// hash is stored.
    Create {
        /// What the token is for, e.g. `telegraf` or `ops laptop`.
        #[arg(long)]
        name: String,
        /// Comma-separated scopes: read, write, admin (admin grants all).
        #[arg(long, default_value = "write", value_parser = Scopes::parse)]
        scope: Scopes,
    },
    /// Lists the tokens: id, name, scopes, the secret's first characters.
    List,
    /// Revokes a token by id; it stops working at once.
    Revoke { id: i64 },
}

/// A retention time in milliseconds; `None` keeps data forever.
pub type Keep = Option<i64>;

fn parse_keep(text: &str) -> Result<Keep, String> {
    if text == "forever" {
        return Ok(None);
    }
    let d = humantime::parse_duration(text).map_err(|e| format!("{e} (examples: 30d, 12w, 1y, forever)"))?;
    let ms = i64::try_from(d.as_millis()).map_err(|_| "too long; use `forever`".to_string())?;
    if ms < HOUR_MS {
        return Err("keep data at least 1h".into());
    }
    Ok(Some(ms))
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text).map_err(|e| format!("{e} (examples: 500ms, 10s, 2m)"))?;
    if d.is_zero() {
        return Err("a timeout must be longer than zero".into());
    }
    Ok(d)
}

impl Config {
    pub fn query_budget(&self) -> QueryBudget {
        QueryBudget {
            points: self.max_points_per_request,
            rows: self.max_rows_per_request,
            series: self.max_series_per_query,
        }
    }

    pub fn connection_limits(&self) -> crate::ConnectionLimits {
        crate::ConnectionLimits {
            header_read_timeout: self.header_read_timeout,
            keep_alive_timeout: self.keep_alive_timeout,
            stall_timeout: self.stall_timeout,
            max_connections: self.max_connections,
            max_connections_per_address: self.max_connections_per_address,
        }
    }

    /// Leptos settings from our own config; the names match what
    /// `[workspace.metadata.leptos]` tells cargo-leptos, so both builds agree.
    pub fn leptos_options(&self) -> leptos::config::LeptosOptions {
        leptos::config::LeptosOptions::builder()
            .output_name("sensorboard")
            .site_root(self.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(self.bind)
            .build()
    }

    pub fn query_cache_bytes(&self) -> usize {
        self.query_cache_mb.saturating_mul(1024 * 1024)
    }

    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("sensorboard.db")
    }

    /// Where links to this server point: `--public-url`, else `http://`
    /// and the bind address (`localhost` for an unspecified one).
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None if self.bind.ip().is_unspecified() => format!("http://localhost:{}", self.bind.port()),
            None => format!("http://{}", self.bind),
        }
    }

    /// How notifications are retried.
    pub fn alert_retries(&self) -> crate::alerts::Retries {
        crate::alerts::Retries {
            attempts: self.notify_attempts,
            first_wait: self.notify_retry_wait,
        }
    }

    /// The retention settings; a rollup tier is kept at least as long as
    /// the finer data it summarises, so a chart never loses a range that
    /// finer data still covers.
    pub fn retention(&self) -> Retention {
        let at_least = |keep: Keep, finer: Keep| match (keep, finer) {
            (Some(k), Some(f)) => Some(k.max(f)),
            _ => None,
        };
        let minute_ms = at_least(self.retention_minute, self.retention_raw);
        Retention {
            raw_ms: self.retention_raw,
            minute_ms,
            hour_ms: at_least(self.retention_hour, minute_ms),
        }
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

    #[test]
    fn retention_times() {
        let day = 86_400_000;
        let c = Config::try_parse_from(["sensorboard"]).unwrap();
        assert_eq!(
            c.retention(),
            Retention {
                raw_ms: Some(30 * day),
                minute_ms: Some(365 * day),
                hour_ms: None
            }
        );
        let c = Config::try_parse_from(["sensorboard", "--retention-raw", "400d", "--retention-1h", "2w"]).unwrap();
        assert_eq!(c.retention().minute_ms, Some(400 * day), "rollups outlive raw points");
        assert_eq!(c.retention().hour_ms, Some(400 * day));
        let c = Config::try_parse_from(["sensorboard", "--retention-raw", "forever"]).unwrap();
        assert_eq!(c.retention().minute_ms, None);
        assert!(Config::try_parse_from(["sensorboard", "--retention-raw", "10m"]).is_err());
        assert!(Config::try_parse_from(["sensorboard", "--retention-raw", "soon"]).is_err());
    }
}
