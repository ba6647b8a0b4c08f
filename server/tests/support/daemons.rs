//! Real receivers from Debian's packages, each started on a free
//! loopback port in a temporary folder and killed when dropped:
//! Alertmanager, and aiosmtpd as an SMTP server writing a Maildir.
//! `scripts/test.sh` installs them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;

pub struct Daemon {
    child: Child,
    pub port: u16,
    pub dir: TempDir,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(program: &str, args: &[String], package: &str) -> Child {
    assert!(
        Path::new(program).exists(),
        "{program} is missing: `apt-get install {package}` (scripts/test.sh does)"
    );
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits (at most 20 s) until something listens on `port`.
async fn listening(port: u16) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing listens on port {port}");
}

/// An Alertmanager that routes everything to a receiver doing nothing.
pub async fn alertmanager() -> Daemon {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("alertmanager.yml");
    std::fs::write(&config, "route:\n  receiver: quiet\nreceivers:\n  - name: quiet\n").unwrap();
    let port = free_port();
    let args = [
        format!("--config.file={}", config.display()),
        format!("--storage.path={}", dir.path().join("data").display()),
        format!("--web.listen-address=127.0.0.1:{port}"),
        "--cluster.listen-address=".to_owned(),
    ];
    let child = spawn("/usr/bin/prometheus-alertmanager", &args, "prometheus-alertmanager");
    listening(port).await;
    Daemon { child, port, dir }
}

/// An SMTP server (no TLS) keeping what it receives in a Maildir.
pub async fn smtp_server() -> Daemon {
    smtp(&[]).await
}

/// An SMTP server that requires STARTTLS, with a certificate for
/// 127.0.0.1 signed by an authority made for it; the authority's PEM.
pub async fn smtp_server_starttls() -> (Daemon, String) {
    let keys = tempfile::tempdir().unwrap();
    let at = |name: &str| keys.path().join(name).display().to_string();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl (apt-get install openssl)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(
        at("leaf.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &at("ca.key"),
        "-out",
        &at("ca.pem"),
        "-days",
        "2",
        "-subj",
        "/CN=sensorboard test authority",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &at("leaf.key"),
        "-out",
        &at("leaf.csr"),
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        &at("leaf.csr"),
        "-CA",
        &at("ca.pem"),
        "-CAkey",
        &at("ca.key"),
        "-CAcreateserial",
        "-out",
        &at("leaf.pem"),
        "-days",
        "2",
        "-extfile",
        &at("leaf.ext"),
    ]);
    let ca = std::fs::read_to_string(at("ca.pem")).unwrap();
    let daemon = smtp(&["--tlscert".into(), at("leaf.pem"), "--tlskey".into(), at("leaf.key")]).await;
    // The keys are read at start; the folder may go.
    drop(keys);
    (daemon, ca)
}

async fn smtp(extra: &[String]) -> Daemon {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    // The handler and its arguments come last: `-c` takes the rest.
    let args: Vec<String> = ["-m", "aiosmtpd", "-n", "-l"]
        .map(String::from)
        .into_iter()
        .chain([format!("127.0.0.1:{port}")])
        .chain(extra.iter().cloned())
        .chain(["-c".to_owned(), "aiosmtpd.handlers.Mailbox".to_owned()])
        .chain([dir.path().join("mail").display().to_string()])
        .collect();
    let child = spawn("/usr/bin/python3", &args, "python3-aiosmtpd");
    listening(port).await;
    Daemon { child, port, dir }
}

impl Daemon {
    /// The messages an SMTP server received, as text.
    pub fn mails(&self) -> Vec<String> {
        let new: PathBuf = self.dir.path().join("mail").join("new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    }
}
