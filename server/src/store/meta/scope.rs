//! What a token allows.

use std::fmt;

/// One permission a token can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Queries, series, exports, dashboards and metrics.
    Read,
    /// Ingest: every write endpoint; dashboard changes when reads are
    /// token-only.
    Write,
    /// Everything, and managing tokens.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Read, Scope::Write, Scope::Admin];

    pub fn name(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of scopes; `admin` grants every scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scopes(u8);

impl Scopes {
    pub fn of(scopes: &[Scope]) -> Scopes {
        Scopes(scopes.iter().fold(0, |bits, s| bits | s.bit()))
    }

    pub fn allows(self, need: Scope) -> bool {
        self.0 & (need.bit() | Scope::Admin.bit()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The scopes held, in [`Scope::ALL`] order.
    pub fn names(self) -> Vec<&'static str> {
        Scope::ALL
            .into_iter()
            .filter(|s| self.0 & s.bit() != 0)
            .map(Scope::name)
            .collect()
    }

    /// Parses a comma-separated list such as `read,write`; the error names
    /// the word that is not a scope.
    pub fn parse(text: &str) -> Result<Scopes, String> {
        let mut bits = 0;
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let scope = Scope::ALL
                .into_iter()
                .find(|s| s.name() == word)
                .ok_or_else(|| format!("`{word}` is not a scope (read, write, admin)"))?;
            bits |= scope.bit();
        }
        if bits == 0 {
            return Err("name at least one scope: read, write or admin".into());
        }
        Ok(Scopes(bits))
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_allows_everything_and_the_others_only_themselves() {
        let admin = Scopes::of(&[Scope::Admin]);
        assert!(Scope::ALL.iter().all(|&s| admin.allows(s)));
        let write = Scopes::of(&[Scope::Write]);
        assert!(write.allows(Scope::Write));
        assert!(!write.allows(Scope::Read) && !write.allows(Scope::Admin));
        let read = Scopes::of(&[Scope::Read]);
        assert!(read.allows(Scope::Read) && !read.allows(Scope::Write));
        assert!(!Scopes::default().allows(Scope::Read));
    }

    #[test]
    fn parses_and_prints_lists() {
        let s = Scopes::parse(" write, read ,").unwrap();
        assert_eq!(s.to_string(), "read,write");
        assert_eq!(Scopes::parse(&s.to_string()), Ok(s));
        assert!(Scopes::parse("").is_err());
        assert!(Scopes::parse("read,owner").unwrap_err().contains("`owner`"));
    }
}
