//! A selector's matchers made ready to run against the postings: regexes
//! compiled (anchored, with size limits), and each matcher turned into the
//! set of series it keeps or drops.

use super::postings::{Postings, Values};
use super::Position;
use app::domain::{MatchOp, Selector};

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
    Regex(regex::Regex),
}

impl Compiled {
    /// Whether a series whose value of the label is `value` (empty when it
    /// has none) is kept.
    fn accepts(&self, value: &str) -> bool {
        let hit = match &self.test {
            Test::Equal(v) => v == value,
            Test::Regex(re) => re.is_match(value),
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

    /// Positions of the matching series among `postings`, ascending; more
    /// than `limit` is [`SelectError::TooManySeries`].
    pub fn select(&self, postings: &Postings, limit: usize) -> Result<Vec<Position>, SelectError> {
        let (mut keep, mut drop) = (Vec::new(), Vec::new());
        for m in &self.matchers {
            match m.sorts(postings.label(&m.label)) {
                Sort::Keep(p) => keep.push(p),
                Sort::Drop(p) => drop.push(p),
            }
        }
        keep.sort_by_key(Vec::len);
        let mut kept = keep.into_iter();
        let Some(mut found) = kept.next() else {
            return Err(SelectError::MatchesEverything);
        };
        for other in kept {
            found.retain(|p| other.binary_search(p).is_ok());
        }
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
