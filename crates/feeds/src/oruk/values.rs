//! Reading values: the small readers every part uses (strings, ids, numbers, dates, lists, words).

use super::*;

/// A non-empty string field.
pub(super) fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// An id as text: ids are strings in 3.0 and sometimes numbers in 1.0.
pub(super) fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number, or text holding one.
pub(super) fn number_at(v: &Value, key: &str) -> Option<f64> {
    match v.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

/// A date at the start of a field ("2026-01-31" or "2026-01-31T00:00:00Z").
pub(super) fn date_at(v: &Value, key: &str) -> Option<NaiveDate> {
    let s = str_at(v, key)?.trim();
    s.get(..10)?.parse().ok()
}

/// The elements of every list under any of `keys` (servers disagree on plural forms).
pub(super) fn items<'a>(v: &'a Value, keys: &'a [&'a str]) -> impl Iterator<Item = &'a Value> + 'a {
    keys.iter()
        .filter_map(move |k| v.get(*k).and_then(Value::as_array))
        .flatten()
}

pub(super) fn first_u64(map: &Map<String, Value>, keys: &[&str]) -> Option<u64> {
    keys.iter().find_map(|k| match map.get(*k)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

pub(super) fn first_bool(map: &Map<String, Value>, keys: &[&str]) -> Option<bool> {
    keys.iter().find_map(|k| match map.get(*k)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

pub(super) fn push_unique_ci(list: &mut Vec<String>, item: String) {
    if !list.iter().any(|l| l.eq_ignore_ascii_case(&item)) {
        list.push(item);
    }
}

/// `word` appears in lowercase `text` as a whole word.
pub(super) fn mentions(text: &str, word: &str) -> bool {
    word_at(text, word, true)
}

/// `word` appears in lowercase `text` at the start of a word ("bursar" in "bursaries").
pub(super) fn mentions_start(text: &str, word: &str) -> bool {
    word_at(text, word, false)
}

pub(super) fn word_at(text: &str, word: &str, whole: bool) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(word).any(|(i, _)| {
        boundary(text[..i].chars().next_back())
            && (!whole || boundary(text[i + word.len()..].chars().next()))
    })
}
