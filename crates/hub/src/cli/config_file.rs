//! The hub's configuration file (`--config`, packaged as
//! /etc/checkpoint-hub/hub.toml). Each key is one of the command line's
//! options; the file's values come first and the command line's after, so
//! an option given on the command line wins, and clap checks both alike.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use checkpoint_i18n::{Lang, Message, fl};
use serde::Deserialize;

/// Where `--config` is looked for when the option is not given.
pub const CONFIG_ENV: &str = "CK_HUB_CONFIG";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    lang: Option<Lang>,
    /// PostgreSQL instead of SQLite; keep the file unreadable to others.
    database_url: Option<String>,
    #[serde(default)]
    tls: TlsSection,
    #[serde(default)]
    retention: RetentionSection,
    #[serde(default)]
    console: ConsoleSection,
    /// The phone page's public address (`--phone-url`).
    phone_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsSection {
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    plain_http: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetentionSection {
    days: Option<u32>,
    follow_up_max_days: Option<u32>,
    audit_days: Option<u32>,
    purge_every_minutes: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsoleSection {
    silent_after_minutes: Option<i64>,
    waiting_alert_hours: Option<i64>,
}

impl ConfigFile {
    /// Reads and checks the file; a missing or malformed file is an error
    /// that names it (the hub does not start on a configuration it cannot read).
    pub fn load(path: &Path) -> Result<Self, Message> {
        let failed = |reason: String| {
            Message::new(fl!("hub-config-unreadable"))
                .arg("path", path.display().to_string())
                .arg("reason", reason)
        };
        let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
        toml::from_str(&text).map_err(|e| failed(e.to_string()))
    }

    /// The file as command-line options, in the order clap reads them.
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = Vec::new();
        let mut push = |name: &str, value: OsString| {
            args.push(format!("--{name}").into());
            args.push(value);
        };
        if let Some(v) = self.listen {
            push("listen", v.to_string().into());
        }
        if let Some(v) = &self.data_dir {
            push("data-dir", v.clone().into());
        }
        if let Some(v) = self.lang {
            push("lang", v.code().into());
        }
        if let Some(v) = &self.database_url {
            push("database-url", v.into());
        }
        if let Some(v) = &self.tls.cert {
            push("tls-cert", v.clone().into());
        }
        if let Some(v) = &self.tls.key {
            push("tls-key", v.clone().into());
        }
        if let Some(v) = self.retention.days {
            push("retention-days", v.to_string().into());
        }
        if let Some(v) = self.retention.follow_up_max_days {
            push("follow-up-max-days", v.to_string().into());
        }
        if let Some(v) = self.retention.audit_days {
            push("audit-retention-days", v.to_string().into());
        }
        if let Some(v) = self.retention.purge_every_minutes {
            push("purge-every-minutes", v.to_string().into());
        }
        if let Some(v) = self.console.silent_after_minutes {
            push("silent-after-minutes", v.to_string().into());
        }
        if let Some(v) = self.console.waiting_alert_hours {
            push("waiting-alert-hours", v.to_string().into());
        }
        if let Some(v) = &self.phone_url {
            push("phone-url", v.into());
        }
        if self.tls.plain_http == Some(true) {
            args.push("--plain-http".into());
        }
        args
    }
}

/// The configuration file named on the command line (`--config FILE` or
/// `--config=FILE`) or in the environment.
pub fn requested(args: &[OsString]) -> Option<PathBuf> {
    let mut it = args.iter().skip(1);
    while let Some(arg) = it.next() {
        let Some(text) = arg.to_str() else { continue };
        if text == "--" {
            break;
        }
        if text == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(path) = text.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os(CONFIG_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The program's name, then the file's options, then the command line's.
pub fn merged(args: Vec<OsString>, file: &ConfigFile) -> Vec<OsString> {
    let mut out = Vec::with_capacity(args.len() + 16);
    let mut rest = args.into_iter();
    out.extend(rest.next());
    out.extend(file.to_args());
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser as _;

    fn parse(file: &str, cli: &[&str]) -> Cli {
        let config: ConfigFile = toml::from_str(file).unwrap();
        let args: Vec<OsString> = std::iter::once("checkpoint-hub")
            .chain(cli.iter().copied())
            .map(OsString::from)
            .collect();
        Cli::try_parse_from(merged(args, &config)).unwrap()
    }

    const PACKAGED: &str = include_str!("../../../../packaging/hub/hub.toml");

    #[test]
    fn the_packaged_file_reads() {
        let cli = parse(PACKAGED, &[]);
        assert_eq!(cli.hub.listen.to_string(), "0.0.0.0:8443");
        assert_eq!(
            cli.data_dir.as_deref(),
            Some(Path::new("/var/lib/checkpoint-hub"))
        );
        assert!(!cli.hub.plain_http && cli.hub.tls_cert.is_none());
        // The code's defaults, as the README says them.
        assert_eq!(cli.hub.retention.retention_days, 21);
        assert_eq!(cli.hub.retention.audit_retention_days, 365);
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let file = "listen = \"0.0.0.0:9000\"\n[retention]\ndays = 20\n[tls]\nplain_http = true\n";
        let cli = parse(file, &["--listen", "127.0.0.1:1", "--plain-http"]);
        assert_eq!(cli.hub.listen.to_string(), "127.0.0.1:1");
        assert_eq!(cli.hub.retention.retention_days, 20);
        assert!(cli.hub.plain_http);
        let cli = parse(file, &["token", "list"]);
        assert_eq!(cli.hub.listen.to_string(), "0.0.0.0:9000");
        assert!(cli.hub.command.is_some());
    }

    #[test]
    fn values_out_of_range_are_refused_as_on_the_command_line() {
        let args = || vec![OsString::from("checkpoint-hub")];
        for bad in [
            "[retention]\ndays = 0\n",
            "phone_url = \"khaibao.example.vn\"\n",
            "phone_url = \"https://x/<script>\"\n",
        ] {
            let config: ConfigFile = toml::from_str(bad).unwrap();
            assert!(
                Cli::try_parse_from(merged(args(), &config)).is_err(),
                "{bad}"
            );
        }
        let config: ConfigFile =
            toml::from_str("phone_url = \"https://khaibao.example.vn/\"\n").unwrap();
        let cli = Cli::try_parse_from(merged(args(), &config)).unwrap();
        assert_eq!(
            cli.hub.phone_url.as_deref(),
            Some("https://khaibao.example.vn")
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.toml");
        for bad in ["listne = \"x\"", "listen = \"not an address\"", "[tls\n"] {
            std::fs::write(&path, bad).unwrap();
            let err = ConfigFile::load(&path).unwrap_err().render(Lang::En);
            assert!(err.contains("hub.toml"), "{err}");
        }
        let err = ConfigFile::load(&dir.path().join("missing.toml"))
            .unwrap_err()
            .render(Lang::Vi);
        assert!(err.contains("missing.toml"), "{err}");
    }

    #[test]
    fn the_file_is_found_on_the_command_line_or_in_the_environment() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            requested(&args(&["hub", "--config", "/a.toml"])),
            Some(PathBuf::from("/a.toml"))
        );
        assert_eq!(
            requested(&args(&["hub", "--lang", "en", "--config=/b.toml"])),
            Some(PathBuf::from("/b.toml"))
        );
    }
}
