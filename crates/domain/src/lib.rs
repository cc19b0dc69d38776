//! The domain of checkpoint-kiosk, free of any GUI, storage or network:
//! the health declaration (model, questions, validation, triage), the
//! Vietnamese administrative units and address search, the payloads a code
//! can carry (CCCD, EU DCC, the saved declaration) and masking of personal
//! data for logs. Every part of the system that needs these uses this crate.

pub mod address;
pub mod clock;
pub mod csv;
pub mod declaration;
pub mod fleet;
pub mod mask;
pub mod payload;
