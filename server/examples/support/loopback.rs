//! What the load tools share: starting a server on loopback, reading its
//! peak memory, and a bare keep-alive HTTP/1.1 client (so a measurement
//! includes no client library's overhead).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// Creates a write token in `dir`'s database with the binary's `token`
/// command (before the server starts there) and returns its secret.
#[allow(dead_code)] // not every tool that includes this file writes
pub fn write_token(bin: &str, dir: &std::path::Path) -> String {
    token(bin, dir, "write")
}

/// Creates a token with `scope` in `dir`'s database (before the server
/// starts there) and returns its secret.
pub fn token(bin: &str, dir: &std::path::Path, scope: &str) -> String {
    let out = Command::new(bin)
        .arg("--data-dir")
        .arg(dir)
        .args(["token", "create", "--name", "load", "--scope", scope])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Starts the server on a free loopback port with `extra` flags and the
/// limits a load needs lifted; returns it and its address.
pub fn start(bin: &str, dir: &std::path::Path, extra: &[&str]) -> (Child, String) {
    let flags: Vec<&str> = extra.iter().copied().chain(["--max-body-bytes", "67108864"]).collect();
    start_with(bin, dir, &flags, LOAD_ENV)
}

/// The load comes from one address but stands for many machines, and a
/// fleet's worth of series from one token: the limits per address and on
/// series creation are lifted. Given as environment variables, which
/// builds older than these settings ignore, so any build can be measured.
const LOAD_ENV: [(&str, &str); 4] = [
    ("SENSORBOARD_MAX_CONNECTIONS_PER_ADDRESS", "0"),
    ("SENSORBOARD_MAX_READS_PER_CLIENT", "0"),
    ("SENSORBOARD_MAX_NEW_SERIES_PER_MINUTE", "0"),
    ("SENSORBOARD_MAX_SERIES", "0"),
];

/// Starts the server on a free loopback port with only `extra` flags (its
/// own defaults otherwise); returns it and its address.
#[allow(dead_code)] // used by the attacks only
pub fn start_plain(bin: &str, dir: &std::path::Path, extra: &[&str]) -> (Child, String) {
    start_with(bin, dir, extra, [])
}

fn start_with<const N: usize>(
    bin: &str,
    dir: &std::path::Path,
    extra: &[&str],
    env: [(&str, &str); N],
) -> (Child, String) {
    let mut child = Command::new(bin)
        .envs(env)
        .args(extra)
        .args(["--bind", "127.0.0.1:0", "--log", "warn,sensorboard=info", "--data-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}; build it with cargo build --release -p server"));
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split("listening on http://")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .map(str::to_owned)
        })
        .expect("server address");
    // Keep reading so the server never blocks on a full pipe; show its
    // warnings, which say when upkeep held the writer up.
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok).filter(|l| l.contains("WARN")) {
            eprintln!("server: {line}");
        }
    });
    (child, addr)
}

/// The most memory the process `pid` has held so far, in KiB.
#[allow(dead_code)] // not every tool reads the peak
pub fn peak_rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmHWM:")
}

/// The memory the process `pid` holds now, in KiB.
#[allow(dead_code)] // read by the soak only
pub fn rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmRSS:")
}

/// CPU time the process `pid` has used so far (user and system), in
/// seconds: steadier than wall time on a machine whose speed drifts.
#[allow(dead_code)] // read by the ingest load only
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th of the line, in clock ticks (100 per second on Linux).
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}

/// Bytes the process `pid` has caused to be written to storage so far.
#[allow(dead_code)] // read by the ingest load only
pub fn written_bytes(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/io"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("write_bytes:"))
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A keep-alive HTTP/1.1 connection, just enough for this tool.
pub struct Connection {
    /// The `Host` every request names: the address connected to.
    host: String,
    writer: TcpStream,
    reader: BufReader<TcpStream>,
    authorization: Option<String>,
}

impl Connection {
    pub fn open(addr: &str) -> Self {
        let writer = TcpStream::connect(addr).expect("connect");
        writer.set_nodelay(true).expect("nodelay");
        let reader = BufReader::new(writer.try_clone().expect("clone"));
        Connection {
            host: addr.to_owned(),
            writer,
            reader,
            authorization: None,
        }
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn with_token(mut self, token: &str) -> Self {
        self.authorization = Some(format!("Authorization: Bearer {token}\r\n"));
        self
    }

    /// Posts `body`; returns the answer's status and body.
    pub fn post(&mut self, path: &str, body: &[u8]) -> (u16, String) {
        let answer = self.send("POST", path, None, body);
        (answer.status, answer.body)
    }

    #[allow(dead_code)] // not every tool that includes this file GETs
    pub fn get(&mut self, path: &str) -> String {
        self.send("GET", path, None, b"").body
    }

    /// Sends a request, with `If-None-Match: <etag>` when given.
    pub fn send(&mut self, method: &str, path: &str, if_none_match: Option<&str>, body: &[u8]) -> Answer {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.host,
            body.len()
        );
        if let Some(auth) = &self.authorization {
            head.push_str(auth);
        }
        if let Some(tag) = if_none_match {
            head.push_str(&format!("If-None-Match: {tag}\r\n"));
        }
        head.push_str("\r\n");
        self.writer.write_all(head.as_bytes()).expect("send");
        self.writer.write_all(body).expect("send");
        self.response()
    }

    fn response(&mut self) -> Answer {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        let (mut length, mut etag, mut chunked) = (0, None, false);
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            if line.trim().is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
            if lower.starts_with("etag:") {
                etag = line.split_once(':').map(|(_, v)| v.trim().to_owned());
            }
        }
        let body = if chunked {
            self.chunked_body()
        } else {
            let mut body = vec![0; length];
            self.reader.read_exact(&mut body).expect("body");
            body
        };
        Answer {
            status,
            etag,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

impl Connection {
    /// A body sent in chunks (a streamed answer), joined.
    fn chunked_body(&mut self) -> Vec<u8> {
        let mut body = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("chunk size");
            let size = usize::from_str_radix(line.trim(), 16).expect("chunk size");
            let start = body.len();
            body.resize(start + size, 0);
            self.reader.read_exact(&mut body[start..]).expect("chunk");
            line.clear();
            self.reader.read_line(&mut line).expect("chunk end");
            if size == 0 {
                return body;
            }
        }
    }
}

/// A response: status, entity tag, body.
pub struct Answer {
    pub status: u16,
    #[allow(dead_code)] // read by the tools that revalidate
    pub etag: Option<String>,
    pub body: String,
}
