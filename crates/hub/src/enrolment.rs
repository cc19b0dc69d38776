//! Enrolment codes: an admin makes one for a checkpoint; a new kiosk reads
//! it, calls the hub with its secret, and receives its kiosk id and token.
//! A code works once, before it expires, unless revoked. The hub keeps only
//! the secret's SHA-256, as it does for tokens.

use checkpoint_wire::EnrolmentCode;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore as _;

use crate::HubError;
use crate::audit::Action;
use crate::auth;
use crate::db::{HubDb, timestamp};

/// Longest an enrolment code may live.
pub const MAX_HOURS: i64 = 24 * 14;

pub use crate::rows::Enrolment;

/// Why a code was refused; `code()` is the wire's error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Used,
    Expired,
    Revoked,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Unknown => "enrolment-unknown",
            Refusal::Used => "enrolment-used",
            Refusal::Expired => "enrolment-expired",
            Refusal::Revoked => "enrolment-revoked",
        }
    }

    /// Why a stored code cannot be used now, if it cannot.
    pub fn of(e: &Enrolment, now: DateTime<Utc>) -> Option<Refusal> {
        if e.revoked_at.is_some() {
            Some(Refusal::Revoked)
        } else if e.used_at.is_some() {
            Some(Refusal::Used)
        } else if e.expires_at <= timestamp(now) {
            Some(Refusal::Expired)
        } else {
            None
        }
    }
}

/// A new code's row and its secret (shown once, in the code).
pub fn new_code(
    checkpoint_id: &str,
    created_by: &str,
    valid: Duration,
    hub: &str,
    cert_sha256: &str,
) -> (EnrolmentCode, Enrolment, String) {
    let mut random = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let secret = EnrolmentCode::new_secret(random);
    let hash = auth::hash_token(&secret);
    let now = Utc::now();
    let row = Enrolment {
        id: hash[..12].to_owned(),
        checkpoint_id: checkpoint_id.to_owned(),
        created_by: created_by.to_owned(),
        created_at: timestamp(now),
        expires_at: timestamp(now + valid),
        used_at: None,
        kiosk_id: None,
        revoked_at: None,
    };
    let code = EnrolmentCode {
        secret,
        cert_sha256: cert_sha256.to_owned(),
        hub: hub.trim_end_matches('/').to_owned(),
    };
    (code, row, hash)
}

/// A kiosk id for a newly enrolled kiosk: its checkpoint's id and a random tail.
pub fn new_kiosk_id(checkpoint_id: &str) -> String {
    let mut random = [0u8; 4];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let tail: String = random.iter().map(|b| format!("{b:02X}")).collect();
    let head: String = checkpoint_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    format!("{head}-{tail}")
}

/// What redeeming a code gave: the new kiosk and its checkpoint.
#[derive(Debug, Clone)]
pub struct Redeemed {
    pub kiosk_id: String,
    pub token: String,
    pub checkpoint_id: String,
}

/// Claims the code (once, atomically), then gives the kiosk a token and its checkpoint.
pub async fn redeem(db: &HubDb, secret: &str) -> Result<Result<Redeemed, Refusal>, HubError> {
    let hash = auth::hash_token(&secret.trim().to_ascii_uppercase());
    let now = Utc::now();
    let Some(row) = db.enrolment_by_hash(&hash).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    if let Some(refusal) = Refusal::of(&row, now) {
        return Ok(Err(refusal));
    }
    // The new kiosk's token and checkpoint first, the code spent last: a
    // failure on the way leaves the code usable, never spent with no kiosk.
    let kiosk_id = new_kiosk_id(&row.checkpoint_id);
    let token = auth::generate_token();
    db.add_token(&auth::hash_token(&token), &kiosk_id, "enrolled")
        .await?;
    db.assign_kiosk(&kiosk_id, &row.checkpoint_id).await?;
    if !db
        .claim_enrolment(&hash, &kiosk_id, &timestamp(now))
        .await?
    {
        // Another request claimed it between the two reads: this token goes.
        let selector = crate::db::RevokeSelector::Kiosk(kiosk_id.clone());
        if let Err(e) = db.revoke(&selector).await {
            tracing::error!(error = %e, kiosk = %kiosk_id, "an unused enrolment token not revoked");
        }
        return Ok(Err(Refusal::Used));
    }
    Ok(Ok(Redeemed {
        kiosk_id,
        token,
        checkpoint_id: row.checkpoint_id,
    }))
}

/// Writes an audit entry for enrolment (by `account`: an admin, the command
/// line, or the kiosk itself); a failure is logged, never lost silently.
pub async fn audit_as(db: &HubDb, account: &str, action: Action, target: &str, detail: &str) {
    let entry = crate::db::AuditEntry {
        at: timestamp(Utc::now()),
        account: account.to_owned(),
        action: action.as_str().to_owned(),
        target: target.to_owned(),
        detail: detail.to_owned(),
    };
    if let Err(e) = db.audit(entry).await {
        tracing::error!(error = %e, action = action.as_str(), "audit entry not written");
    }
}

/// [`audit_as`] for what a kiosk did through the API.
pub async fn audit(db: &HubDb, action: Action, target: &str, detail: &str) {
    audit_as(db, "kiosk", action, target, detail).await;
}
