//! Where the kiosk keeps its files. One folder holds the database, its key,
//! the logs and (when `--data-dir` is given) the configuration, so a whole
//! kiosk can live on a USB stick.

use std::path::{Path, PathBuf};

/// The data folder and the files inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
    config: PathBuf,
    /// The platform's machine-wide folders (not a folder the operator chose).
    machine_wide: bool,
}

impl DataDir {
    /// The folder given by the operator: everything, configuration included, lives in it.
    pub fn portable(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let config = root.join("config.toml");
        Self {
            root,
            config,
            machine_wide: false,
        }
    }

    /// The platform's folders, or `CK_DATA_DIR` when set: XDG on Linux (the
    /// kiosk's own account), `%ProgramData%\checkpoint-kiosk` on Windows (a
    /// machine-wide install: data, configuration and logs in one folder that
    /// the installer leaves behind on uninstall).
    pub fn platform() -> Self {
        if let Some(dir) = std::env::var_os("CK_DATA_DIR") {
            return Self::portable(PathBuf::from(dir));
        }
        Self::platform_folders()
    }

    #[cfg(not(windows))]
    fn platform_folders() -> Self {
        match directories::ProjectDirs::from("vn", "Checkpoint", "checkpoint-kiosk") {
            Some(dirs) => Self {
                root: dirs.data_dir().to_owned(),
                config: dirs.config_dir().join("config.toml"),
                machine_wide: false,
            },
            // No home directory (a bare service account): fall back to the working folder.
            None => Self::portable("checkpoint-kiosk-data"),
        }
    }

    #[cfg(windows)]
    fn platform_folders() -> Self {
        let base = std::env::var_os("ProgramData")
            .map_or_else(|| PathBuf::from(r"C:\ProgramData"), PathBuf::from);
        let root = base.join("checkpoint-kiosk");
        Self {
            config: root.join("config.toml"),
            root,
            machine_wide: true,
        }
    }

    /// How the store's key file is kept: encrypted for the machine (DPAPI)
    /// in a machine-wide Windows install, as a file beside the database in a
    /// portable folder (it travels with it) and on Linux.
    pub fn key_protection(&self) -> checkpoint_store::KeyProtection {
        if self.machine_wide {
            checkpoint_store::KeyProtection::Machine
        } else {
            checkpoint_store::KeyProtection::File
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
    fn only_the_platform_folders_protect_the_key_for_the_machine() {
        let portable = DataDir::portable("kiosk-data");
        assert_eq!(
            portable.key_protection(),
            checkpoint_store::KeyProtection::File
        );
        let platform = DataDir::platform_folders();
        assert_eq!(
            platform.key_protection() == checkpoint_store::KeyProtection::Machine,
            cfg!(windows)
        );
        if cfg!(windows) {
            assert!(platform.root.ends_with("checkpoint-kiosk"));
            assert_eq!(platform.config_file(), platform.root.join("config.toml"));
        }
    }

    #[test]
    fn portable_keeps_everything_together() {
        let d = DataDir::portable("/media/usb/kiosk");
        assert_eq!(d.database(), Path::new("/media/usb/kiosk/kiosk.db"));
        assert_eq!(d.key_file(), Path::new("/media/usb/kiosk/kiosk.key"));
        assert!(d.config.starts_with("/media/usb/kiosk"));
    }
}
