//! Reading a declaration handed over as JSON (`declare --json`): bytes from
//! outside, so every failure is a localised message, never a panic.

use std::io::Read;

use checkpoint_domain::declaration::Declaration;
use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

/// The largest JSON accepted. A complete declaration is a few kilobytes.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;

/// Reads at most [`MAX_INPUT_BYTES`] (+1, to tell "too large") from `source`.
pub fn read_limited<R: Read>(source: R, name: &str) -> Result<Vec<u8>, Message> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_INPUT_BYTES + 1).unwrap_or(u64::MAX);
    source.take(limit).read_to_end(&mut bytes).map_err(|e| {
        Message::new(fl!("error-file-read"))
            .arg("path", name)
            .arg("reason", e)
    })?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Message::new(fl!("store-input-too-large")).arg("max", MAX_INPUT_BYTES));
    }
    Ok(bytes)
}

/// Parses a declaration; `deny_unknown_fields` in the model rejects typos.
pub fn parse_declaration(bytes: &[u8]) -> Result<Declaration, Message> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Message::new(fl!("store-input-too-large")).arg("max", MAX_INPUT_BYTES));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Message::new(fl!("store-input-not-utf8")).arg("offset", e.valid_up_to()))?;
    // Windows editors like to start files with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Message::new(fl!("store-input-empty")));
    }
    serde_json::from_str(text).map_err(|e| json_error(&e))
}

/// Turns a serde error into a message staff can act on.
fn json_error(e: &serde_json::Error) -> Message {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let reason = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    let at = |m: Message| m.arg("line", e.line()).arg("column", e.column());
    if let Some(name) = between(&reason, "unknown field `", "`") {
        return at(Message::new(fl!("store-input-unknown-field")).arg("field", name));
    }
    if let Some(name) = between(&reason, "missing field `", "`") {
        return at(Message::new(fl!("store-input-missing-field")).arg("field", name));
    }
    if let Some(value) = between(&reason, "unknown variant `", "`") {
        return at(Message::new(fl!("store-input-unknown-value")).arg("value", value));
    }
    if reason.starts_with("invalid type") || reason.starts_with("invalid value") {
        return at(Message::new(fl!("store-input-wrong-type")).arg("reason", reason));
    }
    at(Message::new(fl!("error-json")).arg("reason", reason))
}

/// The text between `start` and the next `end`, truncated for display.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<String> {
    let rest = text.strip_prefix(start)?;
    let found: &'a str = rest.split(end).next()?;
    Some(found.chars().take(60).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(bytes: &[u8]) -> String {
        parse_declaration(bytes).unwrap_err().id.into_owned()
    }

    #[test]
    fn the_example_parses() {
        let json = serde_json::to_vec(&Declaration::example()).unwrap();
        assert_eq!(parse_declaration(&json).unwrap(), Declaration::example());
        let mut with_bom = "\u{feff}".as_bytes().to_vec();
        with_bom.extend(&json);
        assert!(parse_declaration(&with_bom).is_ok());
    }

    #[test]
    fn each_kind_of_bad_input_has_its_message() {
        assert_eq!(id_of(b""), "store-input-empty");
        assert_eq!(
            id_of(b"{\"identity\": {\"full_nam\": \"A\"}}"),
            "store-input-unknown-field"
        );
        assert_eq!(id_of(b"{\"consent\": \"yes\"}"), "store-input-wrong-type");
        assert_eq!(id_of(b"{\"lang\": \"fr\"}"), "store-input-unknown-value");
        assert_eq!(
            id_of(b"{\"identity\": {\"document\": {\"kind\": \"cccd\"}}}"),
            "store-input-missing-field"
        );
        assert_eq!(id_of(b"{\"consent\": tru"), "error-json");
        assert_eq!(
            id_of(b"{\"identity\": {\"full_name\": \"\xff\"}}"),
            "store-input-not-utf8"
        );
        assert_eq!(
            id_of(&vec![b' '; MAX_INPUT_BYTES + 1]),
            "store-input-too-large"
        );
    }

    #[test]
    fn unknown_field_names_the_field_and_place() {
        let m = parse_declaration(b"{\n  \"consnt\": true\n}").unwrap_err();
        assert!(
            m.args.iter().any(|(k, v)| k == "field" && v == "consnt"),
            "{m:?}"
        );
        assert!(m.args.iter().any(|(k, v)| k == "line" && v == "2"), "{m:?}");
    }

    #[test]
    fn reading_stops_past_the_limit() {
        let big = std::io::repeat(b'x').take(10 * 1024 * 1024);
        let m = read_limited(big, "-").unwrap_err();
        assert_eq!(m.id, "store-input-too-large");
        assert_eq!(read_limited(&b"{}"[..], "-").unwrap(), b"{}");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = parse_declaration(&bytes);
        }

        #[test]
        fn arbitrary_json_shapes_never_panic(s in "\\{(\"[a-z_]{1,12}\": ?(true|1|\"x\"|null|\\[\\]|\\{\\}),? ?){0,6}\\}") {
            let _ = parse_declaration(s.as_bytes());
        }
    }
}
