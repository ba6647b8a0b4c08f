//! A webhook receiver on a loopback port: records every request's path,
//! JSON body and raw form, and answers 500 to the first `fail_first` of
//! them.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as it came: path, headers, body.
pub type RawRequest = (String, HeaderMap, Bytes);

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<(String, Value)>>>,
    raw: Arc<Mutex<Vec<RawRequest>>>,
}

impl Receiver {
    pub async fn start(fail_first: usize) -> Receiver {
        let got: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
        let raw: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let seen = Arc::new(Mutex::new(0usize));
        let (record, keep) = (got.clone(), raw.clone());
        let app = Router::new().fallback(post(move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let (record, keep, seen) = (record.clone(), keep.clone(), seen.clone());
            async move {
                keep.lock()
                    .unwrap()
                    .push((uri.path().to_owned(), headers, body.clone()));
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
        Receiver { url, got, raw }
    }

    /// Every request as it came, the refused ones too.
    pub fn raw(&self) -> Vec<RawRequest> {
        self.raw.lock().unwrap().clone()
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
