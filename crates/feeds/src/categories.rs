//! Maps the terms sources use (OpenActive activity concepts, ORUK taxonomy terms, free-text
//! keywords) onto Signpost's categories. The source terms themselves are kept on the listing,
//! so a mapping that is too coarse loses nothing: the words stay searchable.

use signpost_model::Category;

/// Words (lowercase, matched as whole words or word starts) that place a listing in a
/// category. Checked against the source's terms first, then its title.
const KEYWORDS: &[(Category, &[&str])] = &[
    (
        Category::Sport,
        &[
            "sport",
            "football",
            "soccer",
            "futsal",
            "rugby",
            "cricket",
            "netball",
            "basketball",
            "badminton",
            "tennis",
            "swim",
            "athletic",
            "running",
            "gymnastic",
            "trampolin",
            "boxing",
            "martial",
            "karate",
            "judo",
            "taekwondo",
            "hockey",
            "volleyball",
            "cycling",
            "bmx",
            "skate",
            "climbing",
            "fitness",
            "multi-sport",
            "multisport",
            "table tennis",
            "squash",
            "golf",
            "archery",
            "fencing",
            "rowing",
            "handball",
            "rounders",
            "dodgeball",
            "parkour",
            "yoga",
            "pilates",
            "exercise",
            "physical activity",
            "walking football",
            "bowls",
            "angling",
            "fishing",
            "sailing",
            "canoe",
            "kayak",
        ],
    ),
    (
        Category::ArtsCrafts,
        &[
            "art",
            "arts",
            "craft",
            "painting",
            "drawing",
            "pottery",
            "ceramics",
            "photography",
            "sewing",
            "knitting",
            "creative",
        ],
    ),
    (
        Category::Music,
        &[
            "music",
            "band",
            "choir",
            "singing",
            "orchestra",
            "guitar",
            "drum",
            "piano",
            "dj",
            "rap",
            "song",
        ],
    ),
    (
        Category::DanceDrama,
        &[
            "dance",
            "dancing",
            "ballet",
            "street dance",
            "zumba",
            "drama",
            "theatre",
            "theater",
            "acting",
            "performing",
            "musical",
            "cheerleading",
            "cheer",
        ],
    ),
    (
        Category::Outdoors,
        &[
            "outdoor",
            "forest",
            "nature",
            "garden",
            "scouts",
            "guides",
            "brownies",
            "cubs",
            "beavers",
            "rainbows",
            "duke of edinburgh",
            "camping",
            "hiking",
            "walk",
            "orienteering",
            "farm",
            "conservation",
        ],
    ),
    (
        Category::YouthClub,
        &[
            "youth club",
            "youth centre",
            "youth center",
            "youth group",
            "youth work",
            "young people",
            "teen",
            "youth",
        ],
    ),
    (
        Category::Wellbeing,
        &[
            "wellbeing",
            "well-being",
            "mental health",
            "counselling",
            "counseling",
            "mindfulness",
            "anxiety",
            "emotional",
            "health",
            "therapy",
            "bereavement",
            "social prescribing",
        ],
    ),
    (
        Category::PeerSupport,
        &[
            "peer support",
            "support group",
            "mentoring",
            "mentor",
            "befriending",
            "peer",
        ],
    ),
    (
        Category::Lgbtq,
        &[
            "lgbt",
            "lgbtq",
            "lgbtq+",
            "queer",
            "gay",
            "lesbian",
            "trans",
            "transgender",
            "pride",
        ],
    ),
    (
        Category::YoungCarers,
        &["young carer", "young carers", "carer", "carers"],
    ),
    (
        Category::SendInclusive,
        &[
            "send",
            "disability",
            "disabled",
            "disabilities",
            "special educational",
            "autism",
            "autistic",
            "adhd",
            "inclusive",
            "sen",
            "learning difficult",
            "additional needs",
            "wheelchair",
        ],
    ),
    (Category::Volunteering, &["volunteer", "volunteering"]),
    (
        Category::SkillsLearning,
        &[
            "learning",
            "skills",
            "homework",
            "tutoring",
            "coding",
            "stem",
            "science",
            "employability",
            "training",
            "education",
            "course",
            "cooking",
            "reading",
            "library",
            "esol",
        ],
    ),
    (
        Category::FaithCulture,
        &[
            "faith",
            "church",
            "mosque",
            "temple",
            "synagogue",
            "gurdwara",
            "culture",
            "cultural",
            "heritage",
        ],
    ),
    (
        Category::Family,
        &[
            "family",
            "families",
            "parent",
            "parents",
            "toddler",
            "baby",
            "stay and play",
            "children's centre",
        ],
    ),
    (
        Category::HolidayFood,
        &[
            "holiday activities",
            "haf",
            "holiday club",
            "holiday food",
            "free school meals",
            "lunch club",
            "food",
        ],
    ),
];

/// Categories for a listing from its source terms; if the terms place it nowhere, from its
/// title. Returns an empty list when nothing matches: the caller decides the fallback
/// (OpenActive data is physical activity, so it falls back to sport).
pub fn from_terms(terms: &[String], title: &str) -> Vec<Category> {
    let mut found = matching(terms.iter().map(String::as_str));
    if found.is_empty() {
        found = matching(std::iter::once(title));
    }
    found
}

fn matching<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for (category, words) in KEYWORDS {
        let hit = texts
            .clone()
            .any(|t| words.iter().any(|w| has_word(&t.to_lowercase(), w)));
        if hit && !out.contains(category) {
            out.push(*category);
        }
    }
    out
}

/// `word` appears in `text` starting at a word boundary ("swim" in "swimming", not "art"
/// in "start"). Words of three letters or fewer must match whole ("sen" is not "senior").
fn has_word(text: &str, word: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(word).any(|(i, _)| {
        boundary(text[..i].chars().next_back())
            && (word.len() > 3 || boundary(text[i + word.len()..].chars().next()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn source_terms_map_onto_categories() {
        assert_eq!(
            from_terms(&terms(&["Badminton"]), ""),
            vec![Category::Sport]
        );
        assert_eq!(
            from_terms(&terms(&["Street Dance"]), ""),
            vec![Category::DanceDrama]
        );
        assert_eq!(
            from_terms(&terms(&["LGBTQ+ youth group"]), ""),
            vec![Category::YouthClub, Category::Lgbtq]
        );
    }

    #[test]
    fn title_is_used_only_when_terms_say_nothing() {
        assert_eq!(
            from_terms(&terms(&["General"]), "Young Carers Drop-in"),
            vec![Category::YoungCarers]
        );
        assert_eq!(
            from_terms(&terms(&["Football"]), "Art club"),
            vec![Category::Sport]
        );
    }

    #[test]
    fn words_match_at_their_start_only() {
        assert!(from_terms(&[], "Start here").is_empty());
        assert_eq!(from_terms(&[], "Swimming lessons"), vec![Category::Sport]);
        assert!(from_terms(&[], "Seniors").is_empty());
    }
}
