//! What the store keeps besides measurements: dashboards, annotations,
//! alert rules with their instances' states and history, and access
//! tokens (their scopes are the store's own type, since they
//! are stored).

mod alert_rules;
mod alert_states;
mod annotations;
mod contact_points;
mod dashboards;
mod push;
mod scope;
mod silences;
mod tokens;

pub(crate) use alert_states::expire_history;
pub use alert_states::{AlertChanges, NewTransition, StoredInstance};
pub(crate) use contact_points::expire_deliveries;
pub use contact_points::NewDelivery;
pub use dashboards::FirstDashboard;
pub use scope::{Scope, Scopes};
pub(crate) use silences::expire_silences;
pub use tokens::StoredToken;

use super::{Store, StoreError};
