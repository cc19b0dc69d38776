//! Console accounts: who may sign in to the hub's console, with which role,
//! limited to which groups of checkpoints. Passwords are kept only as
//! argon2id hashes (the crate's defaults: 19 MiB, 2 passes, the OWASP
//! minimum); a failed sign-in costs the same time whether the account exists
//! or not. Sign-ins are throttled (see `console::throttle`).

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use serde::Serialize;

/// What an account may see and do on the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Counts, charts and kiosk health: never a name, number or phone.
    Viewer,
    /// Flagged visitors and their follow-up, reports, contact tracing.
    HealthOfficer,
    /// Everything, plus kiosks, tokens, users, retention and targets.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::HealthOfficer => "health-officer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Viewer, Role::HealthOfficer, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// Whether the role may see personal data (names, numbers, phones).
    pub fn sees_personal_data(self) -> bool {
        !matches!(self, Role::Viewer)
    }
}

/// The checkpoints an account sees: all of them, or those of its groups.
/// Every console query takes one; records of a kiosk not yet assigned to a
/// checkpoint are seen only by accounts limited to no group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    groups: Option<Vec<String>>,
}

impl Scope {
    pub fn all() -> Self {
        Self { groups: None }
    }

    /// An account's groups as stored: empty means every group.
    pub fn of(groups: &[String]) -> Self {
        Self {
            groups: (!groups.is_empty()).then(|| groups.to_vec()),
        }
    }

    /// `None`: every checkpoint.
    pub fn groups(&self) -> Option<&[String]> {
        self.groups.as_deref()
    }

    pub fn includes(&self, group: &str) -> bool {
        self.groups
            .as_ref()
            .is_none_or(|g| g.iter().any(|x| x == group))
    }
}

/// Proof that the caller may read personal data, within a scope: the
/// queries that return names, numbers or phones take one, and only a role
/// that may see them gets one. The viewer rule holds in the queries, not
/// only the pages.
#[derive(Debug)]
pub struct PersonalAccess {
    scope: Scope,
}

impl PersonalAccess {
    pub fn scope(&self) -> &Scope {
        &self.scope
    }
}

impl Role {
    pub fn personal_access(self, scope: Scope) -> Option<PersonalAccess> {
        self.sees_personal_data()
            .then_some(PersonalAccess { scope })
    }
}

/// An account as stored (its password only as a hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
    /// The groups of checkpoints it is limited to; empty: all of them.
    pub groups: Vec<String>,
    pub password_hash: String,
    pub created_at: String,
    pub disabled_at: Option<String>,
}

impl Account {
    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
}

/// Why an account name or password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("account names are 1 to 64 letters, digits, '.', '-' or '_'")]
    BadName,
    #[error("a password needs at least {MIN_PASSWORD} characters")]
    ShortPassword,
    #[error("this password is too common or too easy to guess")]
    WeakPassword,
    #[error("password hashing failed: {0}")]
    Hash(String),
}

impl AccountError {
    pub fn message(&self) -> checkpoint_i18n::Message {
        use checkpoint_i18n::{Message, fl};
        match self {
            AccountError::BadName => Message::new(fl!("hub-user-bad-name")),
            AccountError::WeakPassword => Message::new(fl!("hub-user-weak-password")),
            AccountError::ShortPassword => {
                Message::new(fl!("hub-user-short-password")).arg("min", MIN_PASSWORD)
            }
            AccountError::Hash(reason) => {
                Message::new(fl!("hub-user-hash-failed")).arg("reason", reason)
            }
        }
    }
}

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD: usize = 10;

/// Checks an account name: short, no spaces or markup, safe in a log line.
pub fn check_name(name: &str) -> Result<(), AccountError> {
    let ok = (1..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(AccountError::BadName)
    }
}

/// The argon2id hash (PHC string, salt included) of a password.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::ShortPassword);
    }
    // zxcvbn's dictionaries of common passwords, names and words, keyboard
    // patterns and repeats: below "safely unguessable" (about 10^10 guesses)
    // a stolen hash or a patient sprayer finds it.
    if zxcvbn::zxcvbn(password, &["checkpoint", "kiosk", "hub"]).score() < zxcvbn::Score::Three {
        return Err(AccountError::WeakPassword);
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// A hash of a random password: verified against when the account does
/// not exist, so a wrong name costs what a wrong password costs.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&generate_password()).unwrap_or_default())
}

/// Whether `password` is the account's; `None` (no such account) still
/// spends one verification.
pub fn verify(account: Option<&Account>, password: &str) -> bool {
    let hash: &str = match account {
        Some(a) => &a.password_hash,
        None => decoy_hash(),
    };
    let ok = PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    });
    ok && account.is_some_and(|a| !a.is_disabled())
}

/// A new random password (16 characters from an alphabet without look-alikes:
/// read aloud over the phone to a district officer).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(hash: String) -> Account {
        Account {
            name: "lan".into(),
            role: Role::HealthOfficer,
            groups: vec![],
            password_hash: hash,
            created_at: String::new(),
            disabled_at: None,
        }
    }

    #[test]
    fn the_right_password_verifies_and_nothing_else_does() {
        let a = account(hash_password("correct horse battery").unwrap());
        assert!(a.password_hash.starts_with("$argon2id$"));
        assert!(verify(Some(&a), "correct horse battery"));
        assert!(!verify(Some(&a), "correct horse batterY"));
        assert!(!verify(None, "correct horse battery"));
        let disabled = Account {
            disabled_at: Some("2026-12-05T00:00:00.000Z".into()),
            ..a
        };
        assert!(!verify(Some(&disabled), "correct horse battery"));
    }

    #[test]
    fn short_passwords_and_odd_names_are_refused() {
        assert_eq!(hash_password("123456789"), Err(AccountError::ShortPassword));
        for common in [
            "aaaaaaaaaa",
            "1234567890",
            "password123",
            "qwertyuiop",
            "checkpoint1",
        ] {
            assert_eq!(
                hash_password(common),
                Err(AccountError::WeakPassword),
                "{common}"
            );
        }
        assert!(check_name("lan.nguyen").is_ok());
        assert!(check_name("Nguyễn_Lan").is_ok());
        for bad in ["", "a b", "<script>", &"x".repeat(65)] {
            assert_eq!(check_name(bad), Err(AccountError::BadName), "{bad}");
        }
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert!(hash_password(&a).is_ok());
    }

    #[test]
    fn roles_read_back_from_their_names() {
        for r in [Role::Viewer, Role::HealthOfficer, Role::Admin] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(!Role::Viewer.sees_personal_data());
        assert!(Role::HealthOfficer.sees_personal_data());
    }
}
