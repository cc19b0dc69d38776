//! What the audit log records: each action a code (stored) and a label
//! (shown, in both languages). A new action is a new variant, so the page
//! and the export can never meet an action they cannot name.

/// An action written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// An account signed in.
    SignedIn,
    /// A wrong name or password.
    SignInFailed,
    /// A sign-in refused: too many failures.
    SignInThrottled,
    /// An account signed out.
    SignedOut,
    /// An account changed its own password.
    PasswordChanged,
    /// A password change refused (wrong current password, or too short).
    PasswordChangeRefused,
    /// A page of flagged visitors was read.
    FlaggedViewed,
    /// A page of reports was read.
    ReportsViewed,
    /// A follow-up step was recorded.
    FollowUpRecorded,
    /// A contact trace was run.
    TraceRun,
    /// A contact trace was exported.
    TraceExported,
    /// Records were exported.
    ExportDownloaded,
    /// The audit log was exported.
    AuditExported,
    /// A kiosk token was issued.
    TokenIssued,
    /// A kiosk token was revoked.
    TokenRevoked,
    /// A checkpoint was added.
    CheckpointAdded,
    /// A kiosk was assigned to a checkpoint.
    KioskAssigned,
    /// A campaign target was set.
    TargetAdded,
    /// A campaign target was removed.
    TargetDeleted,
    /// An account was added.
    UserAdded,
    /// An account was disabled.
    UserDisabled,
    /// An admin reset an account's password.
    PasswordReset,
    /// An enrolment code was made for a checkpoint.
    EnrolmentCreated,
    /// An enrolment code was revoked.
    EnrolmentRevoked,
    /// A kiosk enrolled with a code (it got its id and token).
    KioskEnrolled,
}

impl Action {
    pub const ALL: [Action; 25] = [
        Action::SignedIn,
        Action::SignInFailed,
        Action::SignInThrottled,
        Action::SignedOut,
        Action::PasswordChanged,
        Action::PasswordChangeRefused,
        Action::FlaggedViewed,
        Action::ReportsViewed,
        Action::FollowUpRecorded,
        Action::TraceRun,
        Action::TraceExported,
        Action::ExportDownloaded,
        Action::AuditExported,
        Action::TokenIssued,
        Action::TokenRevoked,
        Action::CheckpointAdded,
        Action::KioskAssigned,
        Action::TargetAdded,
        Action::TargetDeleted,
        Action::UserAdded,
        Action::UserDisabled,
        Action::PasswordReset,
        Action::EnrolmentCreated,
        Action::EnrolmentRevoked,
        Action::KioskEnrolled,
    ];

    /// The code stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignedIn => "signed_in",
            Action::SignInFailed => "sign_in_failed",
            Action::SignInThrottled => "sign_in_throttled",
            Action::SignedOut => "signed_out",
            Action::PasswordChanged => "password_changed",
            Action::PasswordChangeRefused => "password_change_refused",
            Action::FlaggedViewed => "flagged_viewed",
            Action::ReportsViewed => "reports_viewed",
            Action::FollowUpRecorded => "follow_up_recorded",
            Action::TraceRun => "trace_run",
            Action::TraceExported => "trace_exported",
            Action::ExportDownloaded => "export_downloaded",
            Action::AuditExported => "audit_exported",
            Action::TokenIssued => "token_issued",
            Action::TokenRevoked => "token_revoked",
            Action::CheckpointAdded => "checkpoint_added",
            Action::KioskAssigned => "kiosk_assigned",
            Action::TargetAdded => "target_added",
            Action::TargetDeleted => "target_deleted",
            Action::UserAdded => "user_added",
            Action::UserDisabled => "user_disabled",
            Action::PasswordReset => "password_reset",
            Action::EnrolmentCreated => "enrolment_created",
            Action::EnrolmentRevoked => "enrolment_revoked",
            Action::KioskEnrolled => "kiosk_enrolled",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }

    /// The Fluent id of its label.
    pub fn label_id(self) -> String {
        format!("audit-{}", self.as_str().replace('_', "-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_i18n::{Lang, Localizer};

    #[test]
    fn every_action_has_a_label_in_both_languages_and_one_code() {
        for lang in [Lang::Vi, Lang::En] {
            for a in Action::ALL {
                assert!(
                    Localizer::global().has(lang, &a.label_id()),
                    "{lang:?} {a:?}"
                );
                assert_eq!(Action::parse(a.as_str()), Some(a));
            }
        }
        let mut codes: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Action::ALL.len());
    }
}

/// The name of the key traced cases are hashed with (see [`traced_case`]).
pub const CASE_KEY: &str = "audit-case-hmac";

/// A new random key (256 bits, hex) for [`CASE_KEY`], kept only if the store
/// has none yet.
pub fn fresh_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How a traced case is kept in the audit log: a record id as it is; an ID
/// number or phone, in the canonical form the index keeps, as its last four
/// characters behind dots (`•••••5678`) and a keyed hash of the whole
/// (`#3f9a…`, 16 hex digits), so "who looked this person up" is answered by
/// hashing their number again, and the number itself is never stored.
/// `key`: the store's secret [`CASE_KEY`], the same for every hub sharing it.
pub fn traced_case(key: &[u8], typed: &str) -> String {
    use hmac::{Hmac, Mac};
    let typed = typed.trim();
    if uuid::Uuid::parse_str(typed).is_ok() {
        return typed.to_owned();
    }
    let canonical = match crate::index::case_key(typed) {
        crate::index::CaseKey::Phone(p) => p,
        crate::index::CaseKey::Document(d) => d,
    };
    let chars: Vec<char> = canonical.chars().collect();
    let shown = if chars.len() > 6 { 4 } else { 0 };
    let masked: String = std::iter::repeat_n('•', chars.len() - shown)
        .chain(chars[chars.len() - shown..].iter().copied())
        .collect();
    let digest = match Hmac::<sha2::Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(canonical.as_bytes());
            mac.finalize().into_bytes()
        }
        // HMAC takes keys of any length: not reached.
        Err(_) => return masked,
    };
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{masked} #{hash}")
}

#[cfg(test)]
mod traced_case_tests {
    use super::traced_case;

    #[test]
    fn a_number_is_kept_masked_and_hashed_never_in_clear() {
        let key = b"0123456789abcdef0123456789abcdef";
        let phone = traced_case(key, "0912 345 678");
        assert!(phone.starts_with("••••••5678 #"), "{phone}");
        assert!(
            !phone.contains("0912") && !phone.contains("912345"),
            "{phone}"
        );
        // The same person however typed; another person or key, another hash.
        assert_eq!(traced_case(key, "+84912345678"), phone);
        assert_ne!(traced_case(key, "0912345679"), phone);
        assert_ne!(traced_case(b"another key", "0912345678"), phone);
        let document = traced_case(key, "001098012345");
        assert!(document.starts_with("••••••••2345 #"), "{document}");
        let id = "01890000-0000-7000-8000-000000000001";
        assert_eq!(traced_case(key, id), id, "a record id is no personal data");
    }
}
