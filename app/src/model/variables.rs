//! Dashboard variables: a name (`$device`) standing in panel series keys,
//! selectors and titles for one of a label's values, chosen in a
//! drop-down at the top of the dashboard (`var-device=d07` in the URL).

use serde::{Deserialize, Serialize};

/// Most variables one dashboard may have.
pub const MAX_VARIABLES: usize = 8;
/// Longest variable name, in bytes.
pub const MAX_VARIABLE_NAME: usize = 32;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DashboardVariable {
    /// Written `$name` or `${name}` in panels: a letter or `_`, then
    /// letters, digits or `_`.
    pub name: String,
    /// The label whose values are offered.
    pub label: String,
    /// A selector narrowing the values offered to those of the series it
    /// matches (e.g. `fleet.f3` or `{site="s2"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// The value when the URL names none; else the first value offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// The first thing wrong with `variables`, as a 400 body's message.
pub fn check_variables(variables: &[DashboardVariable]) -> Result<(), String> {
    if variables.len() > MAX_VARIABLES {
        return Err(format!("a dashboard has at most {MAX_VARIABLES} variables"));
    }
    for (i, v) in variables.iter().enumerate() {
        let at = format!("variable {}", i + 1);
        let mut chars = v.name.chars();
        let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && v.name.len() <= MAX_VARIABLE_NAME;
        if !well_formed {
            return Err(format!(
                "{at}: the name `{}` must be a letter or _ followed by letters, digits or _ (at most {MAX_VARIABLE_NAME})",
                v.name
            ));
        }
        if variables[..i].iter().any(|w| w.name == v.name) {
            return Err(format!("{at}: the name `{}` is taken", v.name));
        }
        if v.label.trim().is_empty() {
            return Err(format!("{at}: the label is empty"));
        }
        if let Some(s) = &v.select {
            crate::domain::Selector::parse(s).map_err(|e| format!("{at}: selector: {e}"))?;
        }
    }
    Ok(())
}
