//! `sensorboard token create|list|revoke` on the database file, also
//! while a server runs on it.

use crate::launch::{create_token, request, run, start, start_logging};
use std::time::{Duration, Instant};

const WRITE: &str = r#"{"points":[{"series":"cli","v":1}]}"#;

#[test]
fn tokens_are_created_listed_and_revoked_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let secret = create_token(dir.path(), "telegraf", "write,read");
    assert!(
        secret.starts_with("sbt_") && !secret.contains(char::is_whitespace),
        "{secret}"
    );

    let list = run(dir.path(), &["token", "list"]);
    assert!(list.status.success());
    let text = String::from_utf8(list.stdout).unwrap();
    assert!(text.contains("telegraf") && text.contains("read,write"), "{text}");
    assert!(text.contains(&secret[..12]), "the hint: {text}");
    assert!(!text.contains(&secret), "never the secret: {text}");
    let db = std::fs::read(dir.path().join("sensorboard.db")).unwrap();
    assert!(
        !db.windows(secret.len()).any(|w| w == secret.as_bytes()),
        "only its hash is stored"
    );

    let bad = run(dir.path(), &["token", "create", "--name", "x", "--scope", "root"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("`root` is not a scope"));
    let missing = run(dir.path(), &["token", "revoke", "99"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no token 99"));
    assert!(run(dir.path(), &["token", "revoke", "1"]).status.success());
    let after = String::from_utf8(run(dir.path(), &["token", "list"]).stdout).unwrap();
    assert!(!after.contains("telegraf"), "{after}");
}

#[test]
fn a_running_server_takes_tokens_made_and_revoked_by_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, addr) = start(dir.path());
    let write = |token: &str| request(&addr, "POST", "/api/v1/write", Some(token), WRITE).map(|(s, _)| s);

    let secret = create_token(dir.path(), "late", "write");
    assert_eq!(write(&secret), Some(200), "a new token works at once");
    assert!(run(dir.path(), &["token", "revoke", "1"]).status.success());
    // The server trusts the tokens it read for at most two seconds.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut status = write(&secret);
    while status == Some(200) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        status = write(&secret);
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, Some(401), "revoked by the command line");
}

#[test]
fn tokens_never_reach_the_log_even_at_debug_level() {
    let dir = tempfile::tempdir().unwrap();
    let secret = create_token(dir.path(), "quiet", "write");
    let (mut server, addr, log) = start_logging(dir.path(), "debug");
    let line = "quiet v=1";
    let by_query = format!("/write?db=x&u=me&p={secret}");
    assert_eq!(request(&addr, "POST", &by_query, None, line).map(|r| r.0), Some(204));
    assert_eq!(
        request(&addr, "POST", "/write", Some(&secret), line).map(|r| r.0),
        Some(204)
    );
    assert_eq!(
        request(&addr, "POST", "/write", Some("sbt_wrong-token"), line).map(|r| r.0),
        Some(401)
    );
    std::thread::sleep(Duration::from_millis(300));
    server.kill().unwrap();
    server.wait().unwrap();
    let log = log.lock().unwrap();
    assert!(log.contains("path=/write"), "requests are logged at debug: {log}");
    assert!(!log.contains(&secret) && !log.contains("sbt_wrong"), "{log}");
    assert!(!log.contains(line), "nor bodies");
}
