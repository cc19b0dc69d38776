//! One configuration: a TOML file, then `CK_SECTION__FIELD` environment
//! variables, then command-line flags. Every field has a default, and a broken
//! file never stops the kiosk: it runs on defaults and reports where the file
//! is wrong, leaving the file untouched for staff to fix.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message};

mod sync;
pub use sync::SyncConfig;

/// Settings of the kiosk itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KioskConfig {
    /// Identifies this kiosk in records and on the hub; empty: generated on first run.
    pub id: String,
    /// The hub's id of the checkpoint this kiosk stands at (set at enrolment):
    /// the phone page's address for it is shown on the staff screen.
    pub checkpoint: String,
    /// The language the welcome screen starts in.
    pub lang: Lang,
    /// Seconds without input before the form is cleared.
    pub idle_timeout_secs: u64,
    /// Seconds the result screen stays before returning to welcome.
    pub done_timeout_secs: u64,
    /// Seconds the red "please wait for staff" result stays unless staff
    /// acknowledge it with the PIN; then the visitor waits on the staff
    /// screen's list (and the badge) until acknowledged.
    pub flag_hold_secs: u64,
    /// Text size multiplier (1.0 = normal).
    pub text_scale: f32,
    /// Play sounds for read / done / needs staff.
    pub sounds: bool,
    /// Hash of the staff PIN (see `ui::pin`); empty: the default PIN, which staff must change.
    pub staff_pin_hash: String,
    /// Where mounted USB sticks appear (each folder below, or each
    /// `<user>/<label>` below, is offered as an export destination).
    pub export_roots: Vec<PathBuf>,
    /// `auto` (wgpu on a GPU, tiny-skia when the only adapters are
    /// software), `wgpu` or `tiny-skia`.
    pub renderer: crate::renderer::RendererChoice,
    /// The on-screen keyboard for touch screens: `auto` (on in `--kiosk`
    /// mode), `on` or `off`.
    pub on_screen_keyboard: OnScreenKeyboard,
}

/// `kiosk.on_screen_keyboard`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnScreenKeyboard {
    /// On in kiosk mode (a touch screen with no keyboard), off in a window.
    #[default]
    Auto,
    On,
    Off,
}

impl OnScreenKeyboard {
    pub fn enabled(self, kiosk_mode: bool) -> bool {
        match self {
            OnScreenKeyboard::Auto => kiosk_mode,
            OnScreenKeyboard::On => true,
            OnScreenKeyboard::Off => false,
        }
    }
}

impl Default for KioskConfig {
    fn default() -> Self {
        Self {
            id: String::new(),
            checkpoint: String::new(),
            lang: Lang::Vi,
            idle_timeout_secs: 60,
            done_timeout_secs: 8,
            flag_hold_secs: 300,
            text_scale: 1.0,
            sounds: true,
            staff_pin_hash: String::new(),
            export_roots: default_export_roots(),
            renderer: crate::renderer::RendererChoice::Auto,
            on_screen_keyboard: OnScreenKeyboard::Auto,
        }
    }
}

/// Where USB sticks are mounted: the desktop's mount points on Linux; on
/// Windows none (sticks are found as removable drives, `E:\`).
fn default_export_roots() -> Vec<PathBuf> {
    if cfg!(windows) {
        Vec::new()
    } else {
        vec![PathBuf::from("/media"), PathBuf::from("/run/media")]
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub kiosk: KioskConfig,
    pub store: checkpoint_store::StoreConfig,
    pub scan: crate::scan::ScanConfig,
    pub payload: checkpoint_domain::payload::PayloadConfig,
    pub sync: SyncConfig,
    pub ble: crate::ble::BleConfig,
    pub logging: crate::logging::LoggingConfig,
    pub serial: crate::scan::serial::SerialConfig,
    pub triage: checkpoint_domain::declaration::TriageRules,
}

/// Why a configuration file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {reason}")]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based; 0 when the error has no position (e.g. unreadable file).
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

impl ConfigError {
    /// The localised explanation shown on screen and printed by the CLI.
    pub fn message(&self) -> Message {
        Message::new(fl!("error-config"))
            .arg("path", self.path.display())
            .arg("line", self.line)
            .arg("column", self.column)
            .arg("reason", &self.reason)
    }
}

/// The prefix of environment variables that override the file.
pub const ENV_PREFIX: &str = "CK_";

impl Config {
    /// Loads `path` (a missing file is not an error), applies environment
    /// overrides from `env`, and returns defaults with the error when the file
    /// or an override is unusable.
    pub fn load_with_env<I>(path: &Path, env: I) -> (Config, Option<ConfigError>)
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                let err = ConfigError {
                    path: path.to_owned(),
                    line: 0,
                    column: 0,
                    reason: e.to_string(),
                };
                return (Config::with_env(env).unwrap_or_default(), Some(err));
            }
        };
        match parse(&text, path).and_then(|table| apply_env(table, env, path)) {
            Ok(config) => (config, None),
            Err(err) => (Config::default(), Some(err)),
        }
    }

    /// Loads `path` with the process environment.
    pub fn load(path: &Path) -> (Config, Option<ConfigError>) {
        Self::load_with_env(path, std::env::vars())
    }

    fn with_env<I>(env: I) -> Result<Config, ConfigError>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        apply_env(toml::Table::new(), env, Path::new("<env>"))
    }

    /// The configuration as TOML, for `config show`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

fn parse(text: &str, path: &Path) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((0, 0), |span| line_column(text, span.start));
        ConfigError {
            path: path.to_owned(),
            line,
            column,
            reason: e.message().to_owned(),
        }
    })
}

/// `CK_SYNC__SERVER=https://…` sets `[sync] server`. A value is read as TOML
/// when it parses (numbers, booleans), else as a plain string.
fn apply_env<I>(mut table: toml::Table, env: I, path: &Path) -> Result<Config, ConfigError>
where
    I: IntoIterator<Item = (String, String)>,
{
    for (key, value) in env {
        let Some(rest) = key.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        let Some((section, field)) = rest.split_once("__") else {
            continue;
        };
        let section = section.to_ascii_lowercase();
        let field = field.to_ascii_lowercase();
        let parsed = format!("v = {value}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or(toml::Value::String(value));
        let entry = table
            .entry(section)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(t) = entry {
            t.insert(field, parsed);
        }
    }
    toml::Value::Table(table)
        .try_into::<Config>()
        .map_err(|e| ConfigError {
            path: path.to_owned(),
            line: 0,
            column: 0,
            reason: e.message().to_owned(),
        })
}

/// One setting staff change from the window: `[section] key = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub section: &'static str,
    pub key: &'static str,
    pub value: toml::Value,
}

/// What saving settings did besides writing them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// The file was unreadable as TOML: it was kept under this name and a
    /// new file holds the saved settings.
    pub broken_copy: Option<PathBuf>,
}

/// Writes `settings` into the configuration file at `path`, keeping every
/// other setting in it. The file is replaced atomically (written beside it,
/// flushed, renamed) and readable by the owner only (it may hold the sync
/// token). A file that is not valid TOML is not lost: it is renamed to
/// `<name>.broken` first. Comments in the file are not kept.
pub fn save_settings(path: &Path, settings: &[Setting]) -> Result<Saved, ConfigError> {
    let io = |e: std::io::Error| ConfigError {
        path: path.to_owned(),
        line: 0,
        column: 0,
        reason: e.to_string(),
    };
    let mut saved = Saved::default();
    let mut table = match std::fs::read_to_string(path) {
        Ok(text) => match parse(&text, path) {
            Ok(t) => t,
            Err(_) => {
                let copy = path.with_extension("toml.broken");
                std::fs::rename(path, &copy).map_err(io)?;
                saved.broken_copy = Some(copy);
                toml::Table::new()
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => toml::Table::new(),
        Err(e) => return Err(io(e)),
    };
    for s in settings {
        let entry = table
            .entry(s.section)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        if let toml::Value::Table(t) = entry {
            t.insert(s.key.to_owned(), s.value.clone());
        }
    }
    // Refuse to write what the kiosk could not read back.
    toml::Value::Table(table.clone())
        .try_into::<Config>()
        .map_err(|e| ConfigError {
            path: path.to_owned(),
            line: 0,
            column: 0,
            reason: e.message().to_owned(),
        })?;
    let text = toml::to_string_pretty(&table).map_err(|e| io(std::io::Error::other(e)))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("toml.new");
    {
        use std::io::Write as _;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp).map_err(io)?;
        f.write_all(text.as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(saved)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(section: &'static str, key: &'static str, value: toml::Value) -> Setting {
        Setting {
            section,
            key,
            value,
        }
    }

    #[test]
    fn saving_settings_keeps_the_others_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[sync]\nserver = \"https://hub:8443\"\ntoken = \"t\"\n",
        )
        .unwrap();
        let saved = save_settings(
            &path,
            &[
                setting("kiosk", "lang", toml::Value::String("en".into())),
                setting("store", "retention_days", toml::Value::Integer(14)),
            ],
        )
        .unwrap();
        assert_eq!(saved.broken_copy, None);
        let (c, err) = Config::load_with_env(&path, Vec::new());
        assert!(err.is_none(), "{err:?}");
        assert_eq!(c.kiosk.lang, Lang::En);
        assert_eq!(c.store.retention_days, 14);
        assert_eq!(c.sync.server, "https://hub:8443");
        assert_eq!(c.sync.token, "t");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_broken_file_is_kept_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[kiosk\nlang = ").unwrap();
        let saved = save_settings(
            &path,
            &[setting("kiosk", "sounds", toml::Value::Boolean(false))],
        )
        .unwrap();
        let copy = saved.broken_copy.unwrap();
        assert_eq!(std::fs::read_to_string(copy).unwrap(), "[kiosk\nlang = ");
        let (c, err) = Config::load_with_env(&path, Vec::new());
        assert!(err.is_none());
        assert!(!c.kiosk.sounds);
    }

    #[test]
    fn a_value_the_kiosk_cannot_read_is_refused_and_nothing_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let err = save_settings(
            &path,
            &[setting("kiosk", "lang", toml::Value::String("fr".into()))],
        );
        assert!(err.is_err());
        assert!(!path.exists());
    }

    fn load_text(text: &str, env: Vec<(&str, &str)>) -> (Config, Option<ConfigError>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        let env = env
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<Vec<_>>();
        Config::load_with_env(&path, env)
    }

    #[test]
    fn missing_file_gives_defaults() {
        let (c, err) = Config::load_with_env(Path::new("/nonexistent/ck.toml"), Vec::new());
        assert!(err.is_none());
        assert_eq!(c, Config::default());
    }

    #[test]
    fn values_override_defaults() {
        let (c, err) = load_text("[kiosk]\nlang = \"en\"\nidle_timeout_secs = 30\n", vec![]);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(c.kiosk.lang, Lang::En);
        assert_eq!(c.kiosk.idle_timeout_secs, 30);
        assert!(c.kiosk.sounds);
    }

    #[test]
    fn corrupt_file_reports_line_and_column_and_is_untouched() {
        let text = "[kiosk]\nlang = \"en\"\nidle_timeout_secs = = 3\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        let (c, err) = Config::load_with_env(&path, Vec::new());
        let err = err.expect("an error");
        assert_eq!(err.line, 3);
        assert!(err.column > 1);
        assert_eq!(c, Config::default());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        let shown = err.message().render(Lang::Vi);
        assert!(shown.contains("dòng 3"), "{shown}");
    }

    #[test]
    fn wrong_type_is_an_error_not_a_panic() {
        let (_, err) = load_text("[kiosk]\nidle_timeout_secs = \"soon\"\n", vec![]);
        assert!(err.is_some());
    }

    #[test]
    fn environment_overrides_file() {
        let (c, err) = load_text(
            "[kiosk]\nidle_timeout_secs = 30\n",
            vec![
                ("CK_KIOSK__IDLE_TIMEOUT_SECS", "90"),
                ("CK_KIOSK__LANG", "en"),
                ("UNRELATED", "x"),
            ],
        );
        assert!(err.is_none(), "{err:?}");
        assert_eq!(c.kiosk.idle_timeout_secs, 90);
        assert_eq!(c.kiosk.lang, Lang::En);
    }

    #[test]
    fn roundtrips_through_toml() {
        let c = Config::default();
        let back: Config = toml::from_str(&c.to_toml()).unwrap();
        assert_eq!(c, back);
    }
}
