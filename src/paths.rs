//! Where the kiosk keeps its files. One folder holds the database, its key,
//! the logs and (when `--data-dir` is given) the configuration, so a whole
//! kiosk can live on a USB stick.

use std::path::{Path, PathBuf};

/// The data folder and the files inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
    config: PathBuf,
}

impl DataDir {
    /// The folder given by the operator: everything, configuration included, lives in it.
    pub fn portable(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let config = root.join("config.toml");
        Self { root, config }
    }

    /// The platform's folders (XDG on Linux), or `CK_DATA_DIR` when set.
    pub fn platform() -> Self {
        if let Some(dir) = std::env::var_os("CK_DATA_DIR") {
            return Self::portable(PathBuf::from(dir));
        }
        match directories::ProjectDirs::from("vn", "Checkpoint", "checkpoint-kiosk") {
            Some(dirs) => Self {
                root: dirs.data_dir().to_owned(),
                config: dirs.config_dir().join("config.toml"),
            },
            // No home directory (a bare service account): fall back to the working folder.
            None => Self::portable("checkpoint-kiosk-data"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The configuration file; `CK_CONFIG` overrides it.
    pub fn config_file(&self) -> PathBuf {
        std::env::var_os("CK_CONFIG").map_or_else(|| self.config.clone(), PathBuf::from)
    }

    /// The encrypted SQLite queue.
    pub fn database(&self) -> PathBuf {
        self.root.join("kiosk.db")
    }

    /// The database key file (0600), created on first run.
    pub fn key_file(&self) -> PathBuf {
        self.root.join("kiosk.key")
    }

    /// The kiosk's Ed25519 signing key for saved-declaration QR codes.
    pub fn signing_key_file(&self) -> PathBuf {
        self.root.join("ckd-signing.key")
    }

    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }

    /// Where staff exports go when no USB stick is chosen.
    pub fn exports(&self) -> PathBuf {
        self.root.join("exports")
    }

    /// Creates the folder (owner-only) when missing.
    pub fn ensure(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.root)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&self.root, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_keeps_everything_together() {
        let d = DataDir::portable("/media/usb/kiosk");
        assert_eq!(d.database(), Path::new("/media/usb/kiosk/kiosk.db"));
        assert_eq!(d.key_file(), Path::new("/media/usb/kiosk/kiosk.key"));
        assert!(d.config.starts_with("/media/usb/kiosk"));
    }
}
