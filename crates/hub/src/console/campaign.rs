//! The campaign: Bluezone adoption targets per group or checkpoint (a share
//! and a date, as the directive sets them: 80-100% by 30 June) against the
//! adoption measured over the last 7 days; charts of the last 14 days with
//! the target line for the units furthest behind, and a sortable table of
//! every unit behind. Counts only: every role sees it; admins set targets.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use checkpoint_i18n::{Lang, Message, fl, t};
use chrono::{Duration, NaiveDate, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use super::chart::{percent, share_bars};
use super::extract::{Admin, Posted, SignedIn};
use super::page::{link, page, respond, see_other};
use super::session::Session;
use super::{ConsoleState, audit};
use crate::accounts::Role;
use crate::audit::Action;
use crate::stats::{Figures, Level, Target, day_of};

/// Days the measured adoption is taken over.
pub const MEASURED_DAYS: i64 = 7;
/// Units drawn as charts (the furthest behind).
const CHARTS: usize = 4;

#[derive(Debug, Deserialize)]
pub struct CampaignQuery {
    sort: Option<String>,
}

/// Where a unit stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Reached,
    Behind,
    Missed,
    NoData,
}

struct Row {
    target: Target,
    name: String,
    measured: Figures,
    standing: Standing,
}

impl Row {
    /// Percentage points short of the target (0 when reached).
    fn gap(&self) -> f64 {
        (self.target.share() - self.measured.adoption().unwrap_or(0.0)).max(0.0)
    }
}

pub async fn show(
    State(state): State<ConsoleState>,
    Query(q): Query<CampaignQuery>,
    SignedIn {
        session,
        lang,
        set_lang,
    }: SignedIn,
) -> Response {
    render(&state, &session, lang, set_lang, q.sort.as_deref(), None).await
}

async fn render(
    state: &ConsoleState,
    session: &Session,
    lang: Lang,
    set_lang: bool,
    sort: Option<&str>,
    problem: Option<String>,
) -> Response {
    let scope = session.scope();
    let today = day_of(Utc::now());
    let span = (today - Duration::days(MEASURED_DAYS - 1), today);
    let (targets, units, checkpoints) = match (
        state.db.targets(&scope).await,
        state.db.figures_by_unit(&scope, span).await,
        state.db.checkpoints(&scope).await,
    ) {
        (Ok(t), Ok(u), Ok(c)) => (t, u, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return super::unavailable(lang, session, &e);
        }
    };
    let mut by_group: HashMap<String, Figures> = HashMap::new();
    let mut by_checkpoint: HashMap<String, Figures> = HashMap::new();
    for (id, group, f) in units {
        by_group.entry(group).or_default().add(&f);
        by_checkpoint.insert(id, f);
    }
    let names = crate::db::names_of(&checkpoints);
    let mut rows: Vec<Row> = targets
        .into_iter()
        .map(|target| {
            let (measured, name) = match &target.unit {
                Level::Group(g) => (by_group.get(g).copied().unwrap_or_default(), g.clone()),
                Level::Checkpoint(c) => (
                    by_checkpoint.get(c).copied().unwrap_or_default(),
                    names
                        .get(c.as_str())
                        .map_or_else(|| c.clone(), |n| (*n).to_owned()),
                ),
                Level::All => (Figures::default(), String::new()),
            };
            let standing = match measured.adoption() {
                None => Standing::NoData,
                Some(a) if a >= target.share() => Standing::Reached,
                Some(_) if target.deadline < today => Standing::Missed,
                Some(_) => Standing::Behind,
            };
            Row {
                target,
                name,
                measured,
                standing,
            }
        })
        .collect();
    let sort = match sort {
        Some("deadline") => "deadline",
        Some("name") => "name",
        _ => "gap",
    };
    match sort {
        "deadline" => rows.sort_by_key(|r| r.target.deadline),
        "name" => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        _ => rows.sort_by(|a, b| b.gap().total_cmp(&a.gap())),
    }
    let mut charts = Vec::new();
    let worst = rows
        .iter()
        .filter(|r| r.standing != Standing::Reached)
        .take(CHARTS);
    for row in worst {
        let first = today - Duration::days(super::chart::CHART_DAYS - 1);
        match state
            .db
            .daily_figures(&scope, &row.target.unit, (first, today))
            .await
        {
            Ok(days) => charts.push((row, days)),
            Err(e) => return super::unavailable(lang, session, &e),
        }
    }
    let groups: Vec<&str> = {
        let mut g: Vec<&str> = checkpoints.iter().map(|c| c.group.as_str()).collect();
        g.sort_unstable();
        g.dedup();
        g
    };
    let body = html! {
        h2 { (t(lang, fl!("console-campaign"))) }
        p.muted { (Message::new(fl!("console-campaign-measured")).arg("days", MEASURED_DAYS).render(lang)) }
        @if let Some(p) = problem { p.error id="form-error" role="alert" { (p) } }
        @for (row, days) in &charts {
            (chart_card(lang, row, days, today))
        }
        (behind_table(lang, &rows, sort))
        @if session.role == Role::Admin {
            (targets_admin(lang, session, &rows, &groups, &checkpoints))
        }
    };
    let title = t(lang, fl!("console-campaign"));
    respond(
        StatusCode::OK,
        page(lang, &title, Some(session), body),
        set_lang.then_some(lang),
    )
}

fn unit_link(row: &Row) -> String {
    match &row.target.unit {
        Level::Group(g) => link("group", g),
        Level::Checkpoint(c) => link("checkpoint", c),
        Level::All => "/".to_owned(),
    }
}

fn standing_text(lang: Lang, s: Standing) -> String {
    t(
        lang,
        match s {
            Standing::Reached => fl!("console-target-reached"),
            Standing::Behind => fl!("console-target-behind"),
            Standing::Missed => fl!("console-target-missed"),
            Standing::NoData => fl!("console-target-no-data"),
        },
    )
}

fn chart_card(lang: Lang, row: &Row, days: &[(NaiveDate, Figures)], today: NaiveDate) -> Markup {
    let found: HashMap<NaiveDate, Figures> = days.iter().copied().collect();
    let first = today - Duration::days(super::chart::CHART_DAYS - 1);
    let shares: Vec<(NaiveDate, Option<f64>)> = first
        .iter_days()
        .take_while(|d| *d <= today)
        .map(|d| (d, found.get(&d).and_then(Figures::adoption)))
        .collect();
    let label = Message::new(fl!("console-target-line"))
        .arg("percent", row.target.percent)
        .arg(
            "deadline",
            row.target.deadline.format("%d/%m/%Y").to_string(),
        )
        .render(lang);
    html! {
        section.card id=(format!("target-chart-{}", row.target.id)) {
            h3 { a href=(unit_link(row)) { (row.name) } " · " (label) }
            (share_bars(&format!("chart-target-{}", row.target.id), &label, &shares, Some(row.target.share())))
        }
    }
}

fn behind_table(lang: Lang, rows: &[Row], sort: &str) -> Markup {
    let behind: Vec<&Row> = rows
        .iter()
        .filter(|r| r.standing != Standing::Reached)
        .collect();
    let head = |key: &str, id: &str| {
        html! {
            @if key == sort { (t(lang, id)) " ▼" } @else { a href=(format!("/campaign?sort={key}")) { (t(lang, id)) } }
        }
    };
    html! {
        section {
            h3 { (t(lang, fl!("console-behind"))) " (" (behind.len()) ")" }
            @if behind.is_empty() {
                p.muted { (t(lang, fl!("console-behind-none"))) }
            } @else {
                div.scroll { table id="behind" {
                    thead { tr {
                        th { (head("name", fl!("console-unit"))) }
                        th.num { (t(lang, fl!("console-target"))) }
                        th { (head("deadline", fl!("console-deadline"))) }
                        th.num { (t(lang, fl!("console-measured"))) }
                        th.num { (head("gap", fl!("console-gap"))) }
                        th { (t(lang, fl!("console-kiosk-state"))) }
                    } }
                    tbody {
                        @for r in &behind {
                            tr id=(format!("behind-{}", r.target.id)) {
                                td { a href=(unit_link(r)) { (r.name) } }
                                td.num { (r.target.percent) "%" }
                                td { (r.target.deadline.format("%d/%m/%Y")) }
                                td.num { (percent(r.measured.adoption())) }
                                td.num { (format!("{:.0}", r.gap() * 100.0)) }
                                td { @if r.standing == Standing::Missed { span.flag { (standing_text(lang, r.standing)) } } @else { (standing_text(lang, r.standing)) } }
                            }
                        }
                    }
                } }
            }
        }
    }
}

fn targets_admin(
    lang: Lang,
    session: &Session,
    rows: &[Row],
    groups: &[&str],
    checkpoints: &[crate::db::Checkpoint],
) -> Markup {
    html! {
        section.card id="targets" {
            h3 { (t(lang, fl!("console-targets"))) }
            div.scroll { table {
                thead { tr {
                    th { (t(lang, fl!("console-unit"))) }
                    th.num { (t(lang, fl!("console-target"))) }
                    th { (t(lang, fl!("console-deadline"))) }
                    th.num { (t(lang, fl!("console-measured"))) }
                    th {}
                } }
                tbody {
                    @for r in rows {
                        tr {
                            td { (r.name) }
                            td.num { (r.target.percent) "%" }
                            td { (r.target.deadline.format("%d/%m/%Y")) }
                            td.num { (percent(r.measured.adoption())) }
                            td {
                                form.inline method="post" action="/campaign/delete" {
                                    input type="hidden" name="csrf" value=(session.csrf);
                                    input type="hidden" name="id" value=(r.target.id);
                                    button.danger type="submit" { (t(lang, fl!("console-target-delete"))) }
                                }
                            }
                        }
                    }
                }
            } }
            form method="post" action="/campaign/target" {
                input type="hidden" name="csrf" value=(session.csrf);
                label for="target-unit" { (t(lang, fl!("console-unit"))) }
                select id="target-unit" name="unit" {
                    optgroup label=(t(lang, fl!("console-group"))) {
                        @for g in groups { option value=(format!("group:{g}")) { (g) } }
                    }
                    optgroup label=(t(lang, fl!("console-checkpoint"))) {
                        @for c in checkpoints { option value=(format!("checkpoint:{}", c.id)) { (c.name) } }
                    }
                }
                label for="target-percent" { (t(lang, fl!("console-target"))) " (%)" }
                input id="target-percent" type="number" name="percent" min="1" max="100" value="80" required;
                label for="target-deadline" { (t(lang, fl!("console-deadline"))) }
                input id="target-deadline" type="date" name="deadline" required;
                p { button id="add-target" type="submit" { (t(lang, fl!("console-target-add"))) } }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    csrf: String,
    unit: String,
    percent: String,
    deadline: String,
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
    id: i64,
}

super::extract::with_csrf!(TargetForm, DeleteForm);

pub async fn add(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<TargetForm, Admin>,
) -> Response {
    let unit = match f.unit.split_once(':') {
        Some(("group", g)) => Level::Group(g.to_owned()),
        Some(("checkpoint", c)) => Level::Checkpoint(c.to_owned()),
        _ => return super::bad_request(lang, &session),
    };
    let percent = f
        .percent
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|p| (1..=100).contains(p));
    let deadline = f.deadline.trim().parse::<NaiveDate>().ok();
    let (Some(percent), Some(deadline)) = (percent, deadline) else {
        let problem = t(lang, fl!("console-target-invalid"));
        return render(&state, &session, lang, false, None, Some(problem)).await;
    };
    let target = Target {
        id: 0,
        unit,
        percent,
        deadline,
    };
    match state.db.add_target_managed(&target, &manages).await {
        Ok(None) => super::not_for_role(lang, &session),
        Ok(Some(true)) => {
            let (kind, name) = target.unit_columns();
            let detail = format!("{{\"percent\":{percent},\"deadline\":\"{deadline}\"}}");
            audit(
                &state,
                &session,
                Action::TargetAdded,
                &format!("{kind}:{name}"),
                &detail,
            )
            .await;
            see_other("/campaign", &[])
        }
        Ok(Some(false)) => {
            let problem = t(lang, fl!("console-target-exists"));
            render(&state, &session, lang, false, None, Some(problem)).await
        }
        Err(e) => super::unavailable(lang, &session, &e),
    }
}

pub async fn delete(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<DeleteForm, Admin>,
) -> Response {
    match state.db.delete_target_managed(f.id, &manages).await {
        Ok(None) => super::not_for_role(lang, &session),
        Ok(Some(_)) => {
            audit(
                &state,
                &session,
                Action::TargetDeleted,
                &f.id.to_string(),
                "",
            )
            .await;
            see_other("/campaign", &[])
        }
        Err(e) => super::unavailable(lang, &session, &e),
    }
}
