//! The built-in activity taxonomy. Slugs are stable: they appear in URLs, files and the index.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! categories {
    ($($variant:ident => $slug:literal, $name:literal;)*) => {
        /// A category from Signpost's built-in taxonomy.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Category { $($variant),* }

        impl Category {
            /// Every category, in display order.
            pub const ALL: &'static [Category] = &[$(Category::$variant),*];

            /// The stable slug used in URLs, files and the index.
            pub fn slug(self) -> &'static str {
                match self { $(Category::$variant => $slug),* }
            }

            /// The plain-language name shown to people.
            pub fn name(self) -> &'static str {
                match self { $(Category::$variant => $name),* }
            }
        }
    };
}

categories! {
    Sport => "sport", "Sport";
    ArtsCrafts => "arts-crafts", "Arts and crafts";
    Music => "music", "Music";
    DanceDrama => "dance-drama", "Dance and drama";
    Outdoors => "outdoors", "Outdoors";
    YouthClub => "youth-club", "Youth club";
    Wellbeing => "wellbeing", "Wellbeing";
    PeerSupport => "peer-support", "Peer support";
    Lgbtq => "lgbtq", "LGBTQ+";
    YoungCarers => "young-carers", "Young carers";
    SendInclusive => "send-inclusive", "SEND inclusive";
    Volunteering => "volunteering", "Volunteering";
    SkillsLearning => "skills-learning", "Skills and learning";
    FaithCulture => "faith-culture", "Faith and culture";
    Family => "family", "Family";
    HolidayFood => "holiday-food", "Holiday activities and food";
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' is not a category; choose from: {list}", list = Category::ALL.iter().map(|c| c.slug()).collect::<Vec<_>>().join(", "))]
pub struct UnknownCategory(pub String);

impl Category {
    pub fn parse(slug: &str) -> Result<Self, UnknownCategory> {
        let wanted = slug.trim().to_ascii_lowercase();
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.slug() == wanted)
            .ok_or_else(|| UnknownCategory(slug.chars().take(40).collect()))
    }

    /// Position in [`Category::ALL`]; used for compact bit sets in the index.
    pub fn index(self) -> usize {
        Category::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Category::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slug_round_trips() {
        assert_eq!(Category::ALL.len(), 16);
        for c in Category::ALL {
            assert_eq!(Category::parse(c.slug()), Ok(*c));
        }
    }

    #[test]
    fn unknown_category_lists_the_choices() {
        let err = Category::parse("quidditch").unwrap_err().to_string();
        assert!(
            err.contains("quidditch") && err.contains("young-carers"),
            "{err}"
        );
    }
}
