//! `GET /api/v1/fleet` (a kiosk's token): the fleet's configuration as the
//! hub signed it. The document travels as the exact text that was signed,
//! so the kiosk checks the signature over the bytes it received.

use serde::{Deserialize, Serialize};

pub const FLEET_PATH: &str = "/api/v1/fleet";

/// The signed document: `document` is JSON text (see
/// `checkpoint_domain::fleet::FleetDocument`), `signature` the hub's Ed25519
/// signature over its bytes, base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedFleet {
    pub document: String,
    pub signature: String,
}
