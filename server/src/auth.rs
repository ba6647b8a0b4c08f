//! Who may do what: tokens with scopes and how a request presents one.
//! The extractors handlers name to require a scope are in `crate::access`.
//!
//! - [`Scope`], [`Scopes`]: read, write, admin (admin implies the others).
//! - [`secret`]: making a token and the hash that is stored instead of it.
//! - [`credentials`]: where a request carries its token (headers, the
//!   InfluxDB 1.x `p` parameter, the UI's session cookie).
//! - [`TokenSet`]: the stored tokens, held in memory and re-read often so
//!   a token revoked by another process stops working within seconds.
//! - [`issue`]: a new token for the command line or the admin API.
//! - [`ReadPolicy`]: whether reads need a token at all.

pub mod credentials;
mod issue;
mod read_policy;
pub mod secret;
mod token_set;

pub use crate::store::{Scope, Scopes};
pub use issue::{issue, IssueError, MAX_NAME_CHARS};
pub use read_policy::{EditPolicy, ReadPolicy};
pub use token_set::{AuthError, TokenSet};
