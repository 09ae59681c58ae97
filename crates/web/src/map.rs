//! The optional map: when a tile server is configured (`signpost serve --map-tiles URL`),
//! result and listing pages carry each venue's coordinates on the list they already show, an
//! empty map box, and a small script of our own (`web/map.js`) that draws the tiles and
//! numbered markers into the box.
//!
//! It is an enhancement only. With no tile server, or with JavaScript off, nothing of it is
//! on the page: no box, no script, no request to anyone but this site, and the list and its
//! OpenStreetMap links stand alone. The Content-Security-Policy opens `script-src 'self'` and
//! `img-src` to the tile server's origin only when one is configured.

use std::fmt;

use maud::{Markup, html};
use signpost_model::Coordinates;

use crate::assets::MAP_SCRIPT;

/// A tile address template such as `https://tile.example.org/{z}/{x}/{y}.png`, checked to
/// be an http(s) address on one fixed host with all three placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapTiles {
    template: String,
    /// `https://tile.example.org`: what the Content-Security-Policy lets images come from.
    origin: String,
}

impl MapTiles {
    pub fn parse(text: &str) -> Result<MapTiles, String> {
        let template = text.trim();
        let rest = template
            .strip_prefix("https://")
            .or_else(|| template.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("the map tile address '{template}' must start with https:// or http://")
            })?;
        let host = rest.split('/').next().unwrap_or("");
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
        if !host_ok {
            return Err(format!(
                "the map tile address '{template}' needs a plain host name after the scheme (no placeholders such as {{s}} in it)"
            ));
        }
        // It goes into a header and an HTML attribute: keep it to the printable ASCII a URL
        // needs.
        if let Some(c) = template
            .chars()
            .find(|c| !c.is_ascii_graphic() || "\"'<>\\;,".contains(*c))
        {
            return Err(format!(
                "the map tile address '{template}' has a character it cannot have: {c:?}"
            ));
        }
        for p in ["{z}", "{x}", "{y}"] {
            if !rest.contains(p) {
                return Err(format!(
                    "the map tile address '{template}' needs {p}, like https://tile.example.org/{{z}}/{{x}}/{{y}}.png"
                ));
            }
        }
        let scheme_len = template.len() - rest.len();
        Ok(MapTiles {
            origin: template[..scheme_len + host.len()].to_owned(),
            template: template.to_owned(),
        })
    }

    pub fn template(&self) -> &str {
        &self.template
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }
}

impl fmt::Display for MapTiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.template)
    }
}

/// The Content-Security-Policy for every answer: nothing but this site's stylesheet and
/// images, and with a map, this site's script and the tile server's images.
pub(crate) fn content_security_policy(tiles: Option<&MapTiles>) -> String {
    let (script, img) = match tiles {
        Some(t) => (" script-src 'self';", format!(" {}", t.origin())),
        None => ("", String::new()),
    };
    format!(
        "default-src 'none';{script} style-src 'self'; img-src 'self' data:{img}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// The `data-lat` and `data-lon` a venue carries for the map, as `(lat, lon)` text; `None`
/// without a map, so a page without one carries nothing extra.
pub(crate) fn point(tiles: Option<&MapTiles>, at: Coordinates) -> Option<(String, String)> {
    tiles.map(|_| (format!("{:.5}", at.lat()), format!("{:.5}", at.lon())))
}

/// The empty box the script draws into, and the script. Hidden until the script fills it, so
/// with JavaScript off there is nothing to see.
pub(crate) fn map_box(tiles: Option<&MapTiles>, label: &str) -> Markup {
    html! {
        @if let Some(t) = tiles {
            section.map #map hidden aria-label=(label) data-map-tiles=(t.template()) {}
            script src=(MAP_SCRIPT.href) defer {}
        }
    }
}

/// A link to the map, for where the map is below what a phone shows first; hidden like the
/// box until the script has drawn the map.
pub(crate) fn map_link(tiles: Option<&MapTiles>) -> Markup {
    html! {
        @if tiles.is_some() {
            p.map-link hidden { a href="#map" { "See them on a map" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_template_needs_a_scheme_a_host_and_all_three_placeholders() {
        let t = MapTiles::parse("https://tile.example.org/{z}/{x}/{y}.png").unwrap();
        assert_eq!(t.origin(), "https://tile.example.org");
        let t = MapTiles::parse("http://127.0.0.1:9000/tiles/{z}/{x}/{y}.png?key=1").unwrap();
        assert_eq!(t.origin(), "http://127.0.0.1:9000");
        for (bad, says) in [
            ("tile.example.org/{z}/{x}/{y}.png", "https://"),
            ("ftp://tile.example.org/{z}/{x}/{y}.png", "https://"),
            ("https://tile.example.org/{z}/{x}.png", "{y}"),
            ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "plain host"),
            ("https:///{z}/{x}/{y}.png", "plain host"),
            (
                "https://tile.example.org/{z}/{x}/{y}.png; script-src *",
                "character",
            ),
            ("https://tile.example.org/{z}/{x}/{y}.png\"", "character"),
            ("https://tile.example.org/{z}/{x}/{y}.png?t=ü", "character"),
        ] {
            let e = MapTiles::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn the_policy_opens_scripts_and_tile_images_only_with_a_map() {
        let none = content_security_policy(None);
        assert!(!none.contains("script-src"), "{none}");
        assert!(none.contains("img-src 'self' data:;"), "{none}");
        let t = MapTiles::parse("https://tile.example.org/{z}/{x}/{y}.png").unwrap();
        let with = content_security_policy(Some(&t));
        assert!(with.contains("script-src 'self';"), "{with}");
        assert!(
            with.contains("img-src 'self' data: https://tile.example.org;"),
            "{with}"
        );
    }
}
