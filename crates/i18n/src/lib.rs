//! Vietnamese and English texts, loaded from the Fluent files under `locales/`.
//!
//! Code never holds user-facing text: it holds a message id written as
//! `fl!("some-id")` (so a test can find every id the code uses) and renders it
//! with [`Localizer::text`] or a [`Message`] in the visitor's language.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// Marks a Fluent message id in code. It expands to the literal itself; the
/// locale tests grep for it to prove that every id used exists in both languages.
#[macro_export]
macro_rules! fl {
    ($id:literal) => {
        $id
    };
}

/// A language the kiosk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt, the default.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The other language (for a two-way switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" | "vie" => Ok(Lang::Vi),
            "en" | "en-us" | "en-gb" | "eng" => Ok(Lang::En),
            other => Err(format!("unknown language {other:?} (use vi or en)")),
        }
    }
}

/// A user-facing message: a Fluent id and its arguments, rendered late so the
/// visitor can switch language after the message was produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The Fluent message id.
    pub id: Cow<'static, str>,
    /// Named arguments, already formatted as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(Cow<'static, str>, String)>,
}

impl Message {
    /// A message without arguments.
    pub fn new(id: &'static str) -> Self {
        Self {
            id: Cow::Borrowed(id),
            args: Vec::new(),
        }
    }

    /// Adds a named argument.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((Cow::Borrowed(name), value.to_string()));
        self
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, &str)> = self
            .args
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_str()))
            .collect();
        Localizer::global().format(lang, &self.id, &args)
    }
}

type Bundle = FluentBundle<FluentResource>;

/// Both languages' bundles.
pub struct Localizer {
    vi: Bundle,
    en: Bundle,
}

impl fmt::Debug for Localizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Localizer")
    }
}

impl Localizer {
    /// The texts embedded at build time, parsed once.
    pub fn global() -> &'static Localizer {
        static CELL: OnceLock<Localizer> = OnceLock::new();
        CELL.get_or_init(|| Localizer {
            vi: build_bundle(Lang::Vi, embedded::VI),
            en: build_bundle(Lang::En, embedded::EN),
        })
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// Whether `id` exists in `lang`.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).has_message(id)
    }

    /// The text of `id` in `lang`, without arguments.
    pub fn text(&self, lang: Lang, id: &str) -> String {
        self.format(lang, id, &[])
    }

    /// The text of `id` in `lang` with named arguments. A missing id renders
    /// as the id itself (and is logged), never as a panic.
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, lang = lang.code(), "missing Fluent message");
            return id.to_owned();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            // Numbers stay numbers so Fluent can pick plural forms.
            let value = v
                .parse::<f64>()
                .map_or_else(|_| FluentValue::from(*v), FluentValue::from);
            fargs.set(*k, value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, lang = lang.code(), ?errors, "Fluent formatting problem");
        }
        text.into_owned()
    }

    /// Every message id of `lang`, for the parity tests.
    pub fn ids(lang: Lang) -> Vec<String> {
        let files = match lang {
            Lang::Vi => embedded::VI,
            Lang::En => embedded::EN,
        };
        let mut ids = Vec::new();
        for (_, source) in files {
            if let Ok(res) = fluent_syntax::parser::parse(*source) {
                for entry in res.body {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        ids.push(m.id.name.to_owned());
                    }
                }
            }
        }
        ids
    }
}

fn build_bundle(lang: Lang, files: &[(&str, &str)]) -> Bundle {
    let langid = match lang {
        Lang::Vi => unic_langid::langid!("vi"),
        Lang::En => unic_langid::langid!("en"),
    };
    let mut bundle = Bundle::new_concurrent(vec![langid]);
    // GUI text: no Unicode isolation marks around arguments.
    bundle.set_use_isolating(false);
    for (name, source) in files {
        match FluentResource::try_new((*source).to_owned()) {
            Ok(res) => {
                if let Err(errors) = bundle.add_resource(res) {
                    tracing::error!(file = name, ?errors, "duplicate Fluent ids");
                }
            }
            Err((res, errors)) => {
                tracing::error!(file = name, ?errors, "Fluent syntax errors");
                let _ = bundle.add_resource(res);
            }
        }
    }
    bundle
}

/// Shorthand: the text of `id` in `lang`.
pub fn t(lang: Lang, id: &str) -> String {
    Localizer::global().text(lang, id)
}

/// Shorthand: the text of `id` in `lang` with arguments.
pub fn t_args(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    Localizer::global().format(lang, id, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_both_languages() {
        assert_eq!(t(Lang::Vi, fl!("app-name")), "Trạm kiểm soát y tế");
        assert_eq!(t(Lang::En, fl!("app-name")), "Health checkpoint");
    }

    #[test]
    fn missing_id_renders_as_id() {
        assert_eq!(t(Lang::En, "no-such-message-id"), "no-such-message-id");
    }

    #[test]
    fn arguments_are_not_isolated() {
        let m = Message::new(fl!("error-file-read")).arg("path", "/x");
        assert!(m.render(Lang::En).contains("/x"));
        assert!(!m.render(Lang::En).contains('\u{2068}'));
    }

    #[test]
    fn lang_parses() {
        assert_eq!("VI".parse::<Lang>(), Ok(Lang::Vi));
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().is_err());
    }
}
