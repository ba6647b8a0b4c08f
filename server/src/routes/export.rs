//! `GET /api/v1/series/{key}/export?from=&to=&format=csv|json`: every raw
//! point of a window, streamed page by page (a few chunks per page, each
//! read on its own), so memory stays flat for any range.

use super::extract::QueryString;
use crate::access::ReadAccess;
use crate::clock;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{Page as PointsPage, Store};
use app::domain::TimeSpec;
use app::model::ErrorBody;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::fmt::Write as _;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// Chunks read per page: up to about 64k points.
const PAGE_CHUNKS: usize = 16;

#[derive(Deserialize)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

/// The file formats an export can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `time,t_ms,value` rows: RFC 3339 time for people, milliseconds for programs.
    Csv,
    /// `{"series", "from", "to", "points": [[t, v], ...]}`, the query answer's shape.
    Json,
}

impl Format {
    fn parse(text: Option<&str>) -> Result<Format, ApiError> {
        match text {
            None | Some("csv") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            Some(other) => Err(ApiError::bad_request(
                "invalid_format",
                format!("format: `{other}` is not one of csv, json"),
            )),
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    fn head(self, key: &str, from: i64, to: i64) -> String {
        match self {
            Format::Csv => "time,t_ms,value\n".into(),
            Format::Json => format!(
                "{{\"series\":{},\"from\":{from},\"to\":{to},\"points\":[",
                serde_json::Value::from(key)
            ),
        }
    }

    /// Appends `points`; `first` says whether any point came before them.
    fn rows(self, points: &[(i64, f64)], mut first: bool, out: &mut String) {
        let mut number = ryu::Buffer::new();
        for &(t, v) in points {
            // The shortest text that reads back as the same f64, as in query answers.
            let v = number.format_finite(v);
            match self {
                Format::Csv => {
                    let time = crate::clock::rfc3339(t);
                    let _ = writeln!(out, "{time},{t},{v}");
                }
                Format::Json => {
                    let _ = write!(out, "{}[{t},{v}]", if first { "" } else { "," });
                }
            }
            first = false;
        }
    }

    fn tail(self) -> &'static str {
        match self {
            Format::Csv => "",
            Format::Json => "]}\n",
        }
    }
}

#[utoipa::path(get, path = "/api/v1/series/{key}/export", tag = "series",
    params(
        ("key" = String, Path, description = "The series key, URL-encoded"),
        ("from" = Option<String>, Query, description = "Start (inclusive): epoch ms, RFC 3339 or relative; default the epoch"),
        ("to" = Option<String>, Query, description = "End (inclusive); default now"),
        ("format" = Option<String>, Query, description = "csv (default: `time,t_ms,value` rows) or json"),
    ),
    responses(
        (status = 200, description = "Every stored point of the window, streamed as a download",
            content((String = "text/csv"), (String = "application/json"))),
        (status = 400, description = "A parameter is invalid", body = ErrorBody),
        (status = 404, description = "No such series", body = ErrorBody),
        (status = 429, description = "This client has too many reads in progress and waiting (`rate_limited`, --max-reads-per-client); `Retry-After` says when to retry", body = ErrorBody),
    ))]
pub async fn export(
    _: ReadAccess,
    State(state): State<AppState>,
    Path(key): Path<String>,
    QueryString(p): QueryString<Params>,
) -> Result<Response, ApiError> {
    let format = Format::parse(p.format.as_deref())?;
    let now = clock::now_ms();
    let time = |name: &str, value: Option<String>, default: TimeSpec| match value {
        None => Ok(default.resolve(now)),
        Some(text) => TimeSpec::parse(&text)
            .and_then(|t| t.resolve_checked(now))
            .map_err(|e| ApiError::bad_request("invalid_time", format!("{name}: {e}"))),
    };
    let (from, to) = (
        time("from", p.from, TimeSpec::At(0))?,
        time("to", p.to, TimeSpec::FromNow(0))?,
    );
    if from > to {
        return Err(ApiError::bad_request(
            "invalid_range",
            format!("from ({from}) is after to ({to})"),
        ));
    }
    let lookup = key.clone();
    let series = state
        .store
        .read_series(&[key.as_str()], move |reader| reader.series(&lookup))
        .await?
        .ok_or_else(|| ApiError::not_found("series_not_found", format!("no series with key `{key}`")))?;
    let (pages, body) = mpsc::channel(2);
    tokio::spawn(stream_pages(
        state.store.clone(),
        series.id,
        (from, to),
        format,
        key.clone(),
        pages,
    ));
    let disposition = format!("attachment; filename=\"{}.{}\"", file_name(&key), format.extension());
    Ok((
        [
            (CONTENT_TYPE, format.content_type().to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(ReceiverStream::new(body)),
    )
        .into_response())
}

type Page = Result<Bytes, std::io::Error>;

/// Sends the export page by page; stops when the client is gone. A store
/// error ends the stream with an error, so the download shows as broken
/// rather than complete.
async fn stream_pages(
    store: Store,
    series: i64,
    window: (i64, i64),
    format: Format,
    key: String,
    pages: mpsc::Sender<Page>,
) {
    let mut text = format.head(&key, window.0, window.1);
    let (mut cursor, mut first) = (None, true);
    loop {
        let page = store
            .read_series(&[key.as_str()], move |reader| {
                reader.page(series, window, cursor, PAGE_CHUNKS)
            })
            .await;
        let (points, next): PointsPage = match page {
            Ok(page) => page,
            Err(e) => {
                tracing::error!(error = %e, series, "export stopped");
                let _ = pages.send(Err(std::io::Error::other("export failed"))).await;
                return;
            }
        };
        format.rows(&points, first, &mut text);
        first &= points.is_empty();
        if next.is_none() {
            text.push_str(format.tail());
        }
        if pages.send(Ok(Bytes::from(std::mem::take(&mut text)))).await.is_err() {
            return;
        }
        match next {
            Some(c) => cursor = Some(c),
            None => return,
        }
    }
}

/// The key as a file name: letters, digits, `.`, `-` and `_`; the rest `_`.
fn file_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_in_both_formats() {
        let mut csv = Format::Csv.head("k", 0, 1);
        Format::Csv.rows(&[(1_500, 2.5), (86_400_000, -1.0)], true, &mut csv);
        assert_eq!(
            csv,
            "time,t_ms,value\n1970-01-01T00:00:01.5Z,1500,2.5\n1970-01-02T00:00:00Z,86400000,-1.0\n"
        );
        let mut json = Format::Json.head("a{x=\"1\"}", 0, 9);
        Format::Json.rows(&[(1, 2.5)], true, &mut json);
        Format::Json.rows(&[(2, 3.0)], false, &mut json);
        json.push_str(Format::Json.tail());
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({"series": "a{x=\"1\"}", "from": 0, "to": 9, "points": [[1, 2.5], [2, 3.0]]})
        );
    }

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(file_name("boiler.temp{site=\"n/1\"}"), "boiler.temp_site__n_1__");
        assert!(Format::parse(Some("xml")).is_err());
        assert_eq!(Format::parse(None).unwrap(), Format::Csv);
    }
}
