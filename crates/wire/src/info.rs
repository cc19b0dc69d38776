//! What a hub accepts: `GET /api/v1/info` answers a [`HubInfo`]. This is how
//! the protocol grows without breaking anyone: each new record kind or
//! feature (flag acknowledgements, heartbeats, hourly counts, fleet
//! configuration, enrolment) is announced here by the hubs that have it, and
//! a kiosk sends a kind only to a hub that lists it, holding the rest back
//! (not rejected) until the hub is upgraded. Kinds and features travel as
//! text, so each side reads a list that holds names it does not know.

use serde::{Deserialize, Serialize};

use crate::{PROTOCOL_VERSION, RecordKind};

/// The info endpoint. A hub without it (404) is an early protocol-1 hub:
/// it accepts [`HubInfo::protocol_1`].
pub const INFO_PATH: &str = "/api/v1/info";

/// A capability beyond sending records, announced in [`HubInfo::features`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// `POST /api/v1/heartbeat`: the kiosk's health and hourly counts.
    Heartbeat,
    /// `GET /api/v1/fleet`: the fleet's signed configuration.
    Fleet,
}

impl Feature {
    pub const ALL: [Feature; 2] = [Feature::Heartbeat, Feature::Fleet];

    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Heartbeat => "heartbeat",
            Feature::Fleet => "fleet",
        }
    }
}

/// A hub's description of itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubInfo {
    /// The newest protocol version the hub speaks.
    pub protocol: u32,
    /// Record kinds the hub stores (`declaration`, `report`, …).
    pub record_kinds: Vec<String>,
    /// Features beyond records that the hub offers.
    #[serde(default)]
    pub features: Vec<String>,
}

impl HubInfo {
    /// What a hub of this build says, accepting `kinds`, without features.
    pub fn new(kinds: &[RecordKind]) -> Self {
        Self {
            protocol: PROTOCOL_VERSION,
            record_kinds: kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            features: Vec::new(),
        }
    }

    /// The same, offering `features`.
    pub fn with_features(mut self, features: &[Feature]) -> Self {
        self.features = features.iter().map(|f| f.as_str().to_owned()).collect();
        self
    }

    /// What a protocol-1 hub without the info endpoint accepts: the kinds
    /// protocol 1 began with.
    pub fn protocol_1() -> Self {
        Self::new(&[RecordKind::Declaration, RecordKind::Report])
    }

    /// Whether the hub stores records of `kind`.
    pub fn accepts(&self, kind: RecordKind) -> bool {
        self.record_kinds.iter().any(|k| k == kind.as_str())
    }

    /// The kinds of this build that the hub stores, in sending order.
    pub fn accepted_kinds(&self) -> Vec<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .filter(|k| self.accepts(*k))
            .collect()
    }

    /// Whether the hub offers `feature`.
    pub fn has(&self, feature: Feature) -> bool {
        self.features.iter().any(|f| f == feature.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_hub_lists_what_this_build_does_not_know() {
        let text = r#"{"protocol":3,"record_kinds":["report","flag-ack","declaration"],
                       "features":["heartbeat"],"motd":"hello"}"#;
        let info: HubInfo = serde_json::from_str(text).unwrap();
        assert_eq!(
            info.accepted_kinds(),
            vec![RecordKind::Declaration, RecordKind::Report]
        );
    }

    #[test]
    fn an_older_hub_that_lacks_a_kind_gets_only_the_others() {
        let info = HubInfo::new(&[RecordKind::Declaration]);
        let back: HubInfo = serde_json::from_str(&serde_json::to_string(&info).unwrap()).unwrap();
        assert!(back.accepts(RecordKind::Declaration));
        assert!(!back.accepts(RecordKind::Report));
        assert_eq!(back.accepted_kinds(), vec![RecordKind::Declaration]);
        assert!(back.features.is_empty());
    }

    #[test]
    fn protocol_1_is_declarations_and_reports() {
        assert_eq!(
            HubInfo::protocol_1().accepted_kinds(),
            vec![RecordKind::Declaration, RecordKind::Report]
        );
        // Follow-up steps came later: an old hub never gets them.
        assert!(!HubInfo::protocol_1().accepts(RecordKind::FollowUp));
    }
}
