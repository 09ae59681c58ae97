//! Text from outside sources, made safe to store as plain text.
//!
//! Feeds put HTML in descriptions (`<p>`, `<br>`, entities, now and then a `<script>`). Signpost
//! stores text, never markup: tags are dropped, entities decoded, scripts and styles removed
//! whole, and block-level breaks kept as line breaks so paragraphs survive.

use html5gum::{DefaultEmitter, Token, Tokenizer};
use signpost_model::{Email, Phone, WebUrl};

/// Tags whose contents are never text a person should read.
const DROPPED: &[&[u8]] = &[
    b"script",
    b"style",
    b"template",
    b"noscript",
    b"iframe",
    b"object",
];

/// Tags that end a line of text.
const BLOCK: &[&[u8]] = &[
    b"br",
    b"p",
    b"div",
    b"li",
    b"ul",
    b"ol",
    b"tr",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"section",
    b"article",
    b"blockquote",
    b"table",
    b"hr",
];

/// Plain text from a value that may hold HTML: tags removed, entities decoded, whitespace
/// tidied (runs of spaces become one, at most one blank line between paragraphs).
pub fn plain(input: &str) -> String {
    // Cheap path: nothing that looks like markup or an entity.
    if !input.contains('<') && !input.contains('&') {
        return tidy(input);
    }
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut out = String::with_capacity(input.len());
    let mut skipping: Option<Vec<u8>> = None;
    for token in Tokenizer::new_with_emitter(input, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if skipping.is_none() && DROPPED.contains(&name.as_slice()) && !tag.self_closing {
                    skipping = Some(name);
                } else if BLOCK.contains(&name.as_slice()) {
                    out.push('\n');
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if skipping.as_deref() == Some(name.as_slice()) {
                    skipping = None;
                } else if BLOCK.contains(&name.as_slice()) {
                    out.push('\n');
                }
            }
            Token::String(s) if skipping.is_none() => {
                out.push_str(&String::from_utf8_lossy(&s));
            }
            _ => {}
        }
    }
    tidy(&out)
}

/// One line of plain text (a title, a name): as [`plain`], with line breaks made spaces.
pub fn line(input: &str) -> String {
    plain(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Some(plain line)` unless it is blank.
pub fn some_line(input: Option<&str>) -> Option<String> {
    input.map(line).filter(|s| !s.is_empty())
}

fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_lines = 0;
    for raw in s.lines() {
        let words: Vec<&str> = raw.split_whitespace().collect();
        if words.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        out.push_str(&words.join(" "));
    }
    out
}

/// A web address from a source's text: tidied to one line, then [`WebUrl::parse`] (the one
/// rule); `None` when it is not one.
pub(crate) fn web_address(s: &str) -> Option<WebUrl> {
    WebUrl::parse(&line(s)).ok()
}

/// An email address from a source's text ([`Email::parse`]).
pub(crate) fn email_address(s: &str) -> Option<Email> {
    Email::parse(&line(s)).ok()
}

/// A phone number from a source's text ([`Phone::parse`]).
pub(crate) fn phone_number(s: &str) -> Option<Phone> {
    Phone::parse(&line(s)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text_and_scripts_vanish() {
        let html = "<p>Fun &amp; games</p><script>alert('x')</script><p>Ages 8&ndash;11<br>Bring trainers</p>";
        assert_eq!(
            plain(html),
            "Fun & games\n\nAges 8\u{2013}11\nBring trainers"
        );
    }

    #[test]
    fn escaped_markup_stays_visible_as_text() {
        // "&lt;b&gt;" is text that shows angle brackets; it must not become a tag.
        assert_eq!(plain("a &lt;b&gt; c"), "a <b> c");
    }

    #[test]
    fn plain_text_is_tidied_but_kept() {
        assert_eq!(
            plain("  Football   for\n\n\n\nall  "),
            "Football for\n\nall"
        );
        assert_eq!(line("Under 11s\nFootball"), "Under 11s Football");
        assert_eq!(plain("5 < 6 and 7 > 3"), "5 < 6 and 7 > 3");
    }

    #[test]
    fn style_and_unclosed_tags_do_not_leak() {
        assert_eq!(
            plain("<style>p{color:red}</style>Hello <b>there"),
            "Hello there"
        );
        assert_eq!(plain("<img src=x onerror=alert(1)>Hi"), "Hi");
    }
}
