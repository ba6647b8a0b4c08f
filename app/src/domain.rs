//! Pure domain logic shared by browser and server: no I/O, no `cfg`, so it
//! compiles for wasm and native alike and is unit-tested without either.

mod answer_cache;
mod crosshair;
mod dashboard_view;
mod first_dashboard;
mod gaps;
mod lttb;
mod mean;
mod minmax;
mod panel_fields;
mod range_preset;
mod refresh_choice;
mod refresh_policy;
mod return_path;
mod rollup_buckets;
mod selector;
mod series_key;
mod sparkline;
mod time_label;
mod time_spec;
mod time_ticks;
mod url_encode;
mod value_format;

pub use answer_cache::{AnswerCache, Cached};
pub use crosshair::{bucket_extent, nearest_index};
pub use dashboard_view::{DashboardView, TimeRange, MIN_ZOOM_MS};
pub use first_dashboard::{first_dashboard, FIRST_DASHBOARD_PANELS, FIRST_DASHBOARD_TITLE};
pub use gaps::split_at_gaps;
pub use lttb::{downsample_lttb, lttb_select, ThresholdTooSmall, XY};
pub use mean::{downsample_mean, mean_grid, mean_into};
pub use minmax::{downsample_minmax, grid_for, grid_width, minmax_into};
pub use panel_fields::PanelFields;
pub use range_preset::RangePreset;
pub use refresh_choice::RefreshChoice;
pub use refresh_policy::{backoff_ms, points_for_width, DEFAULT_POINTS, HIDDEN_CHECK_MS, MAX_BACKOFF_MS};
pub use return_path::return_path;
pub use rollup_buckets::{bucket_slice, bucket_start, touched_buckets, RollupTier, Summary, HOUR_MS, MINUTE_MS};
pub use selector::{MatchOp, Matcher, Selector, SelectorError, MAX_MATCHERS, MAX_SELECTOR_BYTES, NAME_LABEL};
pub use series_key::{key_suffix, parse_series_key, series_key};
pub use sparkline::sparkline_points;
pub use time_label::{format_datetime_local, format_instant, format_time_label, DateParts};
pub use time_spec::{TimeSpec, TimeSpecError, MAX_T_MS, MIN_T_MS};
pub use time_ticks::time_ticks;
pub use url_encode::encode_query_value;
pub use value_format::{format_tick, format_value, format_value_in};
