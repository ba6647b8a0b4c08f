//! Who may do what: tokens with scopes, how a request presents one, and
//! the extractors handlers name to require a scope.
//!
//! - [`Scope`], [`Scopes`]: read, write, admin (admin implies the others).
//! - [`secret`]: making a token and the hash that is stored instead of it.
//! - [`credentials`]: where a request carries its token (headers, the
//!   InfluxDB 1.x `p` parameter, the UI's session cookie).
//! - [`TokenSet`]: the stored tokens, held in memory and re-read often so
//!   a token revoked by another process stops working within seconds.
//! - [`issue`]: a new token for the command line or the admin API.
//! - [`access`]: `ReadAccess`, `WriteAccess`, `AdminAccess`, `EditAccess`.

pub mod access;
pub mod credentials;
mod issue;
mod scope;
pub mod secret;
mod token_set;

pub use access::{AdminAccess, EditAccess, ReadAccess, ReadPolicy, WriteAccess};
pub use issue::{issue, IssueError, MAX_NAME_CHARS};
pub use scope::{Scope, Scopes};
pub use token_set::{AuthError, TokenSet};
