//! A selector's matchers made ready to run against the postings: regexes
//! compiled (anchored, with size limits), and each matcher turned into the
//! set of series it keeps or drops.

use super::postings::{Postings, Values};
use super::Position;
use app::domain::{parse_series_key, MatchOp, Selector, NAME_LABEL};

/// The most memory one compiled regex may take, in bytes (the `regex`
/// crate's own limit on its program and lazy DFA).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Why a selector cannot be run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SelectError {
    #[error("select: {0}")]
    Syntax(String),
    #[error("the pattern of `{label}` is not a valid regular expression: {reason}")]
    BadRegex { label: String, reason: String },
    #[error("a selector needs a series name or a matcher that does not match the empty value")]
    MatchesEverything,
    #[error("the selector matches {matched} series; at most {limit} may be read at once")]
    TooManySeries { matched: usize, limit: usize },
}

/// A selector ready to run.
pub struct CompiledSelector {
    matchers: Vec<Compiled>,
}

struct Compiled {
    label: String,
    test: Test,
    negative: bool,
}

enum Test {
    Equal(String),
    /// The regex, and a literal every value it matches starts with (maybe
    /// empty), tried first: most values of a label fail on it at once.
    Regex(regex::Regex, String),
}

impl Compiled {
    /// Whether a series whose value of the label is `value` (empty when it
    /// has none) is kept.
    fn accepts(&self, value: &str) -> bool {
        let hit = match &self.test {
            Test::Equal(v) => v == value,
            Test::Regex(re, prefix) => value.starts_with(prefix.as_str()) && re.is_match(value),
        };
        hit != self.negative
    }

    /// The series this matcher keeps (`Keep`) or, when it keeps series
    /// without the label, the ones it drops (`Drop`).
    fn sorts(&self, values: Option<&Values>) -> Sort {
        let Some(values) = values else {
            return if self.accepts("") {
                Sort::Drop(Vec::new())
            } else {
                Sort::Keep(Vec::new())
            };
        };
        if let (Test::Equal(v), false) = (&self.test, self.negative) {
            if !v.is_empty() {
                return Sort::Keep(values.of(v).to_vec());
            }
        }
        let keeps_missing = self.accepts("");
        let mut positions: Vec<Position> = values
            .iter()
            .filter(|(v, _)| self.accepts(v) != keeps_missing)
            .flat_map(|(_, p)| p.iter().copied())
            .collect();
        // A series has one value per label, so the lists are disjoint.
        positions.sort_unstable();
        if keeps_missing {
            Sort::Drop(positions)
        } else {
            Sort::Keep(positions)
        }
    }
}

enum Sort {
    Keep(Vec<Position>),
    Drop(Vec<Position>),
}

impl CompiledSelector {
    /// Parses and compiles the selector `text`.
    pub fn from_text(text: &str) -> Result<CompiledSelector, SelectError> {
        CompiledSelector::new(&Selector::parse(text).map_err(|e| SelectError::Syntax(e.to_string()))?)
    }

    pub fn new(selector: &Selector) -> Result<CompiledSelector, SelectError> {
        let matchers = selector
            .matchers
            .iter()
            .map(|m| {
                let test = match m.op {
                    MatchOp::Equal | MatchOp::NotEqual => Test::Equal(m.value.clone()),
                    MatchOp::Regex | MatchOp::NotRegex => Test::Regex(
                        regex::RegexBuilder::new(&format!("^(?:{})$", m.value))
                            .size_limit(REGEX_SIZE_LIMIT)
                            .dfa_size_limit(REGEX_SIZE_LIMIT)
                            .build()
                            .map_err(|e| SelectError::BadRegex {
                                label: m.label.clone(),
                                reason: e.to_string(),
                            })?,
                        literal_prefix(&m.value),
                    ),
                };
                Ok(Compiled {
                    label: m.label.clone(),
                    test,
                    negative: m.op.is_negative(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if matchers.iter().all(|m| m.accepts("")) {
            return Err(SelectError::MatchesEverything);
        }
        Ok(CompiledSelector { matchers })
    }

    /// Whether a label set (an alert instance's, say) passes every
    /// matcher; a label it lacks has the empty value.
    pub fn accepts_labels(&self, labels: &std::collections::BTreeMap<String, String>) -> bool {
        self.matchers
            .iter()
            .all(|m| m.accepts(labels.get(&m.label).map_or("", String::as_str)))
    }

    /// Positions of the matching series among `postings`, ascending; more
    /// than `limit` is [`SelectError::TooManySeries`]. Equalities narrow
    /// first; a matcher whose label has many more values than there are
    /// candidates left is then tried on each candidate's own value (read
    /// from its key through `key_of`) rather than on every value.
    pub fn select<'k>(
        &self,
        postings: &Postings,
        key_of: &dyn Fn(Position) -> &'k str,
        limit: usize,
    ) -> Result<Vec<Position>, SelectError> {
        let (direct, rest): (Vec<&Compiled>, Vec<&Compiled>) =
            self.matchers.iter().partition(|m| m.is_plain_equality());
        let mut found: Option<Vec<Position>> = None;
        let mut direct: Vec<&[Position]> = direct.iter().map(|m| m.equal_postings(postings)).collect();
        direct.sort_by_key(|p| p.len());
        for p in direct {
            found = Some(match found {
                None => p.to_vec(),
                Some(mut f) => {
                    f.retain(|x| p.binary_search(x).is_ok());
                    f
                }
            });
        }
        let mut drop = Vec::new();
        for m in rest {
            let values = postings.label(&m.label);
            if let Some(f) = &mut found {
                if f.len() * CANDIDATE_FACTOR < values.map_or(0, |v| v.len()) {
                    f.retain(|&p| m.accepts(&label_value(key_of(p), &m.label).unwrap_or_default()));
                    continue;
                }
            }
            match m.sorts(values) {
                Sort::Keep(p) => {
                    found = Some(match found {
                        None => p,
                        Some(mut f) => {
                            f.retain(|x| p.binary_search(x).is_ok());
                            f
                        }
                    })
                }
                Sort::Drop(p) => drop.push(p),
            }
        }
        let Some(mut found) = found else {
            return Err(SelectError::MatchesEverything);
        };
        for other in &drop {
            found.retain(|p| other.binary_search(p).is_err());
        }
        if found.len() > limit {
            return Err(SelectError::TooManySeries {
                matched: found.len(),
                limit,
            });
        }
        Ok(found)
    }
}

/// Candidates are tested one by one when the label's values outnumber
/// them by this factor: reading a value back from a key costs about as
/// much as trying a few dozen values on their literal prefix and merging
/// their postings (see the selection benchmarks).
const CANDIDATE_FACTOR: usize = 32;

impl Compiled {
    /// `label="value"` with a value: one posting list, no test.
    fn is_plain_equality(&self) -> bool {
        matches!(&self.test, Test::Equal(v) if !v.is_empty()) && !self.negative
    }

    fn equal_postings<'a>(&self, postings: &'a Postings) -> &'a [Position] {
        match (&self.test, postings.label(&self.label)) {
            (Test::Equal(v), Some(values)) => values.of(v),
            _ => &[],
        }
    }
}

/// The value of `label` in the canonical `key` (the name for `__name__`).
fn label_value(key: &str, label: &str) -> Option<String> {
    let (name, labels) = parse_series_key(key)?;
    if label == NAME_LABEL {
        return Some(name.to_owned());
    }
    labels.into_iter().find(|(k, _)| *k == label).map(|(_, v)| v)
}

/// The longest literal every match of `pattern` starts with; empty when
/// there is none to use (alternatives with nothing in common, flags that
/// fold case, a pattern the extractor gives up on).
fn literal_prefix(pattern: &str) -> String {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
        return String::new();
    };
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let Some(literals) = seq.literals().filter(|l| !l.is_empty()) else {
        return String::new();
    };
    let first = literals[0].as_bytes();
    let common = literals.iter().fold(first.len(), |n, l| {
        first
            .iter()
            .zip(l.as_bytes())
            .take(n)
            .take_while(|(a, b)| a == b)
            .count()
    });
    // The common part may end inside a character: back off to its start.
    (0..=common)
        .rev()
        .find_map(|n| std::str::from_utf8(&first[..n]).ok())
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::literal_prefix;

    #[test]
    fn prefixes_every_match_starts_with() {
        assert_eq!(literal_prefix("d0001.*"), "d0001");
        assert_eq!(literal_prefix(r"fleet\.f[34]"), "fleet.f");
        assert_eq!(literal_prefix("ab|ac"), "a");
        assert_eq!(literal_prefix("ab|cd"), "");
        assert_eq!(literal_prefix(".*x"), "");
        assert_eq!(literal_prefix("(?i)abc"), "", "case folded: no single prefix");
        assert_eq!(literal_prefix("é1|é2"), "é");
        assert_eq!(literal_prefix("éa|èb"), "", "never half a character");
        assert_eq!(literal_prefix("("), "", "not a regex: nothing to use");
    }
}
