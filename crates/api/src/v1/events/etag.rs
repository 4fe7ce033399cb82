//! `ETag` / `If-Match` for event resources, derived from `revision`.
//!
//! Conclave addition (upstream has no validators, rules.md §4.4): event
//! responses carry a strong `ETag`, and `PATCH /events/{id}` honours
//! `If-Match` (RFC 9110 §13.1.1) for optimistic concurrency.
//!
//! # What the tag covers
//!
//! The tag is `"r<revision>-<room>"`, where `<room>` is 16 hex digits of an
//! MD5 over the room settings the event resource shows (`password`,
//! `waiting_room`, `e2e_encryption`). The revision alone is not enough:
//! a room-only PATCH changes the representation but, like upstream, does
//! not bump the revision (rules.md §4.1 step 6, §4.4), and bumping it there
//! would change the calendar `SEQUENCE` of the mails. Adding the room
//! fingerprint makes the tag change on every successful PATCH that changes
//! anything, while it stays a pure function of the stored state: putting a
//! room setting back gives back the old tag, which is right, because the
//! state is the same again.
//!
//! The tag validates the state `PATCH /events/{id}` writes (the event row
//! and its room settings). Parts of the resource that other endpoints change
//! without touching these rows (invitees, favorites, the shared folder
//! endpoint, room streaming-target endpoints) and per-caller fields
//! (`is_favorite`, `invite_status`, `can_edit`) are not covered.

use actix_web::http::header::{HeaderMap, IF_MATCH};
use conclave_db::models::event::Event;
use conclave_db::models::room::Room;
use md5::{Digest, Md5};

use crate::error::ApiError;

/// The strong `ETag` (with its quotes) of an event and its room.
pub fn event_etag(event: &Event, room: &Room) -> String {
    format!(
        "\"r{}-{}\"",
        event.revision,
        room_fingerprint(
            room.password.as_deref(),
            room.waiting_room,
            room.e2e_encryption
        )
    )
}

/// 16 hex digits identifying the room settings; the encoding is
/// unambiguous because the password, the only free text, comes last.
fn room_fingerprint(password: Option<&str>, waiting_room: bool, e2e: bool) -> String {
    let password = password.map_or_else(|| "-".to_owned(), |p| format!("+{p}"));
    let text = format!("{}{}{password}", u8::from(waiting_room), u8::from(e2e));
    let digest = Md5::digest(text.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// A parsed `If-Match` field (RFC 9110 §13.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: matches any current representation.
    Any,
    /// The strong tags of the list, with their quotes. Weak tags are left
    /// out because `If-Match` uses the strong comparison, under which a
    /// weak tag never matches. An empty list matches nothing.
    Tags(Vec<String>),
}

impl IfMatch {
    /// The `If-Match` of a request: `None` when absent; all field lines are
    /// combined into one list. A malformed field is a 400: guessing what a
    /// broken precondition meant could lose an update.
    pub fn from_headers(headers: &HeaderMap) -> Result<Option<IfMatch>, ApiError> {
        let lines: Vec<&[u8]> = headers.get_all(IF_MATCH).map(|v| v.as_bytes()).collect();
        if lines.is_empty() {
            return Ok(None);
        }
        IfMatch::parse(&lines)
            .map(Some)
            .map_err(|reason| ApiError::bad_request(format!("Malformed If-Match header: {reason}")))
    }

    /// Parses the field lines of one `If-Match`.
    pub fn parse(lines: &[&[u8]]) -> Result<IfMatch, &'static str> {
        let mut elements = Vec::new();
        for line in lines {
            for element in line.split(|b| *b == b',') {
                let element = element.trim_ascii();
                // Recipients accept empty list elements (RFC 9110 §5.6.1.2).
                if !element.is_empty() {
                    elements.push(element);
                }
            }
        }
        if elements.contains(&&b"*"[..]) {
            return match elements.len() {
                1 => Ok(IfMatch::Any),
                _ => Err("`*` must stand alone"),
            };
        }
        let mut tags = Vec::new();
        for element in elements {
            if let Some(tag) = parse_entity_tag(element)? {
                tags.push(tag);
            }
        }
        Ok(IfMatch::Tags(tags))
    }

    /// Whether a resource whose current tag is `current` passes (strong
    /// comparison: both strong and byte-identical).
    pub fn matches(&self, current: &str) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => tags.iter().any(|tag| tag == current),
        }
    }
}

/// One `entity-tag`: `Some(tag)` for a strong tag, `None` for a weak one.
fn parse_entity_tag(element: &[u8]) -> Result<Option<String>, &'static str> {
    let (weak, opaque) = match element.strip_prefix(b"W/") {
        Some(rest) => (true, rest),
        None => (false, element),
    };
    let inner = opaque
        .strip_prefix(b"\"")
        .and_then(|rest| rest.strip_suffix(b"\""))
        .ok_or("an entity tag must be a quoted string")?;
    // etagc = %x21 / %x23-7E / obs-text
    if !inner
        .iter()
        .all(|&b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80)
    {
        return Err("an entity tag contains a character it may not contain");
    }
    if weak {
        return Ok(None);
    }
    // Our own tags are ASCII, so a tag with obs-text can never match; keep
    // it lossily so it still counts as a (non-matching) list entry.
    Ok(Some(String::from_utf8_lossy(opaque).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(lines: &[&str]) -> Result<IfMatch, &'static str> {
        let lines: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
        IfMatch::parse(&lines)
    }

    fn tags(tags: &[&str]) -> Result<IfMatch, &'static str> {
        Ok(IfMatch::Tags(
            tags.iter().map(|t| (*t).to_owned()).collect(),
        ))
    }

    #[test]
    fn parses_star_lists_and_drops_weak_tags() {
        let check = |lines: &[&str], expected: Result<IfMatch, &'static str>| {
            assert_eq!(parse(lines).is_ok(), expected.is_ok(), "{lines:?}");
            if expected.is_ok() {
                assert_eq!(parse(lines), expected, "{lines:?}");
            }
        };
        check(&["*"], Ok(IfMatch::Any));
        check(&[" * "], Ok(IfMatch::Any));
        check(&["\"r1-a\""], tags(&["\"r1-a\""]));
        check(&["\"a\", \"b\""], tags(&["\"a\"", "\"b\""]));
        check(&["\"a\"", "\"b\""], tags(&["\"a\"", "\"b\""]));
        check(&[" , \"a\" ,, "], tags(&["\"a\""]));
        check(&["W/\"a\", \"b\""], tags(&["\"b\""]));
        check(&["W/\"a\""], tags(&[]));
        check(&["\"\""], tags(&["\"\""]));
        check(&[""], tags(&[]));
        check(&["*", "\"a\""], Err(""));
        check(&["*, \"a\""], Err(""));
        check(&["a"], Err(""));
        check(&["\"a"], Err(""));
        check(&["w/\"a\""], Err(""));
        check(&["\"a b\""], Err(""));
        check(&["\"a\"b\""], Err(""));
        check(&["W/a"], Err(""));
    }

    #[test]
    fn strong_comparison_only() {
        let check = |lines: &[&str], current: &str, expected: bool| {
            let parsed = parse(lines).expect("valid");
            assert_eq!(parsed.matches(current), expected, "{lines:?} vs {current}");
        };
        check(&["*"], "\"r0-x\"", true);
        check(&["\"r0-x\""], "\"r0-x\"", true);
        check(&["\"r1-x\", \"r0-x\""], "\"r0-x\"", true);
        check(&["W/\"r0-x\""], "\"r0-x\"", false);
        check(&["\"r1-x\""], "\"r0-x\"", false);
        check(&["\"R0-X\""], "\"r0-x\"", false);
        check(&[""], "\"r0-x\"", false);
    }

    #[test]
    fn the_room_fingerprint_tracks_every_shown_setting() {
        let base = room_fingerprint(Some("pw"), false, false);
        assert_eq!(base.len(), 16);
        assert!(base.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(base, room_fingerprint(Some("pw"), false, false));
        let others = [
            room_fingerprint(None, false, false),
            room_fingerprint(Some(""), false, false),
            room_fingerprint(Some("pw2"), false, false),
            room_fingerprint(Some("pw"), true, false),
            room_fingerprint(Some("pw"), false, true),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(&base, other, "variant {i}");
            for later in &others[i + 1..] {
                assert_ne!(other, later);
            }
        }
    }
}
