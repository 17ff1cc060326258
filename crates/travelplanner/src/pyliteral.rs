//! Python literals as the data files write them (`{'org': 'A', 'cuisine': None, 'days': 3}`):
//! dicts, lists, tuples, single- or double-quoted strings with escapes, integers, floats,
//! `None`, `True`, `False` and `nan`, read into JSON values. Anything else is an error that
//! says where.

use serde_json::{Map, Number, Value};

/// Where and why a literal could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("python literal, byte {at}: {reason}")]
pub struct PyLiteralError {
    /// Byte offset.
    pub at: usize,
    /// What was expected.
    pub reason: String,
}

/// Most nested containers accepted (deeper input is refused, not a stack overflow).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn error<T>(&self, reason: impl Into<String>) -> Result<T, PyLiteralError> {
        Err(PyLiteralError { at: self.at, reason: reason.into() })
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, PyLiteralError> {
        if depth > MAX_DEPTH {
            return self.error("nested too deeply");
        }
        self.skip_space();
        let Some(c) = self.rest().chars().next() else { return self.error("unexpected end") };
        match c {
            '{' => {
                self.at += 1;
                let mut map = Map::new();
                while !self.eat('}') {
                    let key = match self.value(depth + 1)? {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    if !self.eat(':') {
                        return self.error("expected ':'");
                    }
                    let v = self.value(depth + 1)?;
                    map.insert(key, v);
                    if !self.eat(',') && !self.rest().trim_start().starts_with('}') {
                        return self.error("expected ',' or '}'");
                    }
                }
                Ok(Value::Object(map))
            }
            '[' | '(' => {
                let close = if c == '[' { ']' } else { ')' };
                self.at += 1;
                let mut items = Vec::new();
                while !self.eat(close) {
                    items.push(self.value(depth + 1)?);
                    if !self.eat(',') && !self.rest().trim_start().starts_with(close) {
                        return self.error(format!("expected ',' or '{close}'"));
                    }
                }
                Ok(Value::Array(items))
            }
            '\'' | '"' => self.string(c).map(Value::String),
            _ => self.word(),
        }
    }

    fn string(&mut self, quote: char) -> Result<String, PyLiteralError> {
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => {
                    self.at += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, 'x')) => {
                        let hex: String = (0..2).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                        match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                            Some(ch) => out.push(ch),
                            None => return self.error(format!("bad \\x escape {hex:?}")),
                        }
                    }
                    Some((_, 'u')) => {
                        let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                        match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                            Some(ch) => out.push(ch),
                            None => return self.error(format!("bad \\u escape {hex:?}")),
                        }
                    }
                    Some((_, other)) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        self.error("unterminated string")
    }

    fn word(&mut self) -> Result<Value, PyLiteralError> {
        let rest = self.rest();
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "+-._".contains(c))).unwrap_or(rest.len());
        let word = &rest[..len];
        let value = match word {
            "None" | "nan" | "NaN" => Value::Null,
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            "" => return self.error("expected a value"),
            w => match w.parse::<i64>() {
                Ok(i) => Value::Number(i.into()),
                Err(_) => match w.parse::<f64>().ok().and_then(Number::from_f64) {
                    Some(n) => Value::Number(n),
                    None => return self.error(format!("unknown word {w:?}")),
                },
            },
        };
        self.at += len;
        Ok(value)
    }
}

/// Reads one Python literal (surrounding spaces allowed, nothing after it).
pub fn parse(text: &str) -> Result<Value, PyLiteralError> {
    let mut p = Parser { text, at: 0 };
    let v = p.value(0)?;
    p.skip_space();
    if p.at != text.len() {
        return p.error("unexpected text after the value");
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn the_data_files_forms() {
        let v = parse("{'org': 'St. Petersburg', 'date': ['2022-03-16'], 'cuisine': None, 'x': (1, 2.5, True), \"it's\": 'a\\'b'}").unwrap();
        assert_eq!(
            v,
            json!({"org": "St. Petersburg", "date": ["2022-03-16"], "cuisine": null, "x": [1, 2.5, true], "it's": "a'b"})
        );
        assert_eq!(parse("['non-stop', 'airlines','budget']").unwrap(), json!(["non-stop", "airlines", "budget"]));
        assert_eq!(parse(" nan ").unwrap(), Value::Null);
        assert_eq!(parse("'caf\\xe9 \\u00e9'").unwrap(), json!("café é"));
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(parse("{'a' 1}").unwrap_err().reason, "expected ':'");
        assert_eq!(parse("[1, 2").unwrap_err().reason, "expected ',' or ']'");
        assert_eq!(parse("[1,").unwrap_err().reason, "unexpected end");
        assert_eq!(parse("'abc").unwrap_err().reason, "unterminated string");
        assert_eq!(parse("[1] 2").unwrap_err().at, 4);
        assert!(parse(&"[".repeat(1000)).unwrap_err().reason.contains("deeply"));
    }

    /// Python's repr of a JSON value (strings single-quoted, escapes for quote and backslash).
    fn python(v: &Value) -> String {
        match v {
            Value::Null => "None".into(),
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Value::Array(items) => format!("[{}]", items.iter().map(python).collect::<Vec<_>>().join(", ")),
            Value::Object(map) => format!(
                "{{{}}}",
                map.iter()
                    .map(|(k, v)| format!("{}: {}", python(&Value::String(k.clone())), python(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|i| json!(i)),
            "[a-zA-Z0-9 ',.\\\\é&-]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z ']{0,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn round_trips_through_python_repr(v in values()) {
            prop_assert_eq!(parse(&python(&v)).unwrap(), v);
        }

        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,64}") {
            let _ = parse(&text);
        }

        #[test]
        fn never_panics_on_damaged_literals(v in values(), cut in 0usize..64, junk in "[\\[\\](){}:,'\"\\\\]{0,3}") {
            let text = python(&v);
            let mut end = cut.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let _ = parse(&format!("{}{junk}", &text[..end]));
        }
    }
}
