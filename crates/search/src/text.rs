//! How text is analysed: one analyser for indexing and querying (lowercase, accents folded,
//! English stop words dropped, English stemming), and the youth synonym list.

use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// The name the analyser is registered under in the index.
pub const ANALYSER: &str = "signpost_en";

pub fn analyser() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(Language::English) {
        Some(stop) => builder.filter(stop).filter(CachedStemmer).build(),
        None => builder.filter(CachedStemmer).build(),
    }
}

/// How many stems one analyser keeps before it starts again. A directory's words number in
/// the tens of thousands; each is at most 40 bytes (longer tokens are dropped first).
const MAX_STEMS: usize = 1 << 16;

/// tantivy's English stemmer behind a cache of the words it has already stemmed. A rebuild
/// stems every word of every listing, and the same few thousand words come again and again:
/// the stemmer was a ninth of a rebuild's work at a million listings. The stems are tantivy's
/// own (a miss asks it), so the index and queries agree with an index made without the
/// cache. Each copy of the analyser (tantivy takes one per field per segment being written)
/// has its own cache.
#[derive(Clone, Copy)]
struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner,
            stems: Stems {
                stemmer: TextAnalyzer::builder(RawTokenizer::default())
                    .filter(Stemmer::new(Language::English))
                    .build(),
                known: HashMap::new(),
            },
        }
    }
}

#[derive(Clone)]
struct CachedStemmerFilter<T> {
    inner: T,
    stems: Stems,
}

#[derive(Clone)]
struct Stems {
    /// The whole word as one token, stemmed.
    stemmer: TextAnalyzer,
    known: HashMap<String, String>,
}

impl Stems {
    /// Replaces `word` with its stem.
    fn stem(&mut self, word: &mut String) {
        if let Some(stem) = self.known.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(word);
            if stream.advance() {
                stream.token().text.clone()
            } else {
                word.clone()
            }
        };
        if self.known.len() >= MAX_STEMS {
            self.known.clear();
        }
        self.known
            .insert(std::mem::replace(word, stem.clone()), stem);
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

struct CachedStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut Stems,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stems.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// One reviewed entry of `synonyms.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Synonym {
    word: String,
    means: Vec<String>,
    /// A listing title the word must find (the tests).
    #[allow(dead_code, reason = "read by the tests")]
    finds: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymFile {
    synonym: Vec<Synonym>,
}

/// The reviewed file, read once.
static SYNONYMS: std::sync::LazyLock<Vec<Synonym>> = std::sync::LazyLock::new(|| {
    toml::from_str::<SynonymFile>(include_str!("synonyms.toml"))
        .map(|f| f.synonym)
        .unwrap_or_else(|e| panic!("src/synonyms.toml is not valid: {e}"))
});

/// Words that say what kind of thing people want, which almost any listing could be ("football
/// club", "art classes", "swimming lessons", "things to do"), and the words of asking itself
/// ("what can my son do", "anything on", "im 12", "support for", and as typed on a phone or in
/// Hull, "wat", "u", "owt"). Search never requires them: a listing is not hidden because it says
/// "sessions" where the person said "club", or never says "anything".
/// English stop words are here too: left alone beside these, they are not something to find.
const GENERIC: &[&str] = &[
    "a",
    "activities",
    "activity",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anybody",
    "anyone",
    "anything",
    "are",
    "area",
    "around",
    "as",
    "at",
    "be",
    "been",
    "best",
    "but",
    "by",
    "can",
    "can't",
    "cant",
    "child",
    "children",
    "class",
    "classes",
    "club",
    "clubs",
    "could",
    "course",
    "courses",
    "daughter",
    "did",
    "do",
    "does",
    "doesn't",
    "doesnt",
    "doing",
    "don't",
    "dont",
    "find",
    "for",
    "fun",
    "get",
    "go",
    "going",
    "good",
    "group",
    "groups",
    "had",
    "has",
    "have",
    "he",
    "he's",
    "help",
    "her",
    "him",
    "his",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "join",
    "just",
    "kid",
    "kids",
    "learn",
    "lesson",
    "lessons",
    "let's",
    "like",
    "local",
    "looking",
    "me",
    "more",
    "my",
    "near",
    "nearby",
    "need",
    "new",
    "nice",
    "no",
    "not",
    "of",
    "on",
    "or",
    "other",
    "our",
    "owt",
    "people",
    "places",
    "play",
    "playing",
    "please",
    "pls",
    "plz",
    "really",
    "session",
    "sessions",
    "she",
    "she's",
    "should",
    "some",
    "somebody",
    "someone",
    "somethin",
    "something",
    "somewhere",
    "son",
    "stuff",
    "such",
    "sumfin",
    "summat",
    "sumthing",
    "support",
    "teen",
    "teenager",
    "teenagers",
    "teens",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they're",
    "thing",
    "things",
    "this",
    "to",
    "today",
    "tomorrow",
    "tonight",
    "try",
    "u",
    "ur",
    "want",
    "was",
    "wat",
    "we",
    "we're",
    "were",
    "what",
    "what's",
    "whats",
    "where",
    "where's",
    "will",
    "with",
    "won't",
    "wont",
    "wot",
    "would",
    "wut",
    "year",
    "years",
    "you're",
    "young",
    "youngster",
    "youngsters",
];

/// Whether `word` is a slip for one of the longer generic words ("somthing", "activites"):
/// one letter added, dropped, changed or swapped in a generic word of six letters or more.
/// Callers ask only about words no listing has, so nothing a listing says is dropped.
pub fn is_generic_slip(word: &str) -> bool {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    w.len() >= 6
        && GENERIC.iter().any(|g| {
            let g: Vec<char> = g.chars().collect();
            g.len() >= 6 && within_edits(&w, &g, 1)
        })
}

/// Whether `a` and `b` are at most `limit` edits apart, an edit being one letter added,
/// dropped, changed or swapped with its neighbour (the typos search forgives).
pub(crate) fn within_edits(a: &[char], b: &[char], limit: usize) -> bool {
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    let n = b.len();
    // Three rows of the table: a swap reaches back two.
    let mut before: Vec<usize> = vec![0; n + 1];
    let mut last: Vec<usize> = (0..=n).collect();
    let mut row: Vec<usize> = vec![0; n + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=n {
            let change = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + change);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            row[j] = v;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    last[n] <= limit
}

/// The words of what someone typed, lowercased, as search takes them one by one: split at
/// anything but letters, digits, hyphens and apostrophes ("football/club" is two words).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .map(|w| w.trim_matches(['-', '\'']).to_lowercase())
        .filter(|w| !w.is_empty())
}

/// What a search matches one at a time: the words of `text` ([`words`]), except that words
/// which together make a phrase of `synonyms.toml` ("martial arts", "mental health") stay
/// together, so the phrase's meanings stand for the whole of it: "martial arts" finds a
/// karate club, which never says "arts".
pub fn units(text: &str) -> Vec<String> {
    let words: Vec<String> = words(text).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let phrase = (2..=3).rev().find_map(|n| {
            let phrase = words.get(i..i + n)?.join(" ");
            SYNONYMS
                .iter()
                .any(|s| s.word == phrase)
                .then_some((phrase, n))
        });
        let (unit, n) = phrase.unwrap_or_else(|| (words[i].clone(), 1));
        out.push(unit);
        i += n;
    }
    out
}

/// Whether `word` (any case) is one search never requires (see [`GENERIC`]).
pub fn is_generic(word: &str) -> bool {
    let w = word.trim().to_lowercase();
    GENERIC.contains(&w.as_str())
}

/// The alternatives for one lowercase word, if any (`synonyms.toml`).
pub fn synonyms(word: &str) -> &'static [String] {
    SYNONYMS
        .iter()
        .find(|s| s.word == word)
        .map_or(&[], |s| s.means.as_slice())
}

/// Every reviewed entry: the word, what it may mean, and a listing title it must find.
pub fn synonym_entries() -> impl Iterator<Item = (&'static str, &'static [String], &'static str)> {
    SYNONYMS
        .iter()
        .map(|s| (s.word.as_str(), s.means.as_slice(), s.finds.as_str()))
}

/// Tokens of `text` as the index would store them.
pub fn tokens(analyser: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyser.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_folds_and_drops_stop_words() {
        let mut a = analyser();
        assert_eq!(
            tokens(&mut a, "The Footballers' Café"),
            vec!["footbal", "cafe"]
        );
        assert_eq!(tokens(&mut a, "swimming"), tokens(&mut a, "swim"));
    }

    /// The cache must never change a stem: an index made with it is searched by queries
    /// analysed with a fresh (empty) cache, and older indexes were made without one.
    #[test]
    fn cached_stems_are_tantivys_stems() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer)
            .build();
        let text = "Running runners ran; swimming swims swimmer. Running again, happily \
                    happiness generously generous generation generations running";
        // Twice through the same analyser: the second pass is answered from the cache.
        for _ in 0..2 {
            assert_eq!(tokens(&mut cached, text), tokens(&mut plain, text));
        }
        let CachedStemmerFilter { mut stems, .. } =
            CachedStemmer.transform(SimpleTokenizer::default());
        // Past the cap the cache starts again, and stems stay right: each is the stem
        // tantivy gives the word itself (words that do change, so a cache handing back the
        // word unstemmed would fail).
        for n in 0..MAX_STEMS + 10 {
            let original = format!("walk{n}ing");
            let mut word = original.clone();
            stems.stem(&mut word);
            assert_ne!(word, original);
            assert_eq!(tokens(&mut plain, &original), [word]);
        }
        assert!(stems.known.len() <= MAX_STEMS);
        let mut word = "walking".to_owned();
        stems.stem(&mut word);
        assert_eq!(word, "walk");
    }

    #[test]
    fn slips_of_long_generic_words_are_known_and_real_words_are_not() {
        for slip in [
            "somthing",
            "somethng",
            "activites",
            "sesions",
            "anythign",
            "lessson",
        ] {
            assert!(is_generic_slip(slip), "{slip}");
        }
        // "glasses" would count (one letter from "classes"): only words no listing has are
        // asked about, so a directory with a glasses-making group never loses the word.
        for word in ["football", "swimming", "somersault", "climbing", "crafts"] {
            assert!(!is_generic_slip(word), "{word}");
        }
    }

    #[test]
    fn phrases_with_a_meaning_are_one_unit() {
        assert_eq!(
            units("Martial Arts for my son"),
            ["martial arts", "for", "my", "son"]
        );
        assert_eq!(units("arts martial"), ["arts", "martial"]);
        assert_eq!(units("mental health support"), ["mental health", "support"]);
    }

    #[test]
    fn footy_means_football() {
        assert!(synonyms("footy").iter().any(|s| s == "football"));
        assert!(synonyms("unheard-of").is_empty());
    }
}
