//! One module per route.

mod alerts;
mod dashboard;
mod editor;
mod explorer;
mod not_found;
mod sign_in;
mod system;

pub use alerts::AlertsPage;
pub use dashboard::{DashboardPage, PanelState, PollStatus};
pub use editor::EditorPage;
pub use explorer::ExplorerPage;
pub use not_found::NotFound;
pub use sign_in::SignInPage;
pub use system::SystemPage;
