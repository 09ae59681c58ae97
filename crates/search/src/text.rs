//! How text is analysed: one analyser for indexing and querying (lowercase, accents folded,
//! English stop words dropped, English stemming), and the youth synonym list.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// The name the analyser is registered under in the index.
pub const ANALYSER: &str = "signpost_en";

pub fn analyser() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(Language::English) {
        Some(stop) => builder
            .filter(stop)
            .filter(Stemmer::new(Language::English))
            .build(),
        None => builder.filter(Stemmer::new(Language::English)).build(),
    }
}

/// Words young people (and their parents) type, and the words listings use for them. Each
/// entry maps one lowercase word to alternatives that may each match instead.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("footy", &["football", "soccer"]),
    ("footie", &["football", "soccer"]),
    ("soccer", &["football"]),
    ("football", &["soccer"]),
    ("bball", &["basketball"]),
    ("b-ball", &["basketball"]),
    ("hoops", &["basketball"]),
    ("netty", &["netball"]),
    ("swim", &["swimming"]),
    ("swimming", &["swim"]),
    ("skate", &["skateboarding", "skating"]),
    ("skating", &["skate", "skateboarding"]),
    ("bike", &["cycling", "bmx"]),
    ("cycling", &["bike"]),
    ("gym", &["fitness"]),
    ("fitness", &["gym"]),
    ("drama", &["theatre", "acting"]),
    ("theatre", &["drama"]),
    ("acting", &["drama", "theatre"]),
    ("art", &["arts", "crafts", "drawing", "painting"]),
    ("arts", &["art"]),
    ("crafts", &["craft"]),
    ("drawing", &["art"]),
    ("coding", &["programming", "computing", "code"]),
    ("programming", &["coding"]),
    ("computers", &["coding", "computing"]),
    ("gaming", &["games", "esports"]),
    ("games", &["gaming"]),
    ("music", &["band", "singing"]),
    ("singing", &["choir", "vocal"]),
    ("choir", &["singing"]),
    ("dj", &["djing", "music"]),
    ("rap", &["music", "lyrics"]),
    ("lgbt", &["lgbtq", "pride", "queer"]),
    ("lgbtq", &["lgbt", "pride", "queer"]),
    ("lgbtqia", &["lgbtq", "pride"]),
    ("gay", &["lgbtq", "pride"]),
    ("lesbian", &["lgbtq", "pride"]),
    ("trans", &["lgbtq", "transgender"]),
    ("queer", &["lgbtq", "pride"]),
    ("carer", &["carers"]),
    ("carers", &["carer"]),
    ("sen", &["send", "inclusive"]),
    ("send", &["sen", "inclusive"]),
    ("autism", &["autistic", "asd", "quiet"]),
    ("autistic", &["autism", "asd"]),
    ("adhd", &["send", "neurodivergent"]),
    ("mental", &["wellbeing"]),
    ("anxiety", &["wellbeing", "anxious"]),
    ("stress", &["wellbeing"]),
    ("sad", &["wellbeing"]),
    ("wellbeing", &["mental"]),
    ("chat", &["talk", "support"]),
    ("youth", &["young"]),
    ("club", &["group"]),
    ("group", &["club"]),
    ("hangout", &["youth", "club"]),
    ("holiday", &["holidays", "haf"]),
    ("haf", &["holiday", "food"]),
    ("lunch", &["food", "meal"]),
    ("food", &["meal", "lunch"]),
    ("baby", &["babies", "toddler"]),
    ("toddler", &["baby", "toddlers"]),
    ("mum", &["parent", "family"]),
    ("dad", &["parent", "family"]),
    ("parent", &["family"]),
    ("church", &["faith", "christian"]),
    ("mosque", &["faith", "muslim", "islamic"]),
    ("faith", &["church", "mosque", "temple"]),
    ("volunteer", &["volunteering"]),
    ("volunteering", &["volunteer"]),
    ("dofe", &["duke", "edinburgh"]),
    ("outdoor", &["outdoors"]),
    ("outdoors", &["outdoor"]),
    ("camping", &["outdoors", "camp"]),
    ("surf", &["surfing"]),
    ("surfing", &["surf"]),
    ("dance", &["dancing"]),
    ("dancing", &["dance"]),
    ("boxing", &["box"]),
    ("martial", &["karate", "judo", "taekwondo"]),
    ("homework", &["study", "learning"]),
    ("maths", &["math", "numeracy"]),
];

/// The alternatives for one lowercase word, if any.
pub fn synonyms(word: &str) -> &'static [&'static str] {
    SYNONYMS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, alts)| *alts)
        .unwrap_or(&[])
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

    #[test]
    fn footy_means_football() {
        assert!(synonyms("footy").contains(&"football"));
        assert!(synonyms("unheard-of").is_empty());
    }
}
