//! The alerts page's rule form, read into a draft: one text per field,
//! as a plain HTML form posts them (or a GET puts them in the URL, for a
//! preview). Empty fields take the rule's defaults.

use super::{AlertRuleDraft, ErrorBody, Labels, Reducer};
use crate::domain::{Direction, NoDataAs};

/// The form's field names, in the form's order.
pub const RULE_FORM_FIELDS: [&str; 13] = [
    "name",
    "series",
    "select",
    "reducer",
    "window",
    "direction",
    "warning",
    "critical",
    "recovery",
    "every",
    "pending",
    "no_data_as",
    "summary",
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
        Ok(AlertRuleDraft {
            name: field("name"),
            series: field("series").trim().to_owned(),
            select: optional("select"),
            aggregate: None,
            by: Vec::new(),
            reducer: match field("reducer").as_str() {
                "avg" => Reducer::Avg,
                "min" => Reducer::Min,
                "max" => Reducer::Max,
                "count" => Reducer::Count,
                "rate" => Reducer::Rate,
                _ => Reducer::Last,
            },
            window: optional("window"),
            direction: if field("direction") == "below" {
                Direction::Below
            } else {
                Direction::Above
            },
            warning: number("warning", "warning")?,
            critical: number("critical", "critical")?,
            recovery: number("recovery", "recovers past")?,
            every: optional("every"),
            pending: optional("pending"),
            keep_firing: None,
            no_data_after: None,
            no_data_as: Some(match field("no_data_as").as_str() {
                "ok" => NoDataAs::Ok,
                "keep_last" => NoDataAs::KeepLast,
                _ => NoDataAs::Alerting,
            }),
            labels: Labels::new(),
            annotations: optional("summary")
                .map(|s| [("summary".to_owned(), s)].into())
                .unwrap_or_default(),
            contact_points: Vec::new(),
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
