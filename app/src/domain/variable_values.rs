//! Putting the chosen values of a dashboard's variables into its panels:
//! `$name` and `${name}` in series keys, selectors and titles. In keys and
//! selectors a value lands inside a quoted label value, so its quotes and
//! backslashes are escaped; titles take it as it is.

use crate::model::{Dashboard, PanelSpec};

/// `text` with every `$name` / `${name}` of `values` replaced by
/// `escape(value)`; longer names first, so `$site` is not read as `$s`.
pub fn substitute(text: &str, values: &[(String, String)], escape: fn(&str) -> String) -> String {
    if !text.contains('$') {
        return text.to_owned();
    }
    let mut ordered: Vec<&(String, String)> = values.iter().collect();
    ordered.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    let mut out = text.to_owned();
    for (name, value) in ordered {
        let escaped = escape(value);
        out = out.replace(&format!("${{{name}}}"), &escaped);
        let bare = format!("${name}");
        let mut rest = out.as_str();
        let mut next = String::with_capacity(out.len());
        while let Some(at) = rest.find(&bare) {
            let after = &rest[at + bare.len()..];
            let continues = after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            next.push_str(&rest[..at]);
            next.push_str(if continues { &bare } else { &escaped });
            rest = after;
        }
        next.push_str(rest);
        out = next;
    }
    out
}

/// A label value as it stands between double quotes.
pub fn quoted_value(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

fn as_is(value: &str) -> String {
    value.to_owned()
}

/// The dashboard with `values` put into every panel.
pub fn with_variables(mut dashboard: Dashboard, values: &[(String, String)]) -> Dashboard {
    if values.is_empty() {
        return dashboard;
    }
    for PanelSpec {
        title,
        series,
        selection,
        ..
    } in &mut dashboard.panels
    {
        *title = substitute(title, values, as_is);
        for key in series.iter_mut() {
            *key = substitute(key, values, quoted_value);
        }
        if let Some(s) = selection {
            s.select = substitute(&s.select, values, quoted_value);
        }
    }
    dashboard
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn names_are_replaced_whole_longest_first() {
        let v = values(&[("s", "short"), ("site", "s2"), ("dev", "d07")]);
        assert_eq!(
            substitute("f{site=\"$site\",x=\"$s\",d=\"${dev}x\",y=\"$devices\"}", &v, as_is),
            "f{site=\"s2\",x=\"short\",d=\"d07x\",y=\"$devices\"}"
        );
        assert_eq!(substitute("no variables", &v, as_is), "no variables");
        assert_eq!(substitute("$unknown stays", &v, as_is), "$unknown stays");
    }

    #[test]
    fn values_inside_quotes_are_escaped() {
        let v = values(&[("d", "a\"b\\c")]);
        assert_eq!(substitute("k{d=\"$d\"}", &v, quoted_value), "k{d=\"a\\\"b\\\\c\"}");
    }
}
