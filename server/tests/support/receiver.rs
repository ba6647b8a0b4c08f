//! A webhook receiver on a loopback port: records every request's path
//! and JSON body, and answers 500 to the first `fail_first` of them.

use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Receiver {
    pub async fn start(fail_first: usize) -> Receiver {
        let got: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
        let seen = Arc::new(Mutex::new(0usize));
        let record = got.clone();
        let app = Router::new().fallback(post(move |uri: Uri, body: Bytes| {
            let (record, seen) = (record.clone(), seen.clone());
            async move {
                let mut n = seen.lock().unwrap();
                *n += 1;
                if *n <= fail_first {
                    return (StatusCode::INTERNAL_SERVER_ERROR, "try later");
                }
                let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
                record.lock().unwrap().push((uri.path().to_owned(), json));
                (StatusCode::OK, "ok")
            }
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, got }
    }

    /// The requests taken so far.
    pub fn taken(&self) -> Vec<(String, Value)> {
        self.got.lock().unwrap().clone()
    }

    /// Waits (at most 20 s) until `n` requests were taken; them all.
    pub async fn wait_for(&self, n: usize) -> Vec<(String, Value)> {
        for _ in 0..400 {
            let got = self.taken();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the receiver took {:?}, not {n} requests", self.taken());
    }
}
