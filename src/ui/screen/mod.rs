//! One module per screen, each with its own state, messages, update and view.

pub mod declaration;
pub mod done;
pub mod pin;
pub mod report;
pub mod review;
pub mod staff;
pub mod welcome;
