//! What went wrong in a JSON document, said without its values. serde_json's
//! own message quotes the offending value (`invalid type: string "0987…"`),
//! which may be a phone or an ID number: such text must reach neither an
//! answer, a log line nor the audit log.

/// The kind of error and where it is, e.g. `JSON data error at line 1, column 42`.
pub fn json_problem(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "read",
        serde_json::error::Category::Syntax => "syntax",
        serde_json::error::Category::Data => "data",
        serde_json::error::Category::Eof => "unexpected end",
    };
    format!(
        "JSON {kind} error at line {}, column {}",
        e.line(),
        e.column()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Phone {
        #[allow(dead_code)]
        phone: u64,
    }

    #[test]
    fn names_the_kind_and_place_but_not_the_value() {
        let e = serde_json::from_str::<Phone>(r#"{"phone": "0987654321 NGUYEN VAN A"}"#)
            .expect_err("a string is not a number");
        assert!(e.to_string().contains("0987654321"), "serde quotes it: {e}");
        let said = json_problem(&e);
        assert_eq!(said, "JSON data error at line 1, column 35");
        let e = serde_json::from_str::<Phone>(r#"{"phone": 0987"#).expect_err("truncated");
        assert!(!json_problem(&e).contains("0987"), "{}", json_problem(&e));
    }
}
