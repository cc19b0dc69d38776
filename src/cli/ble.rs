//! `ble scan`, `ble stats`.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{Local, TimeDelta, Utc};

use super::{CmdResult, Context};
use crate::ble::{BleHandle, BleStatus, ClassCounts, DeviceView};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message, t, t_args};
use checkpoint_store::{Adoption, Store, StoreError};

#[derive(Debug, clap::Subcommand)]
pub enum BleCommand {
    /// List nearby devices with class, RSSI and proximity.
    Scan {
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long)]
        json: bool,
    },
    /// Adoption: check-ins with a Bluezone phone nearby, per hour and day.
    Stats {
        /// How many days back (local days, today included).
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
}

pub fn ble(ctx: &Context, cmd: &BleCommand) -> CmdResult {
    match cmd {
        BleCommand::Scan { seconds, json } => scan(ctx, *seconds, *json),
        BleCommand::Stats { days, json } => stats(ctx, *days, *json),
    }
}

fn scan(ctx: &Context, seconds: u64, json: bool) -> CmdResult {
    let handle = BleHandle::start(&ctx.config.ble);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut shown: Option<BleStatus> = None;
    loop {
        let status = handle.status();
        if shown.as_ref() != Some(&status) {
            eprintln!("{}", status.message().render(ctx.lang));
            shown = Some(status.clone());
        }
        if Instant::now() >= deadline || status == BleStatus::Disabled {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = handle.status();
    let started = handle.sessions() > 0;
    let devices = handle.devices();
    let counts = handle.window_counts();
    handle.stop();
    if json {
        let out = serde_json::json!({
            "status": status,
            "status_text": status.message().render(ctx.lang),
            "counts": counts,
            "devices": devices,
        });
        super::out::line(serde_json::to_string_pretty(&out)?)?;
    } else if started {
        super::out::text(scan_table(
            ctx.lang,
            &devices,
            &counts,
            ctx.config.ble.window_secs,
        ))?;
    } else {
        let reason = status.message().render(ctx.lang);
        eprintln!(
            "{}",
            t_args(
                ctx.lang,
                fl!("ble-scan-never-started"),
                &[("reason", &reason)]
            )
        );
    }
    Ok(if started {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The human-readable device list.
pub fn scan_table(
    lang: Lang,
    devices: &[DeviceView],
    counts: &ClassCounts,
    window_secs: u64,
) -> String {
    let mut out = String::new();
    if devices.is_empty() {
        out.push_str(&t(lang, fl!("ble-scan-none")));
        out.push('\n');
        return out;
    }
    let header = Message::new(fl!("ble-scan-header"))
        .arg("count", devices.len())
        .arg("minutes", window_secs.div_ceil(60));
    out.push_str(&header.render(lang));
    out.push('\n');
    for d in devices {
        let rssi = d
            .rssi
            .map_or_else(|| "?".to_owned(), |r| format!("{r} dBm"));
        out.push_str(&format!(
            "  {:<48} {:>8}  {:<14} {:<12} {}\n",
            t(lang, d.class.message_id()),
            rssi,
            t(lang, d.proximity.message_id()),
            d.address,
            d.bzid.as_deref().unwrap_or(""),
        ));
    }
    let summary = Message::new(fl!("ble-scan-summary"))
        .arg("bluezone", counts.bluezone())
        .arg("android", counts.bluezone_android)
        .arg("ios", counts.bluezone_ios)
        .arg("unconfirmed", counts.bluezone_ios_unconfirmed)
        .arg("gaen", counts.exposure_notification)
        .arg("other", counts.other);
    out.push_str(&summary.render(lang));
    out.push('\n');
    out
}

fn stats(ctx: &Context, days: u32, json: bool) -> CmdResult {
    let store = match open_database(ctx) {
        Ok(store) => store,
        Err(e) => {
            tracing::debug!(error = %e, "ble stats: store unavailable");
            let reason = e.message().render(ctx.lang);
            eprintln!(
                "{}",
                t_args(ctx.lang, fl!("ble-stats-no-store"), &[("reason", &reason)])
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    super::out::text(stats_report(&store, ctx.lang, days, json)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The kiosk database: the hourly counts live beside the records.
fn open_database(ctx: &Context) -> Result<Store, StoreError> {
    if ctx.config.store.plaintext {
        eprintln!("{}", t(ctx.lang, fl!("store-plaintext-warning")));
    }
    crate::storage::open_store(&ctx.data, &ctx.config)
}

/// `ble stats` output: one line per local day over `days`, then today's hours.
pub fn stats_report(store: &Store, lang: Lang, days: u32, json: bool) -> anyhow::Result<String> {
    let now = Utc::now();
    let today = now.with_timezone(&Local).date_naive();
    let first_day = today - TimeDelta::days(i64::from(days.max(1)) - 1);
    let from = first_day
        .and_hms_opt(0, 0, 0)
        .and_then(|d| d.and_local_timezone(Local).earliest())
        .map_or(now - TimeDelta::days(i64::from(days.max(1))), |d| {
            d.with_timezone(&Utc)
        });
    let to = now + TimeDelta::hours(1);
    let by_day = store.adoption_by_day(from, to, &Local)?;
    let today_start = today
        .and_hms_opt(0, 0, 0)
        .and_then(|d| d.and_local_timezone(Local).earliest())
        .map_or(now - TimeDelta::hours(24), |d| d.with_timezone(&Utc));
    let by_hour = store.adoption_by_hour(today_start, to)?;
    if json {
        let out = serde_json::json!({
            "days": by_day.iter().map(|(d, a)| serde_json::json!({"day": d.to_string(), "adoption": a, "share": a.share()})).collect::<Vec<_>>(),
            "hours": by_hour.iter().map(|(h, a)| serde_json::json!({"hour": h, "adoption": a, "share": a.share()})).collect::<Vec<_>>(),
        });
        return Ok(format!("{}\n", serde_json::to_string_pretty(&out)?));
    }
    let mut out = format!("{}\n", t(lang, fl!("ble-stats-title")));
    if by_day.is_empty() {
        out.push_str(&t(lang, fl!("ble-stats-empty")));
        out.push('\n');
        return Ok(out);
    }
    out.push_str(&format!("{}\n", t(lang, fl!("ble-stats-columns"))));
    for (day, a) in &by_day {
        out.push_str(&stats_line(lang, &day.to_string(), a));
    }
    out.push('\n');
    for (hour, a) in &by_hour {
        let label = hour.with_timezone(&Local).format("%H:00").to_string();
        out.push_str(&stats_line(lang, &label, a));
    }
    Ok(out)
}

fn stats_line(lang: Lang, label: &str, a: &Adoption) -> String {
    let share = a.share().map_or_else(
        || t(lang, fl!("ble-stats-share-unknown")),
        |s| format!("{:.1}%", s * 100.0),
    );
    format!(
        "{label:<10} | {:>6} | {:>6} | {:>6} | {share:>6} | {:>6} | {:>6}\n",
        a.checkins, a.observed, a.with_bluezone, a.bluezone_seen, a.peak_phones
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_domain::declaration::{Declaration, Record};
    use checkpoint_store::{Actor, Key, Settings};

    fn store(dir: &tempfile::TempDir) -> Store {
        Store::open_with(
            &dir.path().join("k.db"),
            &Key::random(),
            Settings::default(),
        )
        .unwrap()
    }

    /// Two visitors checked in now, one with a Bluezone phone at the kiosk.
    fn two_checkins(store: &mut Store) {
        for nearby in [Some(true), Some(false)] {
            let now = Utc::now();
            let mut record = Record::new(Declaration::example(), store.kiosk_id(), now, now);
            record.bluezone_nearby = nearby;
            store.insert_checkin(&record, Actor::Visitor).unwrap();
        }
    }

    #[test]
    fn stats_report_shows_share_per_day_and_hour() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(&dir);
        two_checkins(&mut store);
        let text = stats_report(&store, Lang::En, 7, false).unwrap();
        assert!(text.contains("50.0%"), "{text}");
        assert_eq!(
            text.matches("50.0%").count(),
            2,
            "one day line and one hour line: {text}"
        );
        let json = stats_report(&store, Lang::Vi, 7, true).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["days"][0]["adoption"]["with_bluezone"], 1);
    }

    #[test]
    fn empty_database_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let text = stats_report(&store(&dir), Lang::Vi, 1, false).unwrap();
        assert!(text.contains(&t(Lang::Vi, fl!("ble-stats-empty"))));
    }

    #[test]
    fn scan_table_lists_classes_in_the_language() {
        let d = DeviceView {
            class: crate::ble::DeviceClass::BluezoneAndroid,
            rssi: Some(-60),
            proximity: crate::ble::Proximity::Near,
            bzid: Some("A1B2…".into()),
            address: "…:DD:EE:01".into(),
            addresses: 1,
            last_seen: Utc::now(),
        };
        let counts = ClassCounts {
            bluezone_android: 1,
            ..ClassCounts::default()
        };
        let text = scan_table(Lang::Vi, &[d], &counts, 300);
        assert!(
            text.contains("sát trạm") && text.contains("-60 dBm") && text.contains("5 phút"),
            "{text}"
        );
        assert!(scan_table(Lang::En, &[], &counts, 300).contains("No device"));
    }
}
