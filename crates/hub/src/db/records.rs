//! Opening the store (schemas and migrations) and storing kiosks' records.
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;
