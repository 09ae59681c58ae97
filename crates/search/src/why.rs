//! Why a listing matched a search's words, worked out the way the search matches them (the
//! same analyser, synonyms and typo allowance), so a card can say it when the title does not
//! show it: "judo" for "martial", "football" in the description, "fotball" taken for
//! "football".

use tantivy::tokenizer::TextAnalyzer;

use crate::IndexedActivity;
use crate::search::fuzziness;
use crate::text::{self, tokens, within_edits};

/// Where in a listing a word was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Title,
    /// The provider's name.
    Provider,
    /// A category or term it is listed under, as it reads ("Sport", "Youth club").
    Kind(String),
    Description,
}

/// How a listing has one word of a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum How {
    /// The word itself, or a form of it ("swim" for "swimming").
    Itself(Part),
    /// Something the word means (`synonyms.toml`): "judo" for "martial".
    Means(String, Part),
    /// A word a letter or two away, taken for a typo: the listing's word.
    Near(String, Part),
    /// Not there: the listing has only some of the words.
    Missing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched {
    /// The word as searched.
    pub word: String,
    pub how: How,
}

/// One part of a listing's text: each word as written, with its token.
struct Words {
    part: Part,
    words: Vec<(String, String)>,
}

impl Words {
    fn new(part: Part, text: &str, analyser: &mut TextAnalyzer) -> Self {
        let words = text::words(text)
            .flat_map(|w| {
                tokens(analyser, &w)
                    .into_iter()
                    .map(move |t| (w.clone(), t))
            })
            .collect();
        Words { part, words }
    }

    fn has(&self, token: &str) -> bool {
        self.words.iter().any(|(_, t)| t == token)
    }
}

/// How `item` has each word of `text` (stop words left out), in the order typed.
/// `taken_for_typo` says which words the search forgave a typo in (those no listing has, as
/// [`crate::SearchIndex::knows`] says): only those can be "near" a listing's word.
pub fn why(
    text: &str,
    item: &IndexedActivity,
    taken_for_typo: impl Fn(&str) -> bool,
) -> Vec<Matched> {
    let mut analyser = text::analyser();
    let a = &item.activity;
    let mut parts = vec![
        Words::new(Part::Title, &a.title, &mut analyser),
        Words::new(Part::Provider, &item.provider.name, &mut analyser),
    ];
    let kinds = a
        .categories
        .iter()
        .map(|c| c.name().to_owned())
        .chain(a.terms.iter().cloned());
    for kind in kinds {
        parts.push(Words::new(Part::Kind(kind.clone()), &kind, &mut analyser));
    }
    parts.push(Words::new(Part::Description, &a.description, &mut analyser));

    // A phrase's tokens must all be in the listing, each in any part; the part named is the
    // first (the most telling) that has one of them.
    let find = |toks: &[String]| -> Option<Part> {
        if !toks.iter().all(|t| parts.iter().any(|p| p.has(t))) {
            return None;
        }
        let first = parts.iter().find(|p| toks.iter().any(|t| p.has(t)))?;
        Some(first.part.clone())
    };
    let mut out = Vec::new();
    for word in text::units(text) {
        let own = tokens(&mut analyser, &word);
        if own.is_empty() {
            continue;
        }
        let how = if let Some(part) = find(&own) {
            How::Itself(part)
        } else if let Some((alt, part)) = text::synonyms(&word)
            .iter()
            .find_map(|alt| Some((alt.clone(), find(&tokens(&mut analyser, alt))?)))
        {
            How::Means(alt, part)
        } else if taken_for_typo(&word) {
            near(&own, &parts).map_or(How::Missing, |(w, p)| How::Near(w, p))
        } else {
            How::Missing
        };
        out.push(Matched { word, how });
    }
    out
}

/// The first of the listing's words within a typo of one of `own`'s tokens, as search
/// forgives one ([`fuzziness`]).
fn near(own: &[String], parts: &[Words]) -> Option<(String, Part)> {
    own.iter().find_map(|t| {
        let limit = usize::from(fuzziness(t));
        let t: Vec<char> = t.chars().collect();
        parts.iter().find_map(|p| {
            p.words
                .iter()
                .find(|(_, tok)| {
                    limit > 0 && within_edits(&t, &tok.chars().collect::<Vec<_>>(), limit)
                })
                .map(|(w, _)| (w.clone(), p.part.clone()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderSummary;
    use signpost_model::fixture;

    fn item(title: &str, description: &str) -> IndexedActivity {
        let p = fixture::provider("p1", "Hull Sports Trust");
        let mut activity = fixture::activity("a1", "p1", title);
        activity.description = description.to_owned();
        IndexedActivity {
            activity,
            provider: ProviderSummary {
                id: p.id,
                name: p.name,
                safeguarding: p.safeguarding,
                verification: p.verification,
            },
        }
    }

    fn how(text: &str, item: &IndexedActivity) -> Vec<(String, How)> {
        // As if only "fotball" were a word no listing has.
        why(text, item, |w| w == "fotball")
            .into_iter()
            .map(|m| (m.word, m.how))
            .collect()
    }

    #[test]
    fn says_where_each_word_is_and_how() {
        let judo = item(
            "Judo Juniors",
            "Throws and falls for beginners. We play football after.",
        );
        assert_eq!(
            how("martial", &judo),
            [("martial".to_owned(), How::Means("judo".into(), Part::Title))]
        );
        assert_eq!(
            how("football", &judo),
            [("football".to_owned(), How::Itself(Part::Description))]
        );
        assert_eq!(
            how("the beginner", &judo),
            [("beginner".to_owned(), How::Itself(Part::Description))],
            "stop words left out, forms of a word found"
        );
        assert_eq!(
            how("fotball skateboarding", &judo),
            [
                (
                    "fotball".to_owned(),
                    How::Near("football".into(), Part::Description)
                ),
                ("skateboarding".to_owned(), How::Missing)
            ]
        );
        assert_eq!(
            how("martial arts", &judo),
            [(
                "martial arts".to_owned(),
                How::Means("judo".into(), Part::Title)
            )],
            "a phrase with a meaning is one"
        );
        assert_eq!(
            how("juniors", &judo),
            [("juniors".to_owned(), How::Itself(Part::Title))]
        );
        assert_eq!(
            how("sports", &judo),
            [("sports".to_owned(), How::Itself(Part::Provider))],
            "the provider's name before the category"
        );
        assert_eq!(
            how("ludo", &judo),
            [("ludo".to_owned(), How::Missing)],
            "a word some listing has is never taken for a typo of another"
        );
        let mut listed = item("Saturday Club", "");
        listed.activity.terms = vec!["Youth club".into()];
        listed.provider.name = "Hull Trust".into();
        assert_eq!(
            how("sport youth", &listed),
            [
                ("sport".to_owned(), How::Itself(Part::Kind("Sport".into()))),
                (
                    "youth".to_owned(),
                    How::Itself(Part::Kind("Youth club".into()))
                )
            ]
        );
    }
}
