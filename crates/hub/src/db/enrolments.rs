//! Enrolment codes (see crate::enrolment).
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;
