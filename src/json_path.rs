//! Where in a JSON body a decode failed, found from the error's position.
//!
//! Decoding a second time through a path-tracking deserializer would name the
//! path too, but it instantiates every response type's `Deserialize` a second
//! time, for a second deserializer type: that doubled the SDK's deserialization
//! code, which every user compiles. serde_json already says *where* it stopped
//! (line and column); a scan of the bytes before that point says what was open
//! there. The format is the usual one: `items[3].amount`, `.` for the root.

/// The path of the value that was being decoded when `error` happened.
pub(crate) fn path_at(body: &[u8], error: &serde_json::Error) -> String {
    let at = offset(body, error.line(), error.column());
    let message = error.to_string();
    let Scan {
        mut open,
        last_closed,
    } = scan(&body[..at]);
    // A visitor that refuses a sequence it was handed does so right after the
    // `[`: the error is about the array, not about an element of it. (Refused
    // before it was read, the `[` is still ahead, and the scan has not opened it.)
    if body.get(at) != Some(&b'[') && message.starts_with("invalid type: sequence") {
        if let Some(Frame::Array { index: None, .. }) = open.last() {
            open.pop();
        }
    }
    let mut path = render(&open);
    // An exact decimal is checked after serde_json has handed its text over,
    // so serde_json places the error at the end of the enclosing object; the
    // field is the first one there whose text the message quotes.
    if let (Some(quoted), Some(object)) = (decimal_quoted(&message), last_closed) {
        if let Some(key) = first_member_with_text(&body[object], quoted) {
            if path == "." {
                path.clear();
            } else {
                path.push('.');
            }
            path.push_str(&key);
        }
    }
    path
}

/// The text quoted by `wire::parse_decimal`'s message, without a shortening mark.
fn decimal_quoted(message: &str) -> Option<&str> {
    let quoted = message.strip_prefix('`')?;
    let (quoted, rest) = quoted.split_once('`')?;
    rest.starts_with(" is not a decimal number")
        .then(|| quoted.split('…').next().unwrap_or(quoted))
}

/// In document order, the first member of a JSON object whose value's text
/// (quotes and blanks trimmed) starts with `text`.
fn first_member_with_text(object: &[u8], text: &str) -> Option<String> {
    let members: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_slice(object).ok()?;
    let mut members: Vec<_> = members.into_iter().collect();
    members.sort_by_key(|(_, raw)| raw.get().as_ptr() as usize);
    members
        .into_iter()
        .find(|(_, raw)| {
            let value = raw.get().trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            value.trim().starts_with(text)
        })
        .map(|(key, _)| key)
}

/// serde_json's (1-based line, byte column) as an index into `body`.
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match body[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => return body.len(),
        }
    }
    (start + column).min(body.len())
}

enum Frame {
    Object {
        key: Option<String>,
        state: Expect,
    },
    Array {
        index: Option<usize>,
        awaiting: bool,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    Key,
    Colon,
    Value,
    /// A value has started or finished; the key stays until the next comma,
    /// because a type error is reported just after the value it is about.
    Comma,
}

struct Scan {
    /// The containers still open, innermost last.
    open: Vec<Frame>,
    /// The span of the object that closed last, when nothing opened after it.
    last_closed: Option<std::ops::Range<usize>>,
}

/// What is open after `prefix`.
fn scan(prefix: &[u8]) -> Scan {
    let mut stack: Vec<(Frame, usize)> = Vec::new();
    let mut last_closed = None;
    let mut i = 0;
    while i < prefix.len() {
        let b = prefix[i];
        match b {
            b'{' | b'[' => {
                value_starts(&mut stack);
                last_closed = None;
                let frame = if b == b'{' {
                    Frame::Object {
                        key: None,
                        state: Expect::Key,
                    }
                } else {
                    Frame::Array {
                        index: None,
                        awaiting: true,
                    }
                };
                stack.push((frame, i));
            }
            b'}' | b']' => {
                last_closed = match stack.pop() {
                    Some((Frame::Object { .. }, start)) => Some(start..i + 1),
                    _ => None,
                };
            }
            b':' => {
                if let Some((Frame::Object { state, .. }, _)) = stack.last_mut() {
                    *state = Expect::Value;
                }
            }
            b',' => {
                last_closed = None;
                match stack.last_mut() {
                    Some((Frame::Object { key, state }, _)) => {
                        *key = None;
                        *state = Expect::Key;
                    }
                    Some((Frame::Array { awaiting, .. }, _)) => *awaiting = true,
                    None => {}
                }
            }
            b'"' => {
                let end = string_end(prefix, i);
                last_closed = None;
                match stack.last_mut() {
                    Some((Frame::Object { key, state }, _)) if *state == Expect::Key => {
                        let raw = &prefix[i..end];
                        *key = Some(
                            serde_json::from_slice::<String>(raw)
                                .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned()),
                        );
                        *state = Expect::Colon;
                    }
                    _ => value_starts(&mut stack),
                }
                i = end;
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            // A number or literal: one value, whatever its length.
            _ => {
                value_starts(&mut stack);
                last_closed = None;
                while i < prefix.len() && !b",:{}[]\" \t\n\r".contains(&prefix[i]) {
                    i += 1;
                }
                continue;
            }
        }
        i += 1;
    }
    Scan {
        open: stack.into_iter().map(|(frame, _)| frame).collect(),
        last_closed,
    }
}

/// Index just past the string that opens at `start` (or the end of the prefix).
fn string_end(prefix: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < prefix.len() {
        match prefix[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    prefix.len()
}

fn value_starts(stack: &mut [(Frame, usize)]) {
    match stack.last_mut() {
        Some((Frame::Object { state, .. }, _)) => *state = Expect::Comma,
        Some((Frame::Array { index, awaiting }, _)) if *awaiting => {
            *index = Some(index.map_or(0, |i| i + 1));
            *awaiting = false;
        }
        _ => {}
    }
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object {
                key: Some(key),
                state: Expect::Value | Expect::Comma,
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array { index, awaiting } => {
                // Between elements, the error is about the next one (a value
                // refused before it was read), unless nothing follows.
                let at = match (index, awaiting) {
                    (Some(i), false) => Some(*i),
                    (i, true) => Some(i.map_or(0, |i| i + 1)),
                    (None, false) => None,
                };
                if let Some(at) = at {
                    path.push_str(&format!("[{at}]"));
                }
            }
            Frame::Object { .. } => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types;
    use serde::de::DeserializeOwned;
    use serde_json::{json, Value};

    /// The path serde_path_to_error (a dev-dependency) finds, beside ours.
    fn both<T: DeserializeOwned>(body: &str) -> (String, String) {
        let de = &mut serde_json::Deserializer::from_str(body);
        let expected = match serde_path_to_error::deserialize::<_, T>(de) {
            Err(e) => e.path().to_string(),
            Ok(_) => panic!("{body} decoded"),
        };
        let error = serde_json::from_str::<T>(body).err().expect("fails");
        (path_at(body.as_bytes(), &error), expected)
    }

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/tests/fixtures/responses/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("json")
    }

    #[test]
    fn names_the_field_the_array_element_and_the_root() {
        // An array where an object belongs fails at the array itself: the
        // generated decoders read objects only (no positional structs).
        let customer = [(r#"{"id": 5}"#, "id"), (r#""5""#, "."), (r#"[1]"#, ".")];
        let list = [
            (
                r#"{"items": [], "object": "list", "pagination": {"total": "many"}}"#,
                "pagination.total",
            ),
            ("{\n  \"items\": [\n {\"id\": 1}]}", "items[0].id"),
        ];
        for (body, path) in customer {
            assert_eq!(
                both::<types::Customer>(body),
                (path.to_string(), path.to_string())
            );
        }
        for (body, path) in list {
            assert_eq!(
                both::<types::CustomersList>(body),
                (path.to_string(), path.to_string())
            );
        }
    }

    /// Every way of breaking every field of a real list answer: each required
    /// key removed, each value replaced by a wrong type. The path must be the
    /// one a path-tracking deserializer reports.
    #[test]
    fn agrees_with_a_path_tracking_deserializer_on_every_field() {
        let mut item = fixture("GetTransaction");
        item["customer_id"] = json!("C\"x\\y");
        let list = json!({
            "object": "list",
            "items": [item.clone(), item],
            "pagination": {"end": "a", "has_next": false, "has_previous": false, "limit": 20, "start": "b", "total": 2},
        });
        let mut cases = 0;
        for pointer in pointers(&list, String::new()) {
            for breakage in [
                json!({"x": 1}),
                json!([1, 2]),
                json!(true),
                json!("s"),
                json!(1.5),
            ] {
                let mut broken = list.clone();
                *broken.pointer_mut(&pointer).unwrap() = breakage;
                for text in [
                    broken.to_string(),
                    serde_json::to_string_pretty(&broken).unwrap(),
                ] {
                    if serde_json::from_str::<types::TransactionsList>(&text).is_ok() {
                        continue;
                    }
                    let (ours, theirs) = both::<types::TransactionsList>(&text);
                    assert_eq!(ours, theirs, "{pointer} in {text}");
                    cases += 1;
                }
            }
            if let Some((parent, key)) = pointer.rsplit_once('/') {
                let mut broken = list.clone();
                if let Some(Value::Object(map)) = broken.pointer_mut(parent) {
                    map.remove(key);
                }
                let text = broken.to_string();
                if serde_json::from_str::<types::TransactionsList>(&text).is_err() {
                    let (ours, theirs) = both::<types::TransactionsList>(&text);
                    assert_eq!(ours, theirs, "without {pointer}");
                    cases += 1;
                }
            }
        }
        assert!(cases > 100, "only {cases} cases failed to decode");
    }

    fn pointers(v: &Value, at: String) -> Vec<String> {
        let mut out = Vec::new();
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let p = format!("{at}/{k}");
                    out.push(p.clone());
                    out.extend(pointers(child, p));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let p = format!("{at}/{i}");
                    out.push(p.clone());
                    out.extend(pointers(child, p));
                }
            }
            _ => {}
        }
        out
    }

    #[test]
    fn truncated_and_garbled_bodies_never_panic() {
        let text = fixture("GetTransaction").to_string();
        for cut in 0..text.len() {
            let body = &text.as_bytes()[..cut];
            if let Err(e) = serde_json::from_slice::<types::Transaction>(body) {
                let _ = path_at(body, &e);
            }
        }
    }
}
