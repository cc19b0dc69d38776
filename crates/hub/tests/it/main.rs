//! The hub's integration tests, one binary: `checkpoint-hub` as an operator
//! runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_pages;
mod attacks;
mod browser;
mod campaign;
mod cli;
mod console;
mod console_exports;
mod enrol;
mod export;
mod phone;
mod route_access;
mod stores;
mod support;
mod tracing;
mod users;
