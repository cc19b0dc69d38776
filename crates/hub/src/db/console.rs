//! What the console reads and writes: flagged visitors and their follow-up steps, reports, tracing, the audit log.
//! Each dialect's queries side by side, one file each.

pub(super) mod pg;
pub(super) mod sqlite;

use crate::rows::CONSOLE_SOURCE;

/// Whether a follow-up step counts for a declaration, given SQL expressions
/// for the step's kiosk and checkpoint and the declaration's: a step made
/// on the console, by the declaration's own kiosk, or by a kiosk of the same
/// checkpoint (or, both unassigned, of no checkpoint yet). A kiosk's step about another checkpoint's visitor is stored
/// as sent but neither shown nor counted (it changes no state, no waiting
/// count, no retention). The same text serves both dialects.
pub(super) fn step_counts(
    step_kiosk: &str,
    step_checkpoint: &str,
    declaration_kiosk: &str,
    declaration_checkpoint: &str,
) -> String {
    // Kiosks not assigned to a checkpoint yet are one place (only unscoped
    // accounts see them): NULL and NULL compare equal through coalesce.
    format!(
        "({step_kiosk} = '{CONSOLE_SOURCE}' OR {step_kiosk} = {declaration_kiosk}
          OR coalesce({step_checkpoint}, '') = coalesce({declaration_checkpoint}, ''))"
    )
}

/// [`step_counts`] between two rows of `records`: a step aliased `step`
/// and its declaration aliased `declaration`.
pub(super) fn step_counts_between(step: &str, declaration: &str) -> String {
    step_counts(
        &format!("{step}.kiosk_id"),
        &format!("{step}.checkpoint_id"),
        &format!("{declaration}.kiosk_id"),
        &format!("{declaration}.checkpoint_id"),
    )
}
