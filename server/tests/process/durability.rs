//! Durability on disk: a write is answered only after its log commit was
//! synced (`fdatasync`/`fsync` of the WAL), seen in the system calls of
//! the real binary under `strace`. With `--durability process` the answer
//! comes without waiting for the disk.

use crate::launch::{create_token, request, start_with};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const WRITES: usize = 5;

/// Runs the server with `args`, traced while it answers [`WRITES`] writes
/// one after the other; returns the trace's lines.
fn traced_writes(dir: &Path, args: &[&str]) -> Vec<String> {
    let token = create_token(dir, "probe", "write");
    let (mut server, addr) = start_with(dir, args);
    let trace = dir.join("trace.txt");
    let mut strace = Command::new("strace")
        .args([
            "-f",
            "-y",
            "-s",
            "4096",
            "-e",
            "trace=read,recvfrom,write,writev,sendto,sendmsg,fsync,fdatasync",
        ])
        .arg("-o")
        .arg(&trace)
        .arg("-p")
        .arg(server.id().to_string())
        .stderr(Stdio::null())
        .spawn()
        .expect("strace (apt-get install strace)");
    // Attached once a traced request shows in the file.
    let attached = (0..100).any(|_| {
        request(&addr, "GET", "/health", None, "");
        std::thread::sleep(Duration::from_millis(50));
        std::fs::read_to_string(&trace).is_ok_and(|t| t.contains("GET /health"))
    });
    assert!(attached, "strace attached to the server");
    for i in 0..WRITES {
        let body = format!(r#"{{"points":[{{"series":"durable.probe{i}","t":1795428000000,"v":{i}}}]}}"#);
        let (status, answer) = request(&addr, "POST", "/api/v1/write", Some(&token), &body).expect("answer");
        assert_eq!(status, 200, "{answer}");
    }
    stop(&mut strace);
    let _ = server.kill();
    let _ = server.wait();
    std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn stop(strace: &mut Child) {
    // SIGTERM: strace detaches from the server and writes out its file.
    let _ = Command::new("kill").arg(strace.id().to_string()).status();
    let _ = strace.wait();
}

/// For each traced write, whether a sync of the WAL completed between
/// reading its request and sending its answer.
fn synced_before_answer(trace: &[String]) -> Vec<bool> {
    let is = |line: &str, calls: &[&str]| calls.iter().any(|c| line.contains(&format!(" {c}(")));
    let mut verdicts = Vec::new();
    for i in 0..WRITES {
        let probe = format!("durable.probe{i}");
        let Some(asked) = trace
            .iter()
            .position(|l| is(l, &["read", "recvfrom"]) && l.contains(&probe))
        else {
            panic!("the request of write {i} is in the trace");
        };
        let answered = asked
            + trace[asked..]
                .iter()
                .position(|l| is(l, &["write", "writev", "sendto", "sendmsg"]) && l.contains("HTTP/1.1 200"))
                .expect("its answer is in the trace");
        let window = &trace[asked..answered];
        let started: Vec<&String> = window
            .iter()
            .filter(|l| is(l, &["fdatasync", "fsync"]) && l.contains("-wal>"))
            .collect();
        let completed = started.iter().any(|l| {
            !l.contains("<unfinished") || {
                let pid = l.split_whitespace().next().unwrap_or_default();
                window.iter().any(|r| r.starts_with(pid) && r.contains("sync resumed>"))
            }
        });
        verdicts.push(completed);
    }
    verdicts
}

#[test]
fn an_answered_write_was_synced_to_disk_first() {
    let dir = tempfile::tempdir().unwrap();
    let trace = traced_writes(dir.path(), &[]);
    let verdicts = synced_before_answer(&trace);
    assert!(
        verdicts.iter().all(|&synced| synced),
        "every answer after its WAL sync: {verdicts:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let trace = traced_writes(dir.path(), &["--durability", "process"]);
    let verdicts = synced_before_answer(&trace);
    assert!(
        verdicts.iter().any(|&synced| !synced),
        "with --durability process answers do not wait for the disk: {verdicts:?}"
    );
}
