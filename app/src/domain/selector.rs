//! Series selectors as Prometheus users write them:
//! `fleet.f3{site="s2", device=~"d0.*", line!="3"}`, or only the braces
//! (`{__name__=~"fleet\\..*"}`), or only the name. The parser checks the
//! shape; regular expressions are compiled where they are matched (the
//! server), so the browser build carries no regex engine.
//!
//! Semantics follow Prometheus: `=`, `!=`, `=~`, `!~`; a regex must match
//! the whole value; a series without a label has the empty value for it,
//! so `line=""` selects the series that have no `line` and `line!=""`
//! those that have one. A selector must hold at least one matcher that
//! does not match the empty value, so it can never name every series by
//! accident.

use std::fmt;

/// The longest selector text accepted, in bytes.
pub const MAX_SELECTOR_BYTES: usize = 4096;
/// The most matchers one selector may hold (the name counts as one).
pub const MAX_MATCHERS: usize = 32;
/// The label a series' name is matched under.
pub const NAME_LABEL: &str = "__name__";

/// How a matcher compares a label's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchOp {
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

impl MatchOp {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        }
    }

    /// Whether the operator selects what does *not* match its value.
    pub fn is_negative(self) -> bool {
        matches!(self, MatchOp::NotEqual | MatchOp::NotRegex)
    }
}

/// One `label op "value"` condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Matcher {
    pub label: String,
    pub op: MatchOp,
    pub value: String,
}

/// A parsed selector: its matchers, the name's (`__name__ = name`) first
/// when one was written before the braces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selector {
    pub matchers: Vec<Matcher>,
}

/// Why a text is not a selector, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.at)
    }
}

impl std::error::Error for SelectorError {}

impl Selector {
    /// Parses `text`; see the module's documentation for the grammar.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        if text.len() > MAX_SELECTOR_BYTES {
            return Err(err(0, format!("a selector is at most {MAX_SELECTOR_BYTES} bytes")));
        }
        let mut p = Parser { text, at: 0 };
        let mut matchers = Vec::new();
        let name = p.take_while(|c| c != '{').trim();
        if !name.is_empty() {
            if let Some(bad) = name.chars().find(|&c| c == '}' || c == '"' || c.is_control()) {
                return Err(err(0, format!("the series name contains {bad:?}")));
            }
            matchers.push(Matcher {
                label: NAME_LABEL.into(),
                op: MatchOp::Equal,
                value: name.into(),
            });
        }
        if p.eat('{') {
            p.matchers(&mut matchers)?;
        }
        p.skip_space();
        if p.at < text.len() {
            return Err(err(p.at, "unexpected text after the selector".into()));
        }
        if matchers.len() > MAX_MATCHERS {
            return Err(err(0, format!("a selector holds at most {MAX_MATCHERS} matchers")));
        }
        let selector = Selector { matchers };
        if !selector.matchers.iter().any(|m| !m.matches_empty_plainly()) {
            return Err(err(
                0,
                "a selector needs a series name or a matcher that does not match the empty value".into(),
            ));
        }
        Ok(selector)
    }

    /// The selector `text` narrowed by `label="value"` (replacing an `=`
    /// matcher of that label); `text` empty or not a selector starts anew.
    pub fn narrowed(text: &str, label: &str, value: &str) -> String {
        let mut matchers = Selector::parse(text).map(|s| s.matchers).unwrap_or_default();
        matchers.retain(|m| !(m.label == label && m.op == MatchOp::Equal));
        let at = if label == NAME_LABEL { 0 } else { matchers.len() };
        matchers.insert(
            at,
            Matcher {
                label: label.into(),
                op: MatchOp::Equal,
                value: value.into(),
            },
        );
        Selector { matchers }.to_string()
    }
}

impl Matcher {
    /// Whether the empty value surely matches, judged without a regex
    /// engine: `=""`, `!="x"`, `!~"x"` with a non-empty literal-looking
    /// pattern, and the patterns that obviously accept anything. Regexes
    /// are judged by the server exactly; this only guards the parse.
    fn matches_empty_plainly(&self) -> bool {
        match self.op {
            MatchOp::Equal => self.value.is_empty(),
            MatchOp::NotEqual => !self.value.is_empty(),
            MatchOp::Regex => matches!(self.value.as_str(), "" | ".*" | "(.*)" | "^.*$"),
            MatchOp::NotRegex => !matches!(self.value.as_str(), "" | ".*" | "(.*)" | "^.*$"),
        }
    }
}

/// The canonical text: a first `__name__="…"` written as a bare name when
/// the name can be (the parser reads it back the same), the matchers in
/// their order, values quoted with `"` and `\` escaped. Parsing it gives
/// the same selector.
impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bare = self.matchers.first().filter(|m| {
            m.label == NAME_LABEL
                && m.op == MatchOp::Equal
                && !m.value.is_empty()
                && m.value.trim() == m.value
                && !m.value.chars().any(|c| matches!(c, '{' | '}' | '"') || c.is_control())
        });
        let rest = &self.matchers[usize::from(bare.is_some())..];
        if let Some(name) = bare {
            f.write_str(&name.value)?;
            if rest.is_empty() {
                return Ok(());
            }
        }
        f.write_str("{")?;
        for (i, m) in rest.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}{}\"", m.label, m.op.as_str())?;
            for c in m.value.chars() {
                if c == '"' || c == '\\' {
                    f.write_str("\\")?;
                }
                write!(f, "{c}")?;
            }
            f.write_str("\"")?;
        }
        f.write_str("}")
    }
}

fn err(at: usize, message: String) -> SelectorError {
    SelectorError { at, message }
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let len = rest.find(|c: char| !keep(c)).unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    fn skip_space(&mut self) {
        self.take_while(char::is_whitespace);
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// The matchers up to and including the closing brace.
    fn matchers(&mut self, out: &mut Vec<Matcher>) -> Result<(), SelectorError> {
        loop {
            if self.eat('}') {
                return Ok(());
            }
            out.push(self.matcher()?);
            if out.len() > MAX_MATCHERS {
                return Err(err(
                    self.at,
                    format!("a selector holds at most {MAX_MATCHERS} matchers"),
                ));
            }
            if self.eat('}') {
                return Ok(());
            }
            if !self.eat(',') {
                return Err(err(self.at, "expected `,` or `}` after a matcher".into()));
            }
        }
    }

    fn matcher(&mut self) -> Result<Matcher, SelectorError> {
        self.skip_space();
        let start = self.at;
        let label = self.take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | ':' | '/'));
        if label.is_empty() {
            return Err(err(start, "expected a label name".into()));
        }
        self.skip_space();
        let op = [
            ("=~", MatchOp::Regex),
            ("!~", MatchOp::NotRegex),
            ("!=", MatchOp::NotEqual),
            ("=", MatchOp::Equal),
        ]
        .into_iter()
        .find(|(text, _)| self.rest().starts_with(text));
        let Some((text, op)) = op else {
            return Err(err(self.at, format!("expected =, !=, =~ or !~ after `{label}`")));
        };
        self.at += text.len();
        self.skip_space();
        let value = self.quoted()?;
        Ok(Matcher {
            label: label.into(),
            op,
            value,
        })
    }

    /// A value in double or single quotes, with `\"`, `\'`, `\\`, `\n`
    /// and `\t` escapes.
    fn quoted(&mut self) -> Result<String, SelectorError> {
        let start = self.at;
        let Some(quote) = self.rest().chars().next().filter(|&c| c == '"' || c == '\'') else {
            return Err(err(start, "expected a quoted value".into()));
        };
        self.at += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => {
                    self.at += i + 1;
                    return Ok(value);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 't')) => value.push('\t'),
                    Some((_, c @ ('"' | '\'' | '\\'))) => value.push(c),
                    // Regexes keep their own escapes: `\.` stays `\.`.
                    Some((_, c)) => {
                        value.push('\\');
                        value.push(c);
                    }
                    None => break,
                },
                c => value.push(c),
            }
        }
        Err(err(start, "a quoted value is not closed".into()))
    }
}

#[cfg(test)]
#[path = "selector_tests.rs"]
mod tests;
