//! The console's admin actions, each within what the admin manages
//! ([`Manages`]): `Ok(None)` when the thing asked for is outside it, which
//! the console answers 403 and nothing is changed. The command line is the
//! hub's operator and uses the unscoped methods in `db.rs`.

use crate::HubError;
use crate::accounts::{Account, Scope};
use crate::db::HubDb;
use crate::manages::Manages;
use crate::rows::{AuditEntry, Checkpoint, Enrolment, RevokeSelector, TokenInfo};
use crate::stats::Target;

impl HubDb {
    /// Every checkpoint, whoever asks: what ownership is decided against.
    async fn every_checkpoint(&self) -> Result<Vec<Checkpoint>, HubError> {
        self.checkpoints(&Scope::all()).await
    }

    /// The accounts it manages (itself among them), by name.
    pub async fn accounts_managed(&self, by: &Manages, me: &str) -> Result<Vec<Account>, HubError> {
        let mut all = self.accounts().await?;
        all.retain(|a| a.name == me || by.account(a));
        Ok(all)
    }

    /// Adds an account it may manage; `Some(false)`: the name is taken.
    pub async fn add_account_managed(
        &self,
        account: &Account,
        by: &Manages,
    ) -> Result<Option<bool>, HubError> {
        if !by.account(account) {
            return Ok(None);
        }
        self.add_account(account).await.map(Some)
    }

    async fn managed_account(&self, name: &str, by: &Manages) -> Result<bool, HubError> {
        Ok(self.account(name).await?.is_some_and(|a| by.account(&a)))
    }

    pub async fn disable_account_managed(
        &self,
        name: &str,
        by: &Manages,
    ) -> Result<Option<bool>, HubError> {
        if !self.managed_account(name, by).await? {
            return Ok(None);
        }
        self.disable_account(name).await.map(Some)
    }

    pub async fn set_password_managed(
        &self,
        name: &str,
        hash: &str,
        by: &Manages,
    ) -> Result<Option<bool>, HubError> {
        if !self.managed_account(name, by).await? {
            return Ok(None);
        }
        self.set_password(name, hash).await.map(Some)
    }

    /// The tokens of the kiosks it manages.
    pub async fn tokens_managed(&self, by: &Manages) -> Result<Vec<TokenInfo>, HubError> {
        let checkpoints = self.every_checkpoint().await?;
        let mut tokens = self.tokens().await?;
        tokens.retain(|t| by.kiosk(&t.kiosk_id, &checkpoints));
        Ok(tokens)
    }

    /// A token for a kiosk it manages.
    pub async fn add_token_managed(
        &self,
        hash: &str,
        kiosk_id: &str,
        label: &str,
        by: &Manages,
    ) -> Result<Option<()>, HubError> {
        if !by.kiosk(kiosk_id, &self.every_checkpoint().await?) {
            return Ok(None);
        }
        self.add_token(hash, kiosk_id, label).await.map(Some)
    }

    /// Revokes tokens it manages: every one the selector names must be.
    pub async fn revoke_managed(
        &self,
        selector: &RevokeSelector,
        by: &Manages,
    ) -> Result<Option<u64>, HubError> {
        let checkpoints = self.every_checkpoint().await?;
        let named = |t: &TokenInfo| match selector {
            RevokeSelector::Id(prefix) => t.hash.starts_with(prefix.as_str()),
            RevokeSelector::Kiosk(kiosk) => &t.kiosk_id == kiosk,
        };
        let tokens = self.tokens().await?;
        if tokens
            .iter()
            .filter(|t| named(t))
            .any(|t| !by.kiosk(&t.kiosk_id, &checkpoints))
        {
            return Ok(None);
        }
        self.revoke(selector).await.map(Some)
    }

    /// Moves a kiosk it manages (an unassigned one: the whole hub's only)
    /// to a checkpoint it manages.
    pub async fn assign_kiosk_managed(
        &self,
        kiosk_id: &str,
        checkpoint_id: &str,
        by: &Manages,
    ) -> Result<Option<Option<u64>>, HubError> {
        let checkpoints = self.every_checkpoint().await?;
        if !by.kiosk(kiosk_id, &checkpoints) || !by.checkpoint_id(checkpoint_id, &checkpoints) {
            return Ok(None);
        }
        self.assign_kiosk(kiosk_id, checkpoint_id).await.map(Some)
    }

    /// A checkpoint in a group it manages.
    pub async fn add_checkpoint_managed(
        &self,
        checkpoint: &Checkpoint,
        by: &Manages,
    ) -> Result<Option<bool>, HubError> {
        if !by.checkpoint(checkpoint) {
            return Ok(None);
        }
        self.add_checkpoint(checkpoint).await.map(Some)
    }

    /// The enrolment codes of the checkpoints it manages.
    pub async fn enrolments_managed(&self, by: &Manages) -> Result<Vec<Enrolment>, HubError> {
        let checkpoints = self.every_checkpoint().await?;
        let mut codes = self.enrolments().await?;
        codes.retain(|c| by.checkpoint_id(&c.checkpoint_id, &checkpoints));
        Ok(codes)
    }

    /// Revokes a code of a checkpoint it manages.
    pub async fn revoke_enrolment_managed(
        &self,
        id: &str,
        now: &str,
        by: &Manages,
    ) -> Result<Option<u64>, HubError> {
        let checkpoints = self.every_checkpoint().await?;
        let named: Vec<Enrolment> = self
            .enrolments()
            .await?
            .into_iter()
            .filter(|c| c.id.starts_with(id))
            .collect();
        if named
            .iter()
            .any(|c| !by.checkpoint_id(&c.checkpoint_id, &checkpoints))
        {
            return Ok(None);
        }
        self.revoke_enrolment(id, now).await.map(Some)
    }

    /// A target for a unit it manages.
    pub async fn add_target_managed(
        &self,
        target: &Target,
        by: &Manages,
    ) -> Result<Option<bool>, HubError> {
        if !by.target(target, &self.every_checkpoint().await?) {
            return Ok(None);
        }
        self.add_target(target).await.map(Some)
    }

    /// Deletes a target of a unit it manages.
    pub async fn delete_target_managed(
        &self,
        id: i64,
        by: &Manages,
    ) -> Result<Option<bool>, HubError> {
        let checkpoints = self.every_checkpoint().await?;
        let targets = self.targets(&Scope::all()).await?;
        match targets.iter().find(|t| t.id == id) {
            Some(t) if by.target(t, &checkpoints) => self.delete_target(id).await.map(Some),
            Some(_) => Ok(None),
            None => Ok(Some(false)),
        }
    }

    /// Keeps the audit entries of the accounts it manages (its own among
    /// them); the whole hub's admin keeps every entry.
    pub async fn audit_managed(
        &self,
        entries: Vec<AuditEntry>,
        by: &Manages,
        me: &str,
    ) -> Result<Vec<AuditEntry>, HubError> {
        if by.is_whole_hub() {
            return Ok(entries);
        }
        let managed: std::collections::HashSet<String> = self
            .accounts_managed(by, me)
            .await?
            .into_iter()
            .map(|a| a.name)
            .collect();
        Ok(entries
            .into_iter()
            .filter(|e| managed.contains(&e.account))
            .collect())
    }
}
