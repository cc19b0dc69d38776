//! Checkpoints and the kiosks assigned to them.
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;
