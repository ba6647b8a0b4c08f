//! One module per route.

mod dashboard;
mod not_found;

pub use dashboard::{DashboardPage, PanelState, PollStatus};
pub use not_found::NotFound;
