//! Page one: who the declaration is about, how to reach them, and whether
//! someone declares on their behalf.

use iced::widget::{Column, button, column, container, row, text, toggler};
use iced::{Alignment, Element, Length};

use super::Message;
use crate::ui::chrome::Ctx;
use crate::ui::form::{Edit, Form, Picker};
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{
    banner, candidates, heading, input, labelled, options, problem_text, source_badge, tagged,
    touch_field, tr,
};
use checkpoint_domain::address;
use checkpoint_domain::declaration::{DocumentKind, Gender, country, field};
use checkpoint_i18n::Lang;
use checkpoint_i18n::fl;

/// How many matches a picker lists.
const PICKER_ROWS: usize = 6;

fn edit<F: Fn(String) -> Edit + 'static>(f: F) -> impl Fn(String) -> Message {
    move |v| Message::Edit(f(v))
}

/// A text field of the identity page, locked when a document vouches for it.
fn text_field<'a>(
    form: &'a Form,
    ctx: Ctx,
    key: &'static str,
    label_id: &str,
    value: &'a str,
    on_input: impl Fn(String) -> Edit + 'static,
) -> Element<'a, Message> {
    let locked = form.is_locked(key);
    let problem = form.problem(key);
    let control = input(
        key,
        "",
        value,
        (!locked).then(|| edit(on_input)),
        problem.is_some(),
        ctx.sizes,
    );
    labelled(
        tr(ctx.lang, label_id),
        source_badge(ctx.lang, form.declaration.sources.get(key), ctx.sizes),
        touch_field(control, Message::Focus(key)),
        problem_text(ctx.lang, problem, ctx.sizes),
        ctx.sizes,
    )
}

pub fn view(form: &Form, ctx: Ctx) -> Element<'_, Message> {
    let (lang, sizes) = (ctx.lang, ctx.sizes);
    let id = &form.declaration.identity;
    let mut page = Column::new().spacing(20);

    if let Some(kind) = &form.scanned {
        let mut lines = vec![format!(
            "{}: {}",
            tr(lang, fl!("ui-scanned-from")),
            kind.render(lang)
        )];
        lines.extend(form.notes.iter().map(|n| n.render(lang)));
        page = page.push(banner(Tone::Info, lines, sizes));
    }
    page = page.push(heading(tr(lang, fl!("section-identity")), sizes));
    page = page.push(text_field(
        form,
        ctx,
        field::FULL_NAME,
        fl!("field-full_name"),
        &id.full_name,
        Edit::FullName,
    ));

    // Document: kind, then number.
    let doc_locked = form.is_locked(field::DOCUMENT);
    let kinds: Vec<(DocumentKind, String)> = DocumentKind::ALL
        .iter()
        .map(|k| (*k, tr(lang, &format!("doc-kind-{}", k.key()))))
        .collect();
    let kind_picker = options(
        "doc-kind",
        &kinds,
        Some(id.document.kind),
        |k| Message::Edit(Edit::DocumentKind(k)),
        !doc_locked,
        sizes,
    );
    let hint = tr(lang, &format!("decl-hint-{}", id.document.kind.key()));
    let number = input(
        field::DOCUMENT,
        &hint,
        &id.document.number,
        (!doc_locked).then(|| edit(Edit::DocumentNumber)),
        form.problem(field::DOCUMENT).is_some(),
        sizes,
    );
    page = page.push(labelled(
        tr(lang, fl!("field-document")),
        source_badge(lang, form.declaration.sources.get(field::DOCUMENT), sizes),
        column![
            kind_picker,
            touch_field(number, Message::Focus(field::DOCUMENT))
        ]
        .spacing(10)
        .into(),
        problem_text(lang, form.problem(field::DOCUMENT), sizes),
        sizes,
    ));

    // Birth year (and date when a document gave it), gender.
    let year = text_field(
        form,
        ctx,
        field::BIRTH_YEAR,
        fl!("field-birth_year"),
        &form.birth_year_text,
        Edit::BirthYear,
    );
    let year: Element<'_, Message> = match id.birth_date {
        Some(date) => column![
            year,
            text(format!(
                "{}: {}",
                tr(lang, fl!("field-birth_date")),
                date.format("%d/%m/%Y")
            ))
            .size(sizes.body())
        ]
        .spacing(6)
        .into(),
        None => year,
    };
    let genders: Vec<(Gender, String)> = Gender::ALL
        .iter()
        .map(|g| (*g, tr(lang, &format!("gender-{}", g.key()))))
        .collect();
    let gender = labelled(
        tr(lang, fl!("field-gender")),
        source_badge(lang, form.declaration.sources.get(field::GENDER), sizes),
        options(
            "gender",
            &genders,
            id.gender,
            |g| Message::Edit(Edit::Gender(g)),
            !form.is_locked(field::GENDER),
            sizes,
        ),
        problem_text(lang, form.problem(field::GENDER), sizes),
        sizes,
    );
    page = page.push(
        row![
            container(year).width(Length::FillPortion(1)),
            container(gender).width(Length::FillPortion(1))
        ]
        .spacing(24),
    );

    // Nationality and phone.
    let phone = text_field(
        form,
        ctx,
        field::PHONE,
        fl!("field-phone"),
        &id.phone,
        Edit::Phone,
    );
    page = page.push(
        row![
            container(nationality(form, ctx)).width(Length::FillPortion(1)),
            container(phone).width(Length::FillPortion(1))
        ]
        .spacing(24),
    );

    page = page.push(address_block(form, ctx));
    page = page.push(on_behalf(form, ctx));
    page.into()
}

/// The chosen value of a picker with a "change" button, or the search box
/// and its matches while it is open.
fn picker<'a>(
    ctx: Ctx,
    which: Picker,
    open: bool,
    chosen: Option<String>,
    query: &'a str,
    matches: Vec<(String, Edit)>,
    enabled: bool,
) -> Element<'a, Message> {
    let sizes = ctx.sizes;
    let key = match which {
        Picker::Nationality => "nationality",
        Picker::Province => "province",
        Picker::Ward => "ward",
    };
    match (open, chosen) {
        (false, Some(name)) => row![
            container(text(name).size(sizes.body()).font(theme::FONT_SEMIBOLD))
                .padding(12)
                .width(Length::Fill)
                .style(theme::card)
        ]
        // A locked value has no "change" button at all.
        .push(enabled.then(|| {
            tagged(
                format!("{key}-change"),
                button(text(tr(ctx.lang, fl!("ui-change"))).size(sizes.button()))
                    .padding([sizes.pad(), 18.0])
                    .on_press(Message::Edit(Edit::OpenPicker(Some(which))))
                    .style(theme::secondary),
            )
        }))
        .spacing(10)
        .align_y(Alignment::Center)
        .into(),
        _ => {
            let search = input(
                which.search_id(),
                &tr(ctx.lang, fl!("ui-type-to-search")),
                query,
                enabled.then_some(move |q: String| Message::Edit(Edit::Search(which, q))),
                false,
                sizes,
            );
            let items = matches
                .into_iter()
                .map(|(label, e)| (label, Message::Edit(e)))
                .collect();
            let search = touch_field(search, Message::Focus(which.search_id()));
            column![search, candidates(&format!("{key}-match"), items, sizes)]
                .spacing(8)
                .into()
        }
    }
}

fn country_label(lang: Lang, code: &str) -> String {
    format!("{} ({code})", tr(lang, &country::name_id(code)))
}

fn nationality(form: &Form, ctx: Ctx) -> Element<'_, Message> {
    let id = &form.declaration.identity;
    let open = form.picker == Some(Picker::Nationality);
    let chosen = (!id.nationality.is_empty()).then(|| country_label(ctx.lang, &id.nationality));
    let matches = if open {
        country::search(&form.nationality_query, PICKER_ROWS)
            .into_iter()
            .map(|c| (country_label(ctx.lang, c), Edit::Nationality(c.to_owned())))
            .collect()
    } else {
        Vec::new()
    };
    labelled(
        tr(ctx.lang, fl!("field-nationality")),
        source_badge(
            ctx.lang,
            form.declaration.sources.get(field::NATIONALITY),
            ctx.sizes,
        ),
        picker(
            ctx,
            Picker::Nationality,
            open,
            chosen,
            &form.nationality_query,
            matches,
            !form.is_locked(field::NATIONALITY),
        ),
        problem_text(ctx.lang, form.problem(field::NATIONALITY), ctx.sizes),
        ctx.sizes,
    )
}

fn address_block(form: &Form, ctx: Ctx) -> Element<'_, Message> {
    let (lang, sizes) = (ctx.lang, ctx.sizes);
    let a = &form.declaration.identity.address;
    let mut block = Column::new().spacing(12);
    block = block.push(
        row![
            text(tr(lang, fl!("field-address")))
                .size(sizes.heading())
                .font(theme::FONT_BOLD)
        ]
        .push(source_badge(
            lang,
            form.declaration.sources.get(field::ADDRESS),
            sizes,
        ))
        .spacing(12)
        .align_y(Alignment::Center),
    );
    if !a.printed.is_empty() {
        block = block.push(banner(
            Tone::Warning,
            vec![
                tr(lang, fl!("field-address-printed")),
                a.printed.clone(),
                tr(lang, fl!("ui-address-pick-new")),
            ],
            sizes,
        ));
    }
    let province_open = form.picker == Some(Picker::Province);
    let province_name = address::province(&a.province).map(|p| p.name.clone());
    let province_matches = if province_open || province_name.is_none() {
        address::search_provinces(&form.province_query, PICKER_ROWS)
            .into_iter()
            .map(|p| (p.name.clone(), Edit::Province(p.code.clone())))
            .collect()
    } else {
        Vec::new()
    };
    // With nothing typed the lists stay short: the visitor types to search.
    let province_matches = if form.province_query.trim().is_empty() && !province_open {
        Vec::new()
    } else {
        province_matches
    };
    block = block.push(labelled(
        tr(lang, fl!("field-province")),
        None,
        picker(
            ctx,
            Picker::Province,
            province_open,
            province_name,
            &form.province_query,
            province_matches,
            true,
        ),
        problem_text(lang, form.problem(field::PROVINCE), sizes),
        sizes,
    ));
    if !a.province.is_empty() {
        let ward_open = form.picker == Some(Picker::Ward);
        let ward_name = address::ward(&a.ward).map(|w| w.name.clone());
        let ward_matches = if ward_open {
            address::search_wards(&form.ward_query, Some(&a.province), PICKER_ROWS)
                .into_iter()
                .map(|w| (w.name.clone(), Edit::Ward(w.code.clone())))
                .collect()
        } else {
            Vec::new()
        };
        block = block.push(labelled(
            tr(lang, fl!("field-ward")),
            None,
            picker(
                ctx,
                Picker::Ward,
                ward_open,
                ward_name,
                &form.ward_query,
                ward_matches,
                true,
            ),
            problem_text(lang, form.problem(field::WARD), sizes),
            sizes,
        ));
    }
    block = block.push(text_field(
        form,
        ctx,
        field::STREET,
        fl!("field-street"),
        &a.street,
        Edit::Street,
    ));
    block.into()
}

fn on_behalf(form: &Form, ctx: Ctx) -> Element<'_, Message> {
    let (lang, sizes) = (ctx.lang, ctx.sizes);
    let declarant = form.declaration.on_behalf.as_ref();
    let switch = tagged(
        "on-behalf",
        toggler(declarant.is_some())
            .label(tr(lang, fl!("decl-on-behalf")))
            .size(36.0 * sizes.scale)
            .text_size(sizes.body())
            .spacing(16)
            .on_toggle(|on| Message::Edit(Edit::OnBehalf(on))),
    );
    let mut block = column![switch].spacing(12);
    if let Some(d) = declarant {
        block = block.push(
            row![
                container(text_field(
                    form,
                    ctx,
                    field::DECLARANT_NAME,
                    fl!("field-declarant-name"),
                    &d.name,
                    Edit::DeclarantName,
                ))
                .width(Length::FillPortion(1)),
                container(text_field(
                    form,
                    ctx,
                    field::DECLARANT_PHONE,
                    fl!("field-declarant-phone"),
                    &d.phone,
                    Edit::DeclarantPhone,
                ))
                .width(Length::FillPortion(1))
            ]
            .spacing(24),
        );
    }
    container(block)
        .padding(16)
        .width(Length::Fill)
        .style(theme::card)
        .into()
}
