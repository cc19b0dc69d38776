//! The phone page's HTML: the declaration form (the same questions and
//! messages as the kiosk's, both languages), the page with the visitor's
//! code, and the checkpoint's poster. Styles and script are files of their
//! own (the hub's pages allow nothing inline); every value is escaped.

use checkpoint_domain::address;
use checkpoint_domain::declaration::{
    Condition, Contact, Declaration, DocumentKind, Gender, Problem, Symptom, country, field,
};
use checkpoint_i18n::{Lang, Message, fl, t};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// Where the page lives (a service worker's scope ends in `/`).
pub const BASE: &str = "/declare/";

fn shell(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="theme-color" content="#0b3d91";
                meta name="description" content=(t(lang, fl!("phone-intro")));
                link rel="icon" type="image/svg+xml" href="/declare/icon.svg";
                title { (title) }
                link rel="stylesheet" href="/declare/phone.css";
                script src="/declare/phone.js" defer {}
            }
            body { (body) }
        }
    }
}

fn lang_switch(lang: Lang, checkpoint: &str) -> Markup {
    html! {
        nav.langs {
            @for (other, label) in [(Lang::Vi, "Tiếng Việt"), (Lang::En, "English")] {
                a id=(format!("lang-{}", other.code()))
                    href=(format!("{BASE}?checkpoint={}&lang={}", urlencode(checkpoint), other.code()))
                    aria-current=[(other == lang).then_some("true")] { (label) }
            }
        }
    }
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// The problem of a field, under it.
fn problem_of(lang: Lang, problems: &[Problem], key: &str) -> Markup {
    html! {
        @for p in problems.iter().filter(|p| p.field == key || p.field.starts_with(&format!("{key}."))) {
            p.problem role="alert" { (p.message.render(lang)) }
        }
    }
}

fn text_input(
    lang: Lang,
    problems: &[Problem],
    key: &str,
    label: &str,
    value: &str,
    kind: &str,
    extra: Option<&str>,
) -> Markup {
    let invalid = problems.iter().any(|p| p.field == key);
    html! {
        div.field {
            label for=(key) { (label) }
            input id=(key) name=(key) type=(kind) value=(value)
                autocomplete=[extra]
                inputmode=[(kind == "tel").then_some("tel")]
                aria-invalid=[invalid.then_some("true")];
            (problem_of(lang, problems, key))
        }
    }
}

fn yes_no(lang: Lang, name: &str, answer: Option<bool>) -> Markup {
    html! {
        div.yesno {
            @for (value, label, yes) in [("yes", fl!("decl-yes"), true), ("no", fl!("decl-no"), false)] {
                label.choice {
                    input type="radio" name=(name) id=(format!("{name}-{value}")) value=(value)
                        checked[answer == Some(yes)];
                    span { (t(lang, label)) }
                }
            }
        }
    }
}

/// The form, filled with `d` (empty on the first visit, the posted answers
/// when something needs correcting).
pub fn form_page(
    lang: Lang,
    checkpoint: &str,
    checkpoint_name: &str,
    d: &Declaration,
    problems: &[Problem],
) -> Markup {
    let id = &d.identity;
    let title = t(lang, fl!("phone-title"));
    let year = id.birth_year.map(|y| y.to_string()).unwrap_or_default();
    let date = id.birth_date.map(|d| d.to_string()).unwrap_or_default();
    let body = html! {
        header {
            (lang_switch(lang, checkpoint))
            h1 { (title) }
            @if !checkpoint_name.is_empty() {
                p.at { (Message::new(fl!("phone-at")).arg("checkpoint", checkpoint_name).render(lang)) }
            }
        }
        main {
            p #offline.problem hidden role="status" { (t(lang, fl!("phone-offline"))) }
            section #saved hidden {
                h2 { (t(lang, fl!("phone-saved-title"))) }
                div #saved-code {}
                p #saved-made data-template=(Message::new(fl!("phone-saved-made")).arg("made", "%MADE%").render(lang)) {}
                button #forget type="button" { (t(lang, fl!("phone-forget"))) }
            }
            p #forgotten.note hidden role="status" { (t(lang, fl!("phone-forgotten"))) }
            p.intro { (t(lang, fl!("phone-intro"))) }
            @if !problems.is_empty() {
                p.problem #problems role="alert" tabindex="-1" {
                    (Message::new(fl!("phone-problems")).arg("count", problems.len()).render(lang))
                }
            }
            form #declare method="post" action=(BASE) novalidate {
                input type="hidden" name="lang" value=(lang.code());
                input type="hidden" name="checkpoint" value=(checkpoint);
                fieldset {
                    legend { (t(lang, fl!("section-identity"))) }
                    (text_input(lang, problems, field::FULL_NAME, &t(lang, "field-full_name"), &id.full_name, "text", Some("name")))
                    div.field {
                        label for="document_kind" { (t(lang, fl!("field-document-kind"))) }
                        select #document_kind name="document_kind" {
                            @for kind in [DocumentKind::Cccd, DocumentKind::Passport, DocumentKind::Cmnd, DocumentKind::Other] {
                                option value=(kind.key()) selected[id.document.kind == kind] {
                                    (t(lang, &format!("doc-kind-{}", kind.key())))
                                }
                            }
                        }
                    }
                    (text_input(lang, problems, field::DOCUMENT, &t(lang, fl!("field-document")), &id.document.number, "text", Some("off")))
                    (text_input(lang, problems, field::BIRTH_YEAR, &t(lang, "field-birth_year"), &year, "number", Some("bday-year")))
                    (text_input(lang, problems, field::BIRTH_DATE, &t(lang, fl!("phone-birth-date-optional")), &date, "date", Some("bday")))
                    div.field {
                        span.label #gender-label { (t(lang, "field-gender")) }
                        div.yesno role="radiogroup" aria-labelledby="gender-label" {
                            @for (g, key) in [(Gender::Male, "male"), (Gender::Female, "female"), (Gender::Other, "other")] {
                                label.choice {
                                    input type="radio" name=(field::GENDER) id=(format!("gender-{key}")) value=(key)
                                        checked[id.gender == Some(g)];
                                    span { (t(lang, &format!("gender-{key}"))) }
                                }
                            }
                        }
                        (problem_of(lang, problems, field::GENDER))
                    }
                    div.field {
                        label for=(field::NATIONALITY) { (t(lang, "field-nationality")) }
                        select id=(field::NATIONALITY) name=(field::NATIONALITY) {
                            option value="" { (t(lang, fl!("phone-nationality-choose"))) }
                            @let chosen = if id.nationality.is_empty() { "VN" } else { id.nationality.as_str() };
                            @for code in countries(lang) {
                                option value=(code.0) selected[code.0 == chosen] { (code.1) }
                            }
                        }
                        (problem_of(lang, problems, field::NATIONALITY))
                    }
                    (text_input(lang, problems, field::PHONE, &t(lang, "field-phone"), &id.phone, "tel", Some("tel")))
                }
                fieldset {
                    legend { (t(lang, "field-address")) }
                    div.field {
                        label for="ward-search" { (t(lang, fl!("phone-ward-search"))) }
                        input #ward-search type="search" autocomplete="off" list="ward-hits";
                        datalist #ward-hits {}
                    }
                    div.field {
                        label for=(field::PROVINCE) { (t(lang, "field-province")) }
                        select id=(field::PROVINCE) name=(field::PROVINCE) {
                            option value="" { (t(lang, fl!("phone-province-choose"))) }
                            @for p in address::provinces() {
                                option value=(p.code) selected[p.code == id.address.province] { (p.name) }
                            }
                        }
                        (problem_of(lang, problems, field::PROVINCE))
                    }
                    div.field {
                        label for=(field::WARD) { (t(lang, "field-ward")) }
                        select id=(field::WARD) name=(field::WARD) data-chosen=(id.address.ward) {
                            option value="" { (t(lang, fl!("phone-ward-choose"))) }
                            @for w in address::wards_of(&id.address.province) {
                                option value=(w.code) selected[w.code == id.address.ward] { (w.name) }
                            }
                        }
                        (problem_of(lang, problems, field::WARD))
                    }
                    (text_input(lang, problems, field::STREET, &t(lang, "field-street"), &id.address.street, "text", Some("street-address")))
                }
                fieldset {
                    label.choice {
                        input #on_behalf type="checkbox" name="on_behalf" value="yes" checked[d.on_behalf.is_some()];
                        span { (t(lang, fl!("decl-on-behalf"))) }
                    }
                    div #declarant {
                        @let who = d.on_behalf.clone().unwrap_or_default();
                        (text_input(lang, problems, field::DECLARANT_NAME, &t(lang, "field-declarant-name"), &who.name, "text", Some("off")))
                        (text_input(lang, problems, field::DECLARANT_PHONE, &t(lang, "field-declarant-phone"), &who.phone, "tel", Some("off")))
                    }
                }
                fieldset {
                    legend { (t(lang, fl!("section-travel"))) }
                    p.question { (t(lang, "q-travel_14d")) }
                    (yes_no(lang, field::TRAVEL, d.travel.answer))
                    (problem_of(lang, problems, field::TRAVEL))
                    (text_input(lang, problems, field::TRAVEL_PLACES, &t(lang, "field-travel-places"), &d.travel.places, "text", Some("off")))
                }
                fieldset {
                    legend { (t(lang, fl!("section-contacts"))) }
                    p.question { (t(lang, "q-contacts-intro")) }
                    @for q in Contact::ALL {
                        @let key = field::contact(*q);
                        div.field {
                            p.question { (t(lang, &q.text_id())) }
                            (yes_no(lang, &key, d.contacts.get(q).copied()))
                            (problem_of(lang, problems, &key))
                        }
                    }
                }
                fieldset {
                    legend { (t(lang, fl!("section-symptoms"))) }
                    p.question { (t(lang, "q-symptoms-intro")) }
                    @for s in Symptom::ALL {
                        label.choice {
                            input type="checkbox" name=(field::SYMPTOMS) id=(format!("symptom-{}", s.key())) value=(s.key())
                                checked[d.symptoms.selected.contains(s)];
                            span { (t(lang, &s.text_id())) }
                        }
                    }
                    label.choice {
                        input #symptoms-none type="checkbox" name=(field::SYMPTOMS) value="none" checked[d.symptoms.none];
                        span { (t(lang, fl!("decl-none-of-these"))) }
                    }
                    (problem_of(lang, problems, field::SYMPTOMS))
                }
                fieldset {
                    legend { (t(lang, fl!("section-conditions"))) }
                    p.question { (t(lang, "q-conditions-intro")) }
                    @for c in Condition::ALL {
                        label.choice {
                            input type="checkbox" name=(field::CONDITIONS) id=(format!("condition-{}", c.key())) value=(c.key())
                                checked[d.conditions.selected.contains(c)];
                            span { (t(lang, &c.text_id())) }
                        }
                    }
                    label.choice {
                        input #conditions-none type="checkbox" name=(field::CONDITIONS) value="none" checked[d.conditions.none];
                        span { (t(lang, fl!("decl-none-of-these-conditions"))) }
                    }
                    (problem_of(lang, problems, field::CONDITIONS))
                }
                fieldset {
                    legend { (t(lang, fl!("section-vaccination"))) }
                    div.field {
                        label for=(field::VACCINE_DOSES) { (t(lang, "field-vaccine-doses")) }
                        select id=(field::VACCINE_DOSES) name=(field::VACCINE_DOSES) {
                            option value="" { (t(lang, fl!("phone-doses-none"))) }
                            @for n in 1u8..=5 {
                                option value=(n) selected[d.vaccination.doses == Some(n)] { (n) }
                            }
                        }
                        (problem_of(lang, problems, field::VACCINE_DOSES))
                    }
                    (text_input(lang, problems, field::VACCINE_LAST_DOSE, &t(lang, "field-vaccine-last-dose"),
                        &d.vaccination.last_dose.map(|x| x.to_string()).unwrap_or_default(), "date", Some("off")))
                }
                fieldset {
                    legend { (t(lang, fl!("section-consent"))) }
                    p.warning { (t(lang, fl!("decl-warning"))) }
                    label.choice {
                        input #consent type="checkbox" name=(field::CONSENT) value="yes" checked[d.consent];
                        span { (t(lang, fl!("decl-consent"))) }
                    }
                    (problem_of(lang, problems, field::CONSENT))
                    p.note { (t(lang, fl!("decl-privacy"))) }
                    label.choice {
                        input #remember type="checkbox";
                        span { (t(lang, fl!("phone-remember"))) }
                    }
                }
                button #get-code.primary type="submit" { (t(lang, fl!("phone-get-code"))) }
            }
        }
    };
    shell(lang, &title, body)
}

/// Every nationality with its name in `lang`, sorted by name, Vietnam first.
fn countries(lang: Lang) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = country::codes()
        .map(|c| (c.to_owned(), t(lang, &country::name_id(c))))
        .collect();
    all.sort_by(|a, b| (a.0 != "VN", &a.1).cmp(&(b.0 != "VN", &b.1)));
    all
}

/// The visitor's code: the QR (SVG drawn by the hub), how long it is good
/// for, and the code's text for the page's script to keep on the phone.
pub fn code_page(
    lang: Lang,
    checkpoint: &str,
    code: &str,
    svg: &str,
    made: &str,
    answers_until: &str,
) -> Markup {
    let title = t(lang, fl!("phone-code-title"));
    let body = html! {
        header {
            (lang_switch(lang, checkpoint))
            h1 { (title) }
        }
        main {
            section #made data-code=(code) data-made=(made) {
                p.lead { (t(lang, fl!("phone-code-show"))) }
                div #qr role="img" aria-label=(title) { (PreEscaped(svg)) }
                p { (Message::new(fl!("phone-code-validity")).arg("answers_until", answers_until).render(lang)) }
                p.note { (t(lang, fl!("phone-code-kept"))) }
                p.note { (t(lang, fl!("phone-code-not-verified"))) }
            }
            p {
                a.button #declare-again href=(format!("{BASE}?checkpoint={}&lang={}", urlencode(checkpoint), lang.code())) {
                    (t(lang, fl!("phone-new")))
                }
            }
            button #forget type="button" { (t(lang, fl!("phone-forget"))) }
            p #forgotten.note hidden role="status" { (t(lang, fl!("phone-forgotten"))) }
        }
    };
    shell(lang, &title, body)
}

/// A short page saying why no code was made.
pub fn message_page(lang: Lang, text: &str) -> Markup {
    let title = t(lang, fl!("phone-title"));
    shell(
        lang,
        &title,
        html! { main { p.problem #page-error role="alert" { (text) } } },
    )
}

/// The A4 poster of a checkpoint: its name, a large QR code of its page, three steps.
pub fn poster(checkpoint_name: &str, url: &str, svg: &str) -> Markup {
    let both = |id: &str| (t(Lang::Vi, id), t(Lang::En, id));
    let steps = [
        both(fl!("phone-poster-step-1")),
        both(fl!("phone-poster-step-2")),
        both(fl!("phone-poster-step-3")),
    ];
    let (vi, en) = both(fl!("phone-poster-title"));
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                title { (vi) " · " (checkpoint_name) }
                link rel="stylesheet" href="/declare/phone.css";
            }
            body.poster {
                h1 { (vi) }
                p.en { (en) }
                p.place #poster-checkpoint { (checkpoint_name) }
                div.qr #poster-qr { (PreEscaped(svg)) }
                p.url { (url) }
                ol {
                    @for (vi, en) in &steps {
                        li { span { (vi) } br; span.en { (en) } }
                    }
                }
            }
        }
    }
}
