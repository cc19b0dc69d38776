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
