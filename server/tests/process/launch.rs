//! The real binary as a separate process: its `token` command, and the
//! server on a free loopback port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Runs `sensorboard --data-dir <dir> <args>`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sensorboard"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Creates a token with the command line; returns its secret.
pub fn create_token(dir: &Path, name: &str, scopes: &str) -> String {
    let out = run(dir, &["token", "create", "--name", name, "--scope", scopes]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Starts the real binary on a free port; returns it and its address.
pub fn start(data_dir: &Path) -> (Child, String) {
    let (child, addr, _) = start_logging(data_dir, "info");
    (child, addr)
}

/// Like [`start`], with the server flags `args` besides.
pub fn start_with(data_dir: &Path, args: &[&str]) -> (Child, String) {
    let (child, addr, _) = launch(data_dir, "info", args);
    (child, addr)
}

/// Like [`start`] with the log filter `log`; the log lines written so far
/// are in the returned buffer.
pub fn start_logging(data_dir: &Path, log: &str) -> (Child, String, Arc<Mutex<String>>) {
    launch(data_dir, log, &[])
}

fn launch(data_dir: &Path, log: &str, args: &[&str]) -> (Child, String, Arc<Mutex<String>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sensorboard"))
        .args(["--bind", "127.0.0.1:0", "--log", log, "--data-dir"])
        .arg(data_dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("listening on http://")
                .nth(1)
                .map(|rest| rest.split_whitespace().next().unwrap().to_owned())
        })
        .expect("the server says where it listens");
    // Keep reading the log so the server never blocks on a full pipe.
    let log = Arc::new(Mutex::new(String::new()));
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let mut kept = kept.lock().unwrap();
            kept.push_str(&line);
            kept.push('\n');
        }
    });
    (child, addr, log)
}

/// One HTTP/1.1 request, with `Authorization: Bearer <token>` when
/// given; `None` if the connection failed or broke.
pub fn request(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> Option<(u16, String)> {
    let mut conn = TcpStream::connect(addr).ok()?;
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).ok()?;
    conn.write_all(body.as_bytes()).ok()?;
    let mut reply = String::new();
    conn.read_to_string(&mut reply).ok()?;
    let status = reply.get(9..12)?.parse().ok()?;
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}
