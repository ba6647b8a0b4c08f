//! Says whether the charts are current: live with the time of the last
//! update, loaded once when refresh is off, reconnecting with the reason and the next retry, or offline
//! with the age of the answers shown.

use super::local_parts;
use crate::domain::format_time_label;
use crate::pages::PollStatus;
use leptos::prelude::*;

#[component]
pub fn PollStatusLine(status: RwSignal<PollStatus>) -> impl IntoView {
    let text = move || match status.get() {
        PollStatus::Idle => String::new(),
        PollStatus::Connecting => "connecting…".to_owned(),
        PollStatus::Live { at_ms } => format!("live · updated {}", format_time_label(local_parts(at_ms), 1_000)),
        PollStatus::Loaded { at_ms } => {
            format!("updated {} · refresh off", format_time_label(local_parts(at_ms), 1_000))
        }
        PollStatus::Reconnecting { message, retry_in_ms } => {
            format!("reconnecting… retry in {} s ({message})", retry_in_ms.div_ceil(1000))
        }
        PollStatus::Offline { data_from_ms } => {
            format!(
                "offline — data from {}",
                format_time_label(local_parts(data_from_ms), 60_000)
            )
        }
    };
    let class = move || match status.get() {
        PollStatus::Idle | PollStatus::Connecting | PollStatus::Loaded { .. } => "status",
        PollStatus::Live { .. } => "status status-live",
        PollStatus::Reconnecting { .. } => "status status-error",
        PollStatus::Offline { .. } => "status status-offline",
    };
    view! { <p class=class role="status" aria-live="polite">{text}</p> }
}
