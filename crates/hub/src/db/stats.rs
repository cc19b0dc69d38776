//! The overview's figures: day counts, the kiosks' heartbeats and hourly counts.
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;
