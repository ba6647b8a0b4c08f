//! The store on its own, without HTTP: its reads and rollups against a
//! model under any order of writes, compaction and retention.

#[path = "../support/mod.rs"]
mod support;

mod properties;
mod series_caps;
mod upkeep;
