//! Annotations: notes on the time axis ("boiler serviced", "firmware 2.1
//! rolled out"), at an instant or over a range, shown on every panel of
//! their dashboard, or of every dashboard when they name none.

use super::ErrorBody;
use crate::domain::{Severity, TimeSpec};
use serde::{Deserialize, Serialize};

/// Longest annotation text, in characters.
pub const MAX_ANNOTATION_CHARS: usize = 1_000;
/// Most tags one annotation may carry.
pub const MAX_ANNOTATION_TAGS: usize = 16;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 64;
/// The tag of an alert's firing period that has not ended.
pub const ALERT_FIRING_TAG: &str = "firing";

/// Most annotations one answer lists.
pub const MAX_ANNOTATIONS: usize = 1_000;

/// A stored annotation. Times are epoch milliseconds; `end` equals
/// `time` for an instant.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: i64,
    /// The dashboard it belongs to; every dashboard's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboard: Option<i64>,
    pub time: i64,
    pub end: i64,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// When it was written or last changed.
    pub updated: i64,
    /// The series whose panels show it (every panel when empty). Alert
    /// periods name their instance's series.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<String>,
    /// For a firing period of an alert: its severity. Such notes come
    /// from the state history, never from the annotations table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub alert: Option<Severity>,
}

impl Annotation {
    /// Whether a panel showing the series `keys` shows it.
    pub fn shown_with(&self, keys: &[&str]) -> bool {
        self.series.is_empty() || self.series.iter().any(|s| keys.contains(&s.as_str()))
    }

    /// Whether it spans a range rather than marking an instant.
    pub fn is_range(&self) -> bool {
        self.end > self.time
    }
}

/// What a client sends to add or change an annotation.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationDraft {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboard: Option<i64>,
    /// Epoch milliseconds, RFC 3339, or relative to now (`now`, `now-5m`).
    pub time: TimeSpec,
    /// The end of a range; an instant when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<TimeSpec>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A draft checked, its times resolved: what the store keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAnnotation {
    pub dashboard: Option<i64>,
    pub time: i64,
    pub end: i64,
    pub text: String,
    pub tags: Vec<String>,
}

impl AnnotationDraft {
    /// The draft with times resolved at `now` and text and tags trimmed,
    /// or the first thing wrong with it.
    pub fn checked(self, now: i64) -> Result<CheckedAnnotation, ErrorBody> {
        let at = |name: &str, t: TimeSpec| t.resolve_checked(now).map_err(|e| invalid(format!("{name}: {e}")));
        let time = at("time", self.time)?;
        let end = match self.end {
            Some(end) => at("end", end)?,
            None => time,
        };
        if end < time {
            return Err(invalid(format!("the end ({end}) is before the time ({time})")));
        }
        let text = self.text.trim().to_owned();
        if text.is_empty() {
            return Err(invalid("the text is empty".into()));
        }
        if text.chars().count() > MAX_ANNOTATION_CHARS {
            return Err(invalid(format!(
                "the text is longer than {MAX_ANNOTATION_CHARS} characters"
            )));
        }
        let mut tags: Vec<String> = self
            .tags
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        tags.dedup();
        if tags.len() > MAX_ANNOTATION_TAGS {
            return Err(invalid(format!("an annotation has at most {MAX_ANNOTATION_TAGS} tags")));
        }
        if let Some(long) = tags.iter().find(|t| t.chars().count() > MAX_TAG_CHARS) {
            return Err(invalid(format!(
                "the tag `{long}` is longer than {MAX_TAG_CHARS} characters"
            )));
        }
        Ok(CheckedAnnotation {
            dashboard: self.dashboard,
            time,
            end,
            text,
            tags,
        })
    }
}

fn invalid(message: String) -> ErrorBody {
    ErrorBody::new("invalid_annotation", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(time: TimeSpec, end: Option<TimeSpec>, text: &str) -> AnnotationDraft {
        AnnotationDraft {
            dashboard: Some(3),
            time,
            end,
            text: text.into(),
            tags: vec![" deploy ".into(), "".into()],
        }
    }

    #[test]
    fn a_draft_resolves_its_times_and_trims() {
        let c = draft(TimeSpec::FromNow(-60_000), None, " serviced ")
            .checked(1_000_000)
            .unwrap();
        assert_eq!((c.time, c.end), (940_000, 940_000), "an instant");
        assert_eq!(
            (c.text.as_str(), c.tags.clone()),
            ("serviced", vec!["deploy".to_owned()])
        );
        let c = draft(TimeSpec::At(5), Some(TimeSpec::At(9)), "x").checked(0).unwrap();
        assert_eq!((c.time, c.end), (5, 9));
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            (draft(TimeSpec::At(9), Some(TimeSpec::At(5)), "x"), "before"),
            (draft(TimeSpec::At(9), None, "  "), "empty"),
            (draft(TimeSpec::At(9), None, &"x".repeat(1_001)), "longer"),
            (draft(TimeSpec::FromNow(-10_000), None, "x"), "time"),
        ];
        for (d, said) in cases {
            let e = d.checked(5_000).unwrap_err();
            assert_eq!(e.error, "invalid_annotation");
            assert!(e.message.contains(said), "{}", e.message);
        }
        let mut many = draft(TimeSpec::At(1), None, "x");
        many.tags = (0..17).map(|i| i.to_string()).collect();
        assert!(many.checked(0).is_err());
    }
}
