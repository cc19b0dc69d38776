//! The domain's integration tests, one binary: addresses, payload parsers
//! (CCCD, DCC conformance, saved declarations), limits and properties.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod address_exhaustive;
mod address_mapping;
mod address_props;
mod address_search;
mod dcc_conformance;
mod payload_cccd;
mod payload_ckd;
mod payload_dcc;
mod payload_limits;
mod payload_props;
mod payload_stress;
