//! The alerts page's rule form, read into a draft: one text per field,
//! as a plain HTML form posts them (or a GET puts them in the URL, for a
//! preview). Empty fields take the rule's defaults.

use super::{AggregateOp, AlertRuleDraft, ErrorBody, Labels, Reducer};
use crate::domain::{Direction, NoDataAs};

/// The form's field names, in the form's order.
pub const RULE_FORM_FIELDS: [&str; 22] = [
    "name",
    "series",
    "select",
    "aggregate",
    "by",
    "reducer",
    "window",
    "direction",
    "strict",
    "warning_low",
    "warning",
    "critical_low",
    "critical",
    "recovery",
    "keep_firing",
    "every",
    "pending",
    "no_data_after",
    "no_data_as",
    "labels",
    "summary",
    "contact_points",
];

impl AlertRuleDraft {
    /// The draft the form's fields make (`field` gives each, empty when
    /// absent); a number field that is not a number is the error.
    pub fn from_form(field: &dyn Fn(&str) -> String) -> Result<AlertRuleDraft, ErrorBody> {
        let optional = |name: &str| Some(field(name).trim().to_owned()).filter(|t| !t.is_empty());
        let number = |name: &str, label: &str| -> Result<Option<f64>, ErrorBody> {
            optional(name)
                .map(|t| {
                    t.parse()
                        .map_err(|_| ErrorBody::new("invalid_rule", format!("{label}: `{t}` is not a number")))
                })
                .transpose()
        };
        let list = |name: &str| -> Vec<String> {
            field(name)
                .split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect()
        };
        let labels = list("labels")
            .into_iter()
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.trim().to_owned())),
                _ => Err(ErrorBody::new(
                    "invalid_rule",
                    format!("labels: `{pair}` is not name=value"),
                )),
            })
            .collect::<Result<Labels, _>>()?;
        let contact_points = list("contact_points")
            .into_iter()
            .map(|id| {
                id.trim_start_matches('#')
                    .parse()
                    .map_err(|_| ErrorBody::new("invalid_rule", format!("contact points: `{id}` is not an id")))
            })
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(AlertRuleDraft {
            name: field("name"),
            series: field("series").trim().to_owned(),
            select: optional("select"),
            aggregate: match field("aggregate").as_str() {
                "avg" => Some(AggregateOp::Avg),
                "sum" => Some(AggregateOp::Sum),
                "min" => Some(AggregateOp::Min),
                "max" => Some(AggregateOp::Max),
                "count" => Some(AggregateOp::Count),
                _ => None,
            },
            by: list("by"),
            reducer: match field("reducer").as_str() {
                "avg" => Reducer::Avg,
                "min" => Reducer::Min,
                "max" => Reducer::Max,
                "count" => Reducer::Count,
                "rate" => Reducer::Rate,
                _ => Reducer::Last,
            },
            window: optional("window"),
            direction: match field("direction").as_str() {
                "below" => Direction::Below,
                "outside" => Direction::Outside,
                "inside" => Direction::Inside,
                _ => Direction::Above,
            },
            strict: field("strict") == "strict",
            warning_low: number("warning_low", "warning low edge")?,
            critical_low: number("critical_low", "critical low edge")?,
            warning: number("warning", "warning")?,
            critical: number("critical", "critical")?,
            recovery: number("recovery", "recovers past")?,
            every: optional("every"),
            pending: optional("pending"),
            keep_firing: optional("keep_firing"),
            no_data_after: optional("no_data_after"),
            no_data_as: Some(match field("no_data_as").as_str() {
                "ok" => NoDataAs::Ok,
                "keep_last" => NoDataAs::KeepLast,
                _ => NoDataAs::Alerting,
            }),
            labels,
            annotations: optional("summary")
                .map(|s| [("summary".to_owned(), s)].into())
                .unwrap_or_default(),
            contact_points,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_makes_the_draft_and_empty_fields_take_defaults() {
        let given = |name: &str| {
            match name {
                "name" => "hot",
                "series" => " boiler.temp ",
                "reducer" => "avg",
                "direction" => "below",
                "warning" => "5",
                "pending" => "2m",
                "no_data_as" => "ok",
                "summary" => "at {{value}}",
                "labels" => "team=heat, site = north",
                "contact_points" => "#2, 5",
                "aggregate" => "max",
                "by" => "site, line",
                "keep_firing" => "1m",
                _ => "",
            }
            .to_owned()
        };
        let d = AlertRuleDraft::from_form(&given).unwrap();
        assert_eq!(
            (d.series.as_str(), d.reducer, d.direction),
            ("boiler.temp", Reducer::Avg, Direction::Below)
        );
        assert_eq!(
            (d.warning, d.critical, d.select, d.window),
            (Some(5.0), None, None, None)
        );
        assert_eq!((d.pending.as_deref(), d.no_data_as), (Some("2m"), Some(NoDataAs::Ok)));
        assert_eq!(d.annotations["summary"], "at {{value}}");
        assert_eq!(
            (d.labels["team"].as_str(), d.labels["site"].as_str()),
            ("heat", "north")
        );
        assert_eq!(d.contact_points, [2, 5]);
        assert_eq!(
            (d.aggregate, d.by.as_slice()),
            (Some(AggregateOp::Max), ["site", "line"].map(String::from).as_slice())
        );
        assert_eq!((d.keep_firing.as_deref(), d.no_data_after), (Some("1m"), None));
        let bad = |name: &str| if name == "labels" { "team".into() } else { String::new() };
        assert!(AlertRuleDraft::from_form(&bad)
            .unwrap_err()
            .message
            .contains("`team` is not name=value"));
        let wrong = |name: &str| {
            if name == "critical" {
                "lots".into()
            } else {
                String::new()
            }
        };
        assert_eq!(
            AlertRuleDraft::from_form(&wrong).unwrap_err().message,
            "critical: `lots` is not a number"
        );
    }
}
