//! Campaign targets and the figures per checkpoint they are measured against.
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;
