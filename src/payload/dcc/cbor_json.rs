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

fn key_text(key: &Value) -> String {
    match key {
        Value::Text(s) => s.clone(),
        Value::Integer(i) => i128::from(*i).to_string(),
        other => to_json(other).to_string(),
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
