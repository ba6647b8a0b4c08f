//! What the store keeps besides measurements: dashboards, annotations
//! and access tokens (their scopes are the store's own type, since they
//! are stored).

mod annotations;
mod dashboards;
mod scope;
mod tokens;

pub use dashboards::FirstDashboard;
pub use scope::{Scope, Scopes};
pub use tokens::StoredToken;

use super::{Store, StoreError};
