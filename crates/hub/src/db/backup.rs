//! `checkpoint-hub backup`: an online copy of the store (SQLite only; PostgreSQL's own tools do it).
//! Each dialect's queries side by side, one file each.

pub(super) mod sqlite;
