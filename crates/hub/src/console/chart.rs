//! Charts drawn on the server as inline SVG: no script, nothing loaded, and
//! each bar carries a `<title>` with its figure (a tooltip, and what a
//! screen reader says). A table of the same figures goes beside each chart.

use chrono::NaiveDate;
use maud::{Markup, html};

/// Days in the charts (the overview's and the campaign's).
pub const CHART_DAYS: i64 = 14;

const WIDTH: f64 = 700.0;
const HEIGHT: f64 = 180.0;
const AXIS: f64 = 22.0;

/// Bars of a count per day, the flagged part in red at the foot of each.
pub fn daily_bars(id: &str, label: &str, days: &[(NaiveDate, u64, u64)]) -> Markup {
    let top = days.iter().map(|d| d.1).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / days.len().max(1) as f64;
    let plot = HEIGHT - AXIS;
    html! {
        svg.chart id=(id) viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(label) {
            line x1="0" y1=(plot) x2=(WIDTH) y2=(plot) stroke="#5c636e" stroke-width="1" {}
            @for (i, (day, all, flagged)) in days.iter().enumerate() {
                @let x = i as f64 * slot + slot * 0.15;
                @let w = slot * 0.7;
                @let h = *all as f64 / top * (plot - 16.0);
                @let hf = *flagged as f64 / top * (plot - 16.0);
                g {
                    title { (day.format("%d/%m")) ": " (all) " (" (flagged) " ⚑)" }
                    rect x=(fmt(x)) y=(fmt(plot - h)) width=(fmt(w)) height=(fmt(h)) fill="#0a3d8f" {}
                    rect x=(fmt(x)) y=(fmt(plot - hf)) width=(fmt(w)) height=(fmt(hf)) fill="#9e0b1f" {}
                    @if *all > 0 {
                        text x=(fmt(x + w / 2.0)) y=(fmt(plot - h - 3.0)) font-size="11" text-anchor="middle" fill="#111418" { (all) }
                    }
                    @if i % 2 == days.len() % 2 || days.len() <= 8 {
                        text x=(fmt(x + w / 2.0)) y=(fmt(HEIGHT - 6.0)) font-size="11" text-anchor="middle" fill="#3d434c" { (day.format("%d/%m")) }
                    }
                }
            }
        }
    }
}

/// A share per day (0..=1) as bars, with a target as a dashed line.
pub fn share_bars(
    id: &str,
    label: &str,
    days: &[(NaiveDate, Option<f64>)],
    target: Option<f64>,
) -> Markup {
    let slot = WIDTH / days.len().max(1) as f64;
    let plot = HEIGHT - AXIS;
    let y = |share: f64| plot - share.clamp(0.0, 1.0) * (plot - 16.0);
    html! {
        svg.chart id=(id) viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(label) {
            line x1="0" y1=(plot) x2=(WIDTH) y2=(plot) stroke="#5c636e" stroke-width="1" {}
            @for (i, (day, share)) in days.iter().enumerate() {
                @let x = i as f64 * slot + slot * 0.15;
                @let w = slot * 0.7;
                g {
                    title { (day.format("%d/%m")) ": " (percent(*share)) }
                    @if let Some(s) = share {
                        rect x=(fmt(x)) y=(fmt(y(*s))) width=(fmt(w)) height=(fmt(plot - y(*s))) fill="#1d6b3a" {}
                        text x=(fmt(x + w / 2.0)) y=(fmt(y(*s) - 3.0)) font-size="11" text-anchor="middle" fill="#111418" { (percent(*share)) }
                    }
                    @if i % 2 == days.len() % 2 || days.len() <= 8 {
                        text x=(fmt(x + w / 2.0)) y=(fmt(HEIGHT - 6.0)) font-size="11" text-anchor="middle" fill="#3d434c" { (day.format("%d/%m")) }
                    }
                }
            }
            @if let Some(t) = target {
                line.target x1="0" y1=(fmt(y(t))) x2=(WIDTH) y2=(fmt(y(t))) stroke="#9e0b1f" stroke-width="2" stroke-dasharray="8 5" {}
                text x=(WIDTH - 4.0) y=(fmt(y(t) - 4.0)) font-size="12" text-anchor="end" fill="#9e0b1f" { (percent(Some(t))) }
            }
        }
    }
}

/// "73%", or "–" when there is nothing to divide.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_day_and_label_each() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let svg = daily_bars("c", "x", &[(d(1), 10, 2), (d(2), 0, 0), (d(3), 5, 0)]).into_string();
        assert_eq!(svg.matches("<rect").count(), 6);
        assert!(svg.contains("<title>01/12: 10 (2 ⚑)</title>"));
        assert!(
            svg.contains("height=\"142.0\""),
            "the largest day fills the plot: {svg}"
        );
        let share =
            share_bars("s", "x", &[(d(1), Some(0.5)), (d(2), None)], Some(0.8)).into_string();
        assert!(
            share.contains("50%") && share.contains("80%") && share.contains("stroke-dasharray")
        );
        assert_eq!(percent(None), "–");
    }
}
