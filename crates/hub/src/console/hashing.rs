//! Argon2 takes about a tenth of a second of one core per sign-in. It runs on
//! tokio's blocking pool, two at a time, so a burst of sign-ins (a typo storm
//! or an attack) waits its turn instead of taking the async workers that
//! answer the kiosks and `/healthz`.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::accounts::{self, Account, AccountError};

/// Hashes and checks passwords off the async workers, a few at a time.
#[derive(Debug)]
pub struct Hashing {
    permits: Arc<Semaphore>,
}

impl Default for Hashing {
    fn default() -> Self {
        Self::new(2)
    }
}

impl Hashing {
    pub fn new(at_once: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(at_once.max(1))),
        }
    }

    /// Whether `password` is the account's (see `accounts::verify`: a missing
    /// account costs the same time as a wrong password).
    pub async fn verify(&self, account: Option<Account>, password: String) -> bool {
        let Ok(_turn) = self.permits.acquire().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || accounts::verify(account.as_ref(), &password))
            .await
            .unwrap_or(false)
    }

    /// The argon2id hash of a new password.
    pub async fn hash(&self, password: String) -> Result<String, AccountError> {
        let _turn = self
            .permits
            .acquire()
            .await
            .map_err(|e| AccountError::Hash(e.to_string()))?;
        tokio::task::spawn_blocking(move || accounts::hash_password(&password))
            .await
            .map_err(|e| AccountError::Hash(e.to_string()))?
    }
}
