//! The fleet's configuration: one row per entry, with when it was set.
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;
