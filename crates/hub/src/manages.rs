//! What an admin manages. An unscoped admin manages the whole hub; an admin
//! limited to groups manages only what belongs to them: accounts whose
//! groups are all among its own (never an unscoped account, never creating
//! one), the checkpoints of its groups, their kiosks, tokens, enrolment codes
//! and targets, and the audit entries of the accounts it manages.
//!
//! The console's `Admin` extractor makes one from the signed-in account, and
//! the store's admin actions (`db/managed.rs`) take it: a handler cannot act
//! outside its scope by forgetting a check.

use crate::accounts::{Account, Scope};
use crate::rows::Checkpoint;
use crate::stats::{Level, Target};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manages {
    /// `None`: the whole hub.
    groups: Option<Vec<String>>,
}

impl Manages {
    /// The admin whose account has `groups` (none: the whole hub).
    pub(crate) fn admin_of(groups: &[String]) -> Self {
        Self {
            groups: (!groups.is_empty()).then(|| groups.to_vec()),
        }
    }

    /// The whole hub (an admin without groups).
    #[cfg(test)]
    fn whole_hub() -> Self {
        Self { groups: None }
    }

    pub fn is_whole_hub(&self) -> bool {
        self.groups.is_none()
    }

    /// The checkpoints it sees, as queries take them.
    pub fn scope(&self) -> Scope {
        Scope::of(self.groups.as_deref().unwrap_or_default())
    }

    pub fn group(&self, group: &str) -> bool {
        self.groups
            .as_ref()
            .is_none_or(|mine| mine.iter().any(|g| g == group))
    }

    /// An account with these groups: all of them its own, and at least one
    /// (an account without groups sees the whole hub).
    pub fn account_groups(&self, groups: &[String]) -> bool {
        self.is_whole_hub() || (!groups.is_empty() && groups.iter().all(|g| self.group(g)))
    }

    pub fn account(&self, account: &Account) -> bool {
        self.account_groups(&account.groups)
    }

    pub fn checkpoint(&self, checkpoint: &Checkpoint) -> bool {
        self.is_whole_hub() || self.group(&checkpoint.group)
    }

    /// A kiosk, given every checkpoint: one of its checkpoints' (a kiosk
    /// assigned nowhere belongs to the whole hub only).
    pub fn kiosk(&self, kiosk_id: &str, checkpoints: &[Checkpoint]) -> bool {
        self.is_whole_hub()
            || checkpoints
                .iter()
                .find(|c| c.kiosks.iter().any(|k| k == kiosk_id))
                .is_some_and(|c| self.checkpoint(c))
    }

    /// A checkpoint by id, given every checkpoint.
    pub fn checkpoint_id(&self, id: &str, checkpoints: &[Checkpoint]) -> bool {
        self.is_whole_hub()
            || checkpoints
                .iter()
                .find(|c| c.id == id)
                .is_some_and(|c| self.checkpoint(c))
    }

    /// A campaign target of a group or a checkpoint it manages.
    pub fn target(&self, target: &Target, checkpoints: &[Checkpoint]) -> bool {
        match &target.unit {
            Level::All => self.is_whole_hub(),
            Level::Group(g) => self.group(g),
            Level::Checkpoint(c) => self.checkpoint_id(c, checkpoints),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(groups: &[&str]) -> Account {
        Account {
            name: "x".into(),
            role: crate::accounts::Role::Admin,
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            password_hash: String::new(),
            created_at: String::new(),
            disabled_at: None,
        }
    }

    #[test]
    fn a_scoped_admin_manages_only_accounts_within_its_groups() {
        let ga = Manages::admin_of(&["GA".to_owned(), "GC".to_owned()]);
        assert!(ga.account(&account(&["GA"])));
        assert!(ga.account(&account(&["GA", "GC"])));
        assert!(!ga.account(&account(&["GA", "GB"])));
        assert!(
            !ga.account(&account(&[])),
            "an unscoped account is the whole hub's"
        );
        let hub = Manages::whole_hub();
        assert!(hub.account(&account(&[])) && hub.account(&account(&["GB"])));
    }

    #[test]
    fn kiosks_and_targets_belong_to_their_checkpoints_groups() {
        let mut ca = Checkpoint::named("ca", "A");
        ca.group = "GA".into();
        ca.kiosks = vec!["KA".into()];
        let mut cb = Checkpoint::named("cb", "B");
        cb.group = "GB".into();
        cb.kiosks = vec!["KB".into()];
        let all = [ca, cb];
        let ga = Manages::admin_of(&["GA".to_owned()]);
        assert!(ga.kiosk("KA", &all));
        assert!(!ga.kiosk("KB", &all));
        assert!(!ga.kiosk("K-nowhere", &all));
        assert!(Manages::whole_hub().kiosk("K-nowhere", &all));
        let target = |unit| Target {
            id: 1,
            unit,
            percent: 80,
            deadline: chrono::NaiveDate::from_ymd_opt(2021, 9, 1).unwrap(),
        };
        assert!(ga.target(&target(Level::Group("GA".into())), &all));
        assert!(!ga.target(&target(Level::Group("GB".into())), &all));
        assert!(ga.target(&target(Level::Checkpoint("ca".into())), &all));
        assert!(!ga.target(&target(Level::Checkpoint("cb".into())), &all));
        assert!(!ga.target(&target(Level::All), &all));
    }
}
