//! The words titles, descriptions and provider names are made of.
//!
//! Two kinds of word go into the text. *Vocabulary* words ([`vocabulary`]) fill the slots:
//! activities, what a session covers, adjectives, things to bring. They are chosen so that a
//! query for one of them means the same in every search engine: base forms, no two sharing a
//! stem or the same first five letters (so Porter, Snowball and lemmatisers all keep them
//! apart), none a key of Signpost's synonym list, none within Signpost's fuzzy-match distance
//! of another word in the text, and each always written in exactly that form. The tests hold
//! them to it. *Frame* words are the fixed text around the slots ("Club", "for Girls", "in
//! Leeds"); they are never meant as queries.

use std::sync::OnceLock;

use signpost_model::Category;

/// What one category's listings are made of.
pub(crate) struct Lexicon {
    pub category: Category,
    /// Activities (vocabulary), for titles: "netball", "pottery".
    pub activities: &'static [&'static str],
    /// What sessions cover (vocabulary), for descriptions.
    pub things: &'static [&'static str],
    /// Set phrases that head a title in this category (frame): "Youth Club".
    pub heads: &'static [&'static str],
    /// Kinds of session (vocabulary or frame), after the activity: "Club", "workshop".
    pub formats: &'static [&'static str],
    /// Categories a listing of this one often also has.
    pub related: &'static [Category],
    /// Words for a provider of this kind (frame): "Club", "Trust".
    pub org: &'static [&'static str],
}

use Category::*;

pub(crate) const LEXICONS: &[Lexicon] = &[
    Lexicon {
        category: Sport,
        activities: &[
            "netball",
            "rugby",
            "cricket",
            "tennis",
            "badminton",
            "basketball",
            "hockey",
            "athletics",
            "squash",
            "korfball",
            "gymnastics",
            "volleyball",
            "archery",
            "fencing",
            "handball",
            "trampolining",
            "softball",
            "golf",
            "lacrosse",
            "rounders",
            "curling",
            "frisbee",
            "dodgeball",
            "wrestling",
        ],
        things: &[
            "drill",
            "tactic",
            "footwork",
            "agility",
            "stamina",
            "tournament",
            "sprint",
            "scrimmage",
            "technique",
            "league",
            "referee",
            "whistle",
        ],
        heads: &[],
        formats: &[
            "Club", "Club", "squad", "academy", "Practice", "taster", "Sessions",
        ],
        related: &[Wellbeing, Outdoors, SendInclusive, Family],
        org: &[
            "Sports Club",
            "Juniors",
            "Sports Academy",
            "Harriers",
            "Athletics Club",
        ],
    },
    Lexicon {
        category: ArtsCrafts,
        activities: &[
            "pottery",
            "painting",
            "printmaking",
            "sculpting",
            "knitting",
            "sewing",
            "collage",
            "origami",
            "photography",
            "animation",
            "jewellery",
            "weaving",
            "calligraphy",
            "mosaic",
            "illustration",
            "crochet",
            "embroidery",
        ],
        things: &[
            "ceramic",
            "glaze",
            "sketch",
            "canvas",
            "stencil",
            "charcoal",
            "watercolour",
            "glitter",
            "fabric",
            "thread",
            "sequin",
            "palette",
            "portrait",
            "exhibition",
        ],
        heads: &["Art Club", "Craft Club"],
        formats: &["Club", "workshop", "studio", "Group", "Sessions", "course"],
        related: &[Family, Wellbeing, SendInclusive, SkillsLearning],
        org: &[
            "Art Space",
            "Studio",
            "Makers",
            "Collective",
            "Arts Project",
        ],
    },
    Lexicon {
        category: Music,
        activities: &[
            "guitar",
            "ukulele",
            "drumming",
            "piano",
            "violin",
            "songwriting",
            "orchestra",
            "samba",
            "brass",
            "percussion",
            "jazz",
            "beatbox",
            "rock",
        ],
        things: &[
            "chord",
            "rhythm",
            "melody",
            "harmony",
            "lyric",
            "concert",
            "rehearsal",
            "microphone",
            "amplifier",
            "setlist",
            "tempo",
            "recording",
        ],
        heads: &["Youth Band", "Music Club"],
        formats: &["Club", "Group", "workshop", "academy", "Band", "Sessions"],
        related: &[SkillsLearning, FaithCulture, Wellbeing, Family],
        org: &["Music Project", "Music Hub", "Sound Lab", "Music Trust"],
    },
    Lexicon {
        category: DanceDrama,
        activities: &[
            "ballet",
            "capoeira",
            "salsa",
            "bhangra",
            "ballroom",
            "zumba",
            "cheerleading",
            "improv",
            "pantomime",
            "circus",
            "juggling",
            "flamenco",
            "contemporary",
        ],
        things: &[
            "routine",
            "choreography",
            "costume",
            "audition",
            "script",
            "stage",
            "spotlight",
            "monologue",
            "scene",
            "curtain",
        ],
        heads: &["Youth Theatre", "Drama Club", "Dance Club"],
        formats: &["Club", "Company", "workshop", "academy", "Group", "crew"],
        related: &[Music, SendInclusive, Family],
        org: &[
            "Dance School",
            "Youth Theatre",
            "Theatre Company",
            "Dance Company",
        ],
    },
    Lexicon {
        category: Outdoors,
        activities: &[
            "climbing",
            "canoeing",
            "kayaking",
            "orienteering",
            "bushcraft",
            "hiking",
            "gardening",
            "fishing",
            "sailing",
            "birdwatching",
            "geocaching",
            "potholing",
            "abseiling",
            "rambling",
        ],
        things: &[
            "compass",
            "shelter",
            "campfire",
            "woodland",
            "river",
            "wildlife",
            "rope",
            "forest",
            "trail",
            "lifejacket",
            "harness",
        ],
        heads: &["Forest School", "Nature Club"],
        formats: &["Club", "Group", "Adventures", "Days", "taster"],
        related: &[Sport, Volunteering, Wellbeing, Family],
        org: &[
            "Outdoor Centre",
            "Adventure Trust",
            "Explorers",
            "Nature Project",
        ],
    },
    Lexicon {
        category: YouthClub,
        activities: &["snooker", "foosball", "karaoke", "quiz", "pizza", "movie"],
        things: &[
            "snack",
            "console",
            "tuckshop",
            "outing",
            "minibus",
            "residential",
            "beanbag",
            "playlist",
            "sofa",
        ],
        heads: &[
            "Youth Club",
            "Youth Club",
            "Youth Night",
            "Junior Youth Club",
            "Senior Youth Club",
            "Teen Hangout",
        ],
        formats: &["Night", "Club"],
        related: &[Sport, Music, PeerSupport, Wellbeing],
        org: &[
            "Youth Project",
            "Youth Centre",
            "Youth Trust",
            "Young People's Project",
        ],
    },
    Lexicon {
        category: Wellbeing,
        activities: &[
            "mindfulness",
            "yoga",
            "meditation",
            "relaxation",
            "breathwork",
            "pilates",
        ],
        things: &[
            "resilience",
            "confidence",
            "worry",
            "gratitude",
            "sleep",
            "emotion",
            "stretching",
        ],
        heads: &["Wellbeing Group", "Feel Good Club"],
        formats: &["Group", "Sessions", "course", "workshop", "circle"],
        related: &[PeerSupport, Sport, Outdoors, SendInclusive],
        org: &[
            "Wellbeing Service",
            "Wellbeing Project",
            "Young People's Network",
        ],
    },
    Lexicon {
        category: PeerSupport,
        activities: &["mentoring", "listening", "buddy", "advocacy", "counselling"],
        things: &[
            "empathy",
            "advice",
            "bullying",
            "exam",
            "transition",
            "loneliness",
            "peace",
        ],
        heads: &[
            "Peer Support Group",
            "Buddy Scheme",
            "Peer Mentors",
            "Drop-in",
        ],
        formats: &["Group", "Scheme", "Drop-in", "circle", "forum"],
        related: &[Wellbeing, YouthClub, Lgbtq, YoungCarers],
        org: &["Youth Link", "Peer Network", "Support Service"],
    },
    Lexicon {
        category: Lgbtq,
        activities: &[
            "rainbow",
            "pride",
            "identity",
            "allyship",
            "zine",
            "acceptance",
        ],
        things: &["belonging", "visibility", "history", "poetry"],
        heads: &[
            "LGBTQ+ Youth Group",
            "Rainbow Youth",
            "Pride Drop-in",
            "Gender Identity Group",
        ],
        formats: &["Group", "Night", "Drop-in", "forum", "cafe"],
        related: &[PeerSupport, Wellbeing, YouthClub, DanceDrama],
        org: &["Rainbow Project", "Pride Youth", "LGBTQ+ Youth Network"],
    },
    Lexicon {
        category: YoungCarers,
        activities: &["respite", "bowling", "cinema", "pamper"],
        things: &["downtime", "assessment", "teatime", "sibling"],
        heads: &[
            "Young Carers Club",
            "Young Carers Break",
            "Young Carers Cafe",
            "Young Carers Drop-in",
        ],
        formats: &["Club", "Break", "Group", "cafe"],
        related: &[PeerSupport, Wellbeing, YouthClub],
        org: &["Carers Centre", "Young Carers Service", "Carers Trust"],
    },
    Lexicon {
        category: SendInclusive,
        activities: &["boccia", "makaton", "hydrotherapy", "sensory", "rebound"],
        things: &["wheelchair", "visual", "fidget", "symbol", "hoist"],
        heads: &["Inclusive Play", "SEND Youth Club", "Sensory Club"],
        formats: &["Club", "Sessions", "Group", "workshop"],
        related: &[Sport, Family, ArtsCrafts, Music],
        org: &["Inclusion Project", "SEND Network", "Inclusive Sports"],
    },
    Lexicon {
        category: Volunteering,
        activities: &[
            "conservation",
            "fundraising",
            "stewarding",
            "recycling",
            "beach",
        ],
        things: &["certificate", "badge", "award", "planting", "pond"],
        heads: &["Youth Volunteers", "Young Volunteers Team"],
        formats: &["Team", "Group", "Days", "crew"],
        related: &[Outdoors, SkillsLearning, Family],
        org: &["Volunteer Centre", "Conservation Trust", "Community Action"],
    },
    Lexicon {
        category: SkillsLearning,
        activities: &[
            "robotics",
            "electronics",
            "baking",
            "chess",
            "debating",
            "science",
            "engineering",
            "journalism",
            "budgeting",
            "filmmaking",
            "podcasting",
            "astronomy",
        ],
        things: &[
            "interview",
            "revision",
            "prototype",
            "soldering",
            "laptop",
            "qualification",
            "portfolio",
            "teamwork",
            "leadership",
        ],
        heads: &["Homework Club", "Coding Club", "Revision Club"],
        formats: &["Club", "workshop", "academy", "course", "Lab", "Sessions"],
        related: &[Volunteering, ArtsCrafts, Music, YouthClub],
        org: &[
            "Learning Trust",
            "Skills Hub",
            "Code Club",
            "Learning Centre",
        ],
    },
    Lexicon {
        category: FaithCulture,
        activities: &[
            "heritage",
            "festival",
            "tradition",
            "mandarin",
            "mythology",
            "diwali",
            "nativity",
            "vaisakhi",
            "hanukkah",
        ],
        things: &[
            "pilgrimage",
            "prayer",
            "celebration",
            "recipe",
            "museum",
            "costume",
        ],
        heads: &["Faith Youth Group", "Culture Club", "Saturday School"],
        formats: &["Group", "Club", "School", "Celebration", "workshop"],
        related: &[Family, Music, DanceDrama, Volunteering],
        org: &["Community Association", "Cultural Centre", "Faith Forum"],
    },
    Lexicon {
        category: Family,
        activities: &[
            "playgroup",
            "rhyme",
            "puppet",
            "picnic",
            "lullaby",
            "singalong",
            "storytime",
        ],
        things: &[
            "bubble",
            "parachute",
            "sandpit",
            "buggy",
            "tambourine",
            "cuddle",
        ],
        heads: &["Stay and Play", "Baby and Toddler Group", "Family Fun Day"],
        formats: &["Group", "Sessions", "Time", "Club"],
        related: &[ArtsCrafts, Music, SendInclusive, HolidayFood],
        org: &["Family Hub", "Children's Centre", "Family Project"],
    },
    Lexicon {
        category: HolidayFood,
        activities: &[
            "breakfast",
            "cookery",
            "smoothie",
            "sandwich",
            "inflatable",
            "treasure",
        ],
        things: &["scavenger", "nutrition", "popcorn", "barbecue", "orchard"],
        heads: &[
            "Holiday Club",
            "Holiday Club",
            "Holiday Fun Days",
            "HAF Holiday Club",
            "Holiday Activity Camp",
        ],
        formats: &["Club", "Camp", "Days"],
        related: &[Sport, ArtsCrafts, Outdoors, Family],
        org: &["Holiday Kitchen", "Play Partnership", "Community Kitchen"],
    },
];

/// Adjectives for titles and descriptions (vocabulary).
pub(crate) const ADJECTIVES: &[&str] = &[
    "lively",
    "imaginative",
    "gentle",
    "informal",
    "mellow",
    "spirited",
    "energetic",
    "sociable",
    "calm",
    "cosy",
    "competitive",
    "casual",
    "upbeat",
    "brilliant",
];

/// What sessions help with (vocabulary).
pub(crate) const QUALITIES: &[&str] = &["patience", "courage", "focus", "independence"];

/// Things to bring (vocabulary).
pub(crate) const ITEMS: &[&str] = &["towel", "raincoat", "notebook", "apron", "sunhat"];

/// Made-up neighbourhood names for providers (frame).
pub(crate) const LOCALES: &[&str] = &[
    "Riverside",
    "Northgate",
    "Hillside",
    "Parkside",
    "Westfield",
    "Oakwood",
    "Southbank",
    "Eastfield",
    "Millbrook",
    "Ashgrove",
    "Brookside",
    "Highfield",
    "Greenway",
    "Kingsway",
    "Lakeside",
    "Meadowbank",
    "Stonebridge",
    "Fairfield",
    "Moorside",
    "Elmwood",
];

pub(crate) fn lexicon(c: Category) -> &'static Lexicon {
    LEXICONS
        .iter()
        .find(|l| l.category == c)
        .unwrap_or(&LEXICONS[0])
}

/// Every vocabulary word, in a fixed order, each once.
pub fn vocabulary() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut out: Vec<&'static str> = Vec::new();
        let mut add = |w: &'static str| {
            if w.bytes().all(|b| b.is_ascii_lowercase()) && !out.contains(&w) {
                out.push(w);
            }
        };
        for l in LEXICONS {
            for w in l.activities.iter().chain(l.things).chain(l.formats) {
                add(w);
            }
        }
        for w in ADJECTIVES.iter().chain(QUALITIES).chain(ITEMS) {
            add(w);
        }
        out
    })
}

/// "netball" -> "Netball".
pub(crate) fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "a" or "an" before a word.
pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// Who a category's listings are for, put before the activity in some titles (frame, or
/// vocabulary in its own form): "Young Carers Bowling Club".
pub(crate) fn prefixes(c: Category) -> &'static [&'static str] {
    match c {
        YoungCarers => &["Young Carers", "Young Carers'"],
        Lgbtq => &["LGBTQ+", "Rainbow"],
        SendInclusive => &["SEND", "Inclusive", "Sensory-friendly"],
        Volunteering => &["Young Volunteers'", "Youth Volunteering"],
        PeerSupport => &["Peer"],
        Family => &["Family", "Parent and Toddler"],
        HolidayFood => &["Holiday", "School Holiday"],
        FaithCulture => &["Community", "Family"],
        _ => &[],
    }
}

/// What a provider of this kind does, for its description (frame).
pub(crate) fn blurb(c: Category) -> &'static str {
    match c {
        Sport => "sports clubs and coaching",
        ArtsCrafts => "arts and crafts sessions",
        Music => "music making",
        DanceDrama => "dance and drama",
        Outdoors => "outdoor adventures",
        YouthClub => "youth clubs",
        Wellbeing => "wellbeing support",
        PeerSupport => "peer support",
        Lgbtq => "groups for LGBTQ+ young people",
        YoungCarers => "breaks and support for young carers",
        SendInclusive => "inclusive activities for disabled children and those with SEND",
        Volunteering => "volunteering opportunities",
        SkillsLearning => "learning and skills sessions",
        FaithCulture => "faith and cultural activities",
        Family => "sessions for families",
        HolidayFood => "holiday clubs with healthy meals",
    }
}
