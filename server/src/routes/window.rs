//! `from` and `to` of the listing endpoints (annotations, alert history),
//! as text so that mistakes get our message.

use crate::error::ApiError;
use app::domain::TimeSpec;

/// The window `[from, to]` resolved at `now`; `from` defaults to
/// `default_from`, `to` to now.
pub fn window(from: Option<&str>, to: Option<&str>, default_from: &str, now: i64) -> Result<(i64, i64), ApiError> {
    let time = |name: &str, text: Option<&str>, default: &str| {
        TimeSpec::parse(text.unwrap_or(default))
            .and_then(|t| t.resolve_checked(now))
            .map_err(|e| ApiError::bad_request("invalid_time", format!("{name}: {e}")))
    };
    let (from, to) = (time("from", from, default_from)?, time("to", to, "now")?);
    if from > to {
        return Err(ApiError::bad_request(
            "invalid_range",
            format!("from ({from}) is after to ({to})"),
        ));
    }
    Ok((from, to))
}

/// An optional id parameter named `name`.
pub fn id_param(name: &str, text: Option<&str>) -> Result<Option<i64>, ApiError> {
    text.map(|t| {
        t.parse()
            .map_err(|_| ApiError::bad_request("invalid_id", format!("{name}: `{t}` is not an id")))
    })
    .transpose()
}
