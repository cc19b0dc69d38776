//! `GET /api/v1/fleet` (a kiosk's token): the fleet's configuration as the
//! hub signed it. The document travels as the exact text that was signed,
//! so the kiosk checks the signature over the bytes it received.

use serde::{Deserialize, Serialize};

pub const FLEET_PATH: &str = "/api/v1/fleet";

/// The signed document: `document` is JSON text (see
/// `checkpoint_domain::fleet::FleetDocument`); `signature_in_context` the
/// hub's Ed25519 signature over the fleet's signing context and the text,
/// base64, which kiosks check when it is there; `signature` the signature
/// over the text alone, for kiosks of the previous release (and from hubs of
/// it), until the next release drops it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedFleet {
    pub document: String,
    pub signature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_in_context: Option<String>,
}
