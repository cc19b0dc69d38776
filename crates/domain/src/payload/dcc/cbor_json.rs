//! CBOR values as JSON, the form the DCC schema and the conformance vectors use.

use base64::Engine;
use ciborium::Value;
use serde_json::{Map, Number, Value as Json};

/// Converts CBOR to JSON: integer and text map keys become strings, byte
/// strings become base64, date tags (0, 1) become RFC 3339 text.
pub fn to_json(value: &Value) -> Json {
    match value {
        Value::Integer(i) => {
            let i = i128::from(*i);
            if let Ok(n) = i64::try_from(i) {
                Json::Number(n.into())
            } else if let Ok(n) = u64::try_from(i) {
                Json::Number(n.into())
            } else {
                Number::from_f64(i as f64).map_or(Json::Null, Json::Number)
            }
        }
        Value::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Text(s) => Json::String(s.clone()),
        Value::Bytes(b) => Json::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::Bool(b) => Json::Bool(*b),
        Value::Null => Json::Null,
        Value::Tag(1, inner) => epoch_to_text(inner).unwrap_or_else(|| to_json(inner)),
        Value::Tag(_, inner) => to_json(inner),
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                map.insert(key_text(k), to_json(v));
            }
            Json::Object(map)
        }
        _ => Json::Null,
    }
}

/// A map key as the text of a JSON object key. Text and integer keys are
/// themselves; any other key (never in a genuine certificate) is written in
/// a compact diagnostic form whose size stays proportional to the key's own.
/// (Writing it as JSON text would escape every inner key again at each level
/// of nesting and double its size per level: a 140-byte certificate of
/// map-keyed maps took 8 s and 800 MB before.)
fn key_text(key: &Value) -> String {
    match key {
        Value::Text(s) => s.clone(),
        Value::Integer(i) => i128::from(*i).to_string(),
        other => {
            let mut out = String::new();
            diagnostic(other, &mut out);
            out
        }
    }
}

/// CBOR diagnostic-like notation, nothing escaped, one pass over the value.
fn diagnostic(value: &Value, out: &mut String) {
    use std::fmt::Write as _;
    match value {
        Value::Text(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        Value::Integer(i) => out.push_str(&i128::from(*i).to_string()),
        Value::Float(f) => out.push_str(&f.to_string()),
        Value::Bytes(b) => {
            out.push_str("h'");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
            out.push('\'');
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
        Value::Tag(tag, inner) => {
            let _ = write!(out, "{tag}(");
            diagnostic(inner, out);
            out.push(')');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                diagnostic(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                diagnostic(k, out);
                out.push_str(": ");
                diagnostic(v, out);
            }
            out.push('}');
        }
        _ => out.push_str("undefined"),
    }
}

fn epoch_to_text(value: &Value) -> Option<Json> {
    let secs = match value {
        Value::Integer(i) => i64::try_from(*i).ok()?,
        Value::Float(f) if f.is_finite() => *f as i64,
        _ => return None,
    };
    let time = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(Json::String(time.format("%Y-%m-%dT%H:%M:%SZ").to_string()))
}

/// Converts JSON to CBOR (text keys; integral numbers as integers).
pub fn from_json(value: &Json) -> Value {
    match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Value::Integer(i.into()),
            (_, Some(u), _) => Value::Integer(u.into()),
            (_, _, Some(f)) => Value::Float(f),
            _ => Value::Null,
        },
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(from_json).collect()),
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (Value::Text(k.clone()), from_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complex_keys_stay_as_small_as_the_key() {
        // {{{...{0: 0}...: 0}: 0}: 0}, 28 levels of maps used as keys.
        let mut key = Value::Integer(0.into());
        for _ in 0..28 {
            key = Value::Map(vec![(key, Value::Integer(0.into()))]);
        }
        let json = to_json(&Value::Map(vec![(key, Value::Null)]));
        let text = json.to_string();
        assert!(text.len() < 400, "{} bytes", text.len());
        assert!(text.starts_with(r#"{"{{{"#), "{text}");
        let small = Value::Map(vec![(
            Value::Array(vec![Value::Text("a".into()), Value::Bytes(vec![1, 255])]),
            Value::Bool(true),
        )]);
        assert_eq!(to_json(&small).to_string(), r#"{"[\"a\", h'01ff']":true}"#);
    }
}
