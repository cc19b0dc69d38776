//! The kiosk's Ed25519 key for signing saved declarations: 32 random bytes,
//! base64 in a file only the kiosk's user can read, created on first use.

use std::path::Path;

use base64::Engine;
use ed25519_dalek::SigningKey;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Reads the key; `Ok(None)` when there is no key file yet.
pub fn load(path: &Path) -> std::io::Result<Option<SigningKey>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let seed = B64
        .decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "not a base64 Ed25519 seed")
        })?;
    Ok(Some(SigningKey::from_bytes(&seed)))
}

/// Reads the key, creating it (0600) when missing.
pub fn load_or_create(path: &Path) -> std::io::Result<SigningKey> {
    if let Some(key) = load(path)? {
        return Ok(key);
    }
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    std::io::Write::write_all(&mut file, B64.encode(key.to_bytes()).as_bytes())?;
    file.sync_all()?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_then_reads_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ckd-signing.key");
        assert!(load(&path).unwrap().is_none());
        let created = load_or_create(&path).unwrap();
        let again = load_or_create(&path).unwrap();
        assert_eq!(created.to_bytes(), again.to_bytes());
        std::fs::write(&path, "garbage").unwrap();
        assert!(load(&path).is_err());
    }
}
