//! Schemas after the first, and the backfills they need.
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;
