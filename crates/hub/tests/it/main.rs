//! The hub's integration tests, one binary: `checkpoint-hub` as an operator
//! runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod cli;
mod console;
mod export;
mod users;
