//! The overview, for every role (counts only): today (Vietnam's day) and
//! the last 14 days, in total, by group, and down to each checkpoint
//! (paged: there may be thousands): declarations, flagged, reports,
//! Bluezone adoption, kiosks silent, flagged visitors still waiting, and
//! what retention keeps.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use checkpoint_i18n::{Lang, Message, fl, t};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use super::ConsoleState;
use super::chart::{CHART_DAYS, daily_bars, percent, share_bars};
use super::extract::SignedIn;
use super::page::{link, page, pager, respond};
use crate::db::{Checkpoint, PageOf};
use crate::stats::{Figures, KioskHealth, Level, day_of, vietnam};

/// Checkpoints on a page of a group.
const PER_PAGE: u64 = 50;

#[derive(Debug, Deserialize)]
pub struct OverviewQuery {
    group: Option<String>,
    checkpoint: Option<String>,
    page: Option<u64>,
}

/// Where in the tree the page is.
struct Place {
    level: Level,
    /// The checkpoint's record at checkpoint level.
    checkpoint: Option<Checkpoint>,
}

pub async fn show(
    State(state): State<ConsoleState>,
    Query(q): Query<OverviewQuery>,
    SignedIn {
        session,
        lang,
        set_lang,
    }: SignedIn,
) -> Response {
    let scope = session.scope();
    let checkpoints = match state.db.checkpoints(&scope).await {
        Ok(c) => c,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let place = match (&q.checkpoint, &q.group) {
        (Some(id), _) => match checkpoints.iter().find(|c| &c.id == id) {
            Some(c) => Place {
                level: Level::Checkpoint(id.clone()),
                checkpoint: Some(c.clone()),
            },
            None => return super::not_for_role(lang, &session),
        },
        (None, Some(g)) if scope.includes(g) => Place {
            level: Level::Group(g.clone()),
            checkpoint: None,
        },
        (None, Some(_)) => return super::not_for_role(lang, &session),
        (None, None) => Place {
            level: Level::All,
            checkpoint: None,
        },
    };
    let now = Utc::now();
    let today = day_of(now);
    let first = today - Duration::days(CHART_DAYS - 1);
    let db = &state.db;
    let daily = match db.daily_figures(&scope, &place.level, (first, today)).await {
        Ok(d) => fill_days(first, today, d),
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let kiosks = match db.kiosk_health(&scope, today).await {
        Ok(k) => k,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let group_of: HashMap<&str, &str> = checkpoints
        .iter()
        .map(|c| (c.id.as_str(), c.group.as_str()))
        .collect();
    let kiosks: Vec<KioskHealth> = kiosks
        .into_iter()
        .filter(|k| at_level(&place.level, k, &group_of))
        .collect();
    let waiting = match db
        .waiting_flagged(&scope, now - state.settings.waiting_alert)
        .await
    {
        Ok(n) => n,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let breakdown = match &place.level {
        Level::All => match db.figures_by_group(&scope, today).await {
            Ok(groups) => {
                // Records of kiosks not assigned to a checkpoint are in the
                // total but in no group: their own row, so the rows add up.
                let mut in_groups = Figures::default();
                groups.iter().for_each(|(_, _, f)| in_groups.add(f));
                let today_total = daily.last().map(|d| d.1).unwrap_or_default();
                let unassigned =
                    Some(today_total.beyond(&in_groups)).filter(|f| *f != Figures::default());
                groups_table(lang, &groups, unassigned)
            }
            Err(e) => return super::unavailable(lang, &session, &e),
        },
        Level::Group(g) => {
            let page_no = q.page.unwrap_or(0);
            match db
                .figures_by_checkpoint(&scope, g, today, PageOf::number(page_no, PER_PAGE))
                .await
            {
                Ok((list, total)) => checkpoints_table(lang, &list, page_no, total),
                Err(e) => return super::unavailable(lang, &session, &e),
            }
        }
        Level::Checkpoint(_) => kiosks_table(lang, &kiosks, now, &state, &checkpoints),
    };
    let figures = Figures4 {
        today: daily.last().map(|d| d.1).unwrap_or_default(),
        silent: kiosks
            .iter()
            .filter(|k| k.is_silent(now, state.settings.silent_after))
            .count(),
        kiosks: kiosks.len(),
        waiting,
    };
    let body = html! {
        (breadcrumbs(lang, &place))
        p.muted { (now.with_timezone(&vietnam()).format("%d/%m/%Y %H:%M")) " (UTC+7)" }
        (cards(lang, &figures, &state))
        (charts(lang, &daily))
        (breakdown)
        (retention_note(lang, &state))
    };
    let title = t(lang, fl!("console-overview"));
    respond(
        StatusCode::OK,
        page(lang, &title, Some(&session), body),
        set_lang.then_some(lang),
    )
}

struct Figures4 {
    today: Figures,
    silent: usize,
    kiosks: usize,
    waiting: u64,
}

fn at_level(level: &Level, k: &KioskHealth, group_of: &HashMap<&str, &str>) -> bool {
    match level {
        Level::All => true,
        Level::Group(g) => k
            .checkpoint_id
            .as_deref()
            .and_then(|c| group_of.get(c))
            .is_some_and(|kg| kg == g),
        Level::Checkpoint(id) => k.checkpoint_id.as_deref() == Some(id),
    }
}

/// Every day from `first` to `last`, zero where nothing was counted.
fn fill_days(
    first: NaiveDate,
    last: NaiveDate,
    found: Vec<(NaiveDate, Figures)>,
) -> Vec<(NaiveDate, Figures)> {
    let found: HashMap<NaiveDate, Figures> = found.into_iter().collect();
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| (d, found.get(&d).copied().unwrap_or_default()))
        .collect()
}

fn breadcrumbs(lang: Lang, place: &Place) -> Markup {
    html! {
        nav.crumbs aria-label=(t(lang, fl!("console-overview"))) {
            a href="/" { (t(lang, fl!("console-all-groups"))) }
            @match &place.level {
                Level::All => {}
                Level::Group(g) => { " › " strong { (group_label(lang, g)) } }
                Level::Checkpoint(_) => {
                    @if let Some(c) = &place.checkpoint {
                        " › " a href=(link("group", &c.group)) { (group_label(lang, &c.group)) }
                        " › " strong { (c.name) }
                    }
                }
            }
        }
        h2 { (t(lang, fl!("console-overview"))) }
    }
}

fn group_label(lang: Lang, group: &str) -> String {
    if group.is_empty() {
        t(lang, fl!("console-no-group"))
    } else {
        group.to_owned()
    }
}

fn cards(lang: Lang, f: &Figures4, state: &ConsoleState) -> Markup {
    let hours = state.settings.waiting_alert.num_hours();
    html! {
        div.cards {
            div.card id="count-declaration" {
                div { (t(lang, fl!("console-kind-declaration"))) }
                div.figure { (f.today.declarations) }
                div.muted { (t(lang, fl!("console-today"))) }
            }
            div.card id="count-flagged" {
                div { (t(lang, fl!("console-flagged"))) }
                div.figure { (f.today.flagged) }
                div.muted { (t(lang, fl!("console-today"))) }
            }
            div.card id="count-report" {
                div { (t(lang, fl!("console-kind-report"))) }
                div.figure { (f.today.reports) }
                div.muted { (t(lang, fl!("console-today"))) }
            }
            div.card id="adoption" {
                div { (t(lang, fl!("console-adoption"))) }
                div.figure { (percent(f.today.adoption())) }
                div.muted { (Message::new(fl!("console-adoption-of")).arg("with", f.today.with_bluezone).arg("observed", f.today.observed).render(lang)) }
            }
            div.card.alert[f.silent > 0] id="kiosks-silent" {
                div { (t(lang, fl!("console-kiosks-silent"))) }
                div.figure { (f.silent) " / " (f.kiosks) }
                div.muted { (Message::new(fl!("console-silent-after")).arg("minutes", state.settings.silent_after.num_minutes()).render(lang)) }
            }
            div.card.alert[f.waiting > 0] id="flagged-waiting" {
                div { (Message::new(fl!("console-waiting")).arg("hours", hours).render(lang)) }
                div.figure { (f.waiting) }
                div.muted { (t(lang, fl!("console-waiting-hint"))) }
            }
        }
    }
}

fn charts(lang: Lang, daily: &[(NaiveDate, Figures)]) -> Markup {
    let counts: Vec<(NaiveDate, u64, u64)> = daily
        .iter()
        .map(|(d, f)| (*d, f.declarations, f.flagged))
        .collect();
    let shares: Vec<(NaiveDate, Option<f64>)> =
        daily.iter().map(|(d, f)| (*d, f.adoption())).collect();
    let title = Message::new(fl!("console-last-days"))
        .arg("days", CHART_DAYS)
        .render(lang);
    html! {
        section.card.charts {
            h3 { (title) }
            p.muted { (t(lang, fl!("console-chart-declarations"))) }
            (daily_bars("chart-declarations", &t(lang, fl!("console-chart-declarations")), &counts))
            p.muted { (t(lang, fl!("console-adoption"))) }
            (share_bars("chart-adoption", &t(lang, fl!("console-adoption")), &shares, None))
            details {
                summary { (t(lang, fl!("console-chart-table"))) }
                (days_table(lang, daily))
            }
        }
    }
}

fn figure_cells(f: &Figures) -> Markup {
    html! {
        td.num { (f.declarations) }
        td.num { (f.flagged) }
        td.num { (f.reports) }
        td.num { (percent(f.adoption())) }
    }
}

fn figure_heads(lang: Lang) -> Markup {
    html! {
        th.num { (t(lang, fl!("console-kind-declaration"))) }
        th.num { (t(lang, fl!("console-flagged"))) }
        th.num { (t(lang, fl!("console-kind-report"))) }
        th.num { (t(lang, fl!("console-adoption"))) }
    }
}

fn days_table(lang: Lang, daily: &[(NaiveDate, Figures)]) -> Markup {
    html! {
        div.scroll { table id="days" {
            thead { tr { th { (t(lang, fl!("console-day"))) } (figure_heads(lang)) } }
            tbody {
                @for (day, f) in daily.iter().rev() {
                    tr { td { (day.format("%d/%m/%Y")) } (figure_cells(f)) }
                }
            }
        } }
    }
}

fn groups_table(
    lang: Lang,
    groups: &[(String, u64, Figures)],
    unassigned: Option<Figures>,
) -> Markup {
    html! {
        section {
            h3 { (t(lang, fl!("console-by-group"))) " · " (t(lang, fl!("console-today"))) }
            @if groups.is_empty() && unassigned.is_none() {
                p.muted { (t(lang, fl!("console-no-checkpoints"))) }
            } @else {
                div.scroll { table id="groups" {
                    thead { tr { th { (t(lang, fl!("console-group"))) } th.num { (t(lang, fl!("console-checkpoints"))) } (figure_heads(lang)) } }
                    tbody {
                        @for (group, n, f) in groups {
                            tr { td { a href=(link("group", group)) { (group_label(lang, group)) } } td.num { (n) } (figure_cells(f)) }
                        }
                        @if let Some(f) = &unassigned {
                            tr id="unassigned" { td { a href="/kiosks" { (t(lang, fl!("console-unassigned"))) } } td.num { "–" } (figure_cells(f)) }
                        }
                    }
                } }
            }
        }
    }
}

fn checkpoints_table(
    lang: Lang,
    list: &[(Checkpoint, Figures)],
    page_no: u64,
    total: u64,
) -> Markup {
    html! {
        section {
            h3 { (t(lang, fl!("console-checkpoints"))) " · " (t(lang, fl!("console-today"))) }
            div.scroll { table id="checkpoints" {
                thead { tr { th { (t(lang, fl!("console-checkpoint"))) } (figure_heads(lang)) } }
                tbody {
                    @for (c, f) in list {
                        tr { td { a href=(link("checkpoint", &c.id)) { (c.name) } } (figure_cells(f)) }
                    }
                }
            } }
            (pager(page_no, total, PER_PAGE))
        }
    }
}

fn kiosks_table(
    lang: Lang,
    kiosks: &[KioskHealth],
    now: DateTime<Utc>,
    state: &ConsoleState,
    checkpoints: &[Checkpoint],
) -> Markup {
    let names = crate::db::names_of(checkpoints);
    html! {
        section {
            h3 { (t(lang, fl!("console-kiosks"))) }
            (super::kiosks::health_table(lang, kiosks, now, state.settings.silent_after, &names))
        }
    }
}

fn retention_note(lang: Lang, state: &ConsoleState) -> Markup {
    let rule = state.retention.rule;
    let last = state.retention.last();
    html! {
        p.muted id="retention" {
            (Message::new(fl!("console-retention"))
                .arg("days", rule.days)
                .arg("max", rule.follow_up_max_days)
                .render(lang))
            @if let Some(run) = last {
                " "
                @match run.purged {
                    Some(p) => (Message::new(fl!("console-retention-last"))
                        .arg("at", run.at.with_timezone(&vietnam()).format("%d/%m %H:%M").to_string())
                        .arg("records", p.records)
                        .render(lang)),
                    None => (t(lang, fl!("console-retention-failed"))),
                }
            }
        }
    }
}
