//! Opaque list cursors (api.md §4.3).
//!
//! Cursors are URL-safe base64 without padding over bincode's legacy layout:
//! little-endian fixed-width integers and u64 length prefixes. Writing the few
//! bytes by hand keeps the format stable without a serialization dependency.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};

use crate::ids::EventId;

/// A cursor that did not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid cursor")]
pub struct InvalidCursor;

/// The position after the last item of a `GET /events` page: the keyset
/// `(created_at, id)` of that event plus its start, as upstream encodes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventCursor {
    /// The last event's id.
    pub event_id: EventId,
    /// The last event's creation time.
    pub created_at: DateTime<Utc>,
    /// The last event's start; `None` for time-independent events.
    pub starts_at: Option<DateTime<Utc>>,
}

impl EventCursor {
    /// Encodes the cursor as an opaque token.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(80);
        put_bytes(&mut bytes, self.event_id.into_uuid().as_bytes());
        put_bytes(&mut bytes, rfc3339(self.created_at).as_bytes());
        match self.starts_at {
            None => bytes.push(0),
            Some(start) => {
                bytes.push(1);
                put_bytes(&mut bytes, rfc3339(start).as_bytes());
            }
        }
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Decodes a token written by [`EventCursor::encode`] (or by upstream).
    pub fn decode(token: &str) -> Result<Self, InvalidCursor> {
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| InvalidCursor)?;
        let mut reader = Reader(&bytes);
        let id = reader.bytes()?;
        let id = uuid::Uuid::from_slice(id).map_err(|_| InvalidCursor)?;
        let created_at = parse_time(reader.bytes()?)?;
        let starts_at = match reader.byte()? {
            0 => None,
            1 => Some(parse_time(reader.bytes()?)?),
            _ => return Err(InvalidCursor),
        };
        if !reader.0.is_empty() {
            return Err(InvalidCursor);
        }
        Ok(Self {
            event_id: EventId::from_uuid(id),
            created_at,
            starts_at,
        })
    }
}

/// The cursor of `GET /events/{id}/instances`: a page number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCursor(pub u64);

impl PageCursor {
    /// Encodes the page number as an opaque token.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.to_le_bytes())
    }

    /// Decodes a token written by [`PageCursor::encode`].
    pub fn decode(token: &str) -> Result<Self, InvalidCursor> {
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| InvalidCursor)?;
        let array: [u8; 8] = bytes.try_into().map_err(|_| InvalidCursor)?;
        Ok(Self(u64::from_le_bytes(array)))
    }
}

fn rfc3339(time: DateTime<Utc>) -> String {
    // The database keeps microseconds; print them only when non-zero.
    if time.timestamp_subsec_nanos() == 0 {
        time.to_rfc3339_opts(SecondsFormat::Secs, true)
    } else {
        time.to_rfc3339_opts(SecondsFormat::Micros, true)
    }
}

fn put_bytes(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(data);
}

fn parse_time(text: &[u8]) -> Result<DateTime<Utc>, InvalidCursor> {
    let text = std::str::from_utf8(text).map_err(|_| InvalidCursor)?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| InvalidCursor)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, InvalidCursor> {
        let (&first, rest) = self.0.split_first().ok_or(InvalidCursor)?;
        self.0 = rest;
        Ok(first)
    }

    fn bytes(&mut self) -> Result<&'a [u8], InvalidCursor> {
        if self.0.len() < 8 {
            return Err(InvalidCursor);
        }
        let (len, rest) = self.0.split_at(8);
        let len = u64::from_le_bytes(len.try_into().map_err(|_| InvalidCursor)?);
        // Bounded by the remaining input, so a forged length cannot allocate.
        let len = usize::try_from(len).map_err(|_| InvalidCursor)?;
        if rest.len() < len {
            return Err(InvalidCursor);
        }
        let (data, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn decodes_the_documented_example() {
        let cursor = EventCursor::decode(
            "EAAAAAAAAAAAAAAAAAAAAAAAAEQzIhEAFAAAAAAAAAAyMDI0LTA3LTIwVDE0OjE2OjE5WgA",
        )
        .unwrap();
        assert_eq!(
            cursor.event_id.to_string(),
            "00000000-0000-0000-0000-004433221100"
        );
        assert_eq!(
            cursor.created_at,
            Utc.with_ymd_and_hms(2024, 7, 20, 14, 16, 19).unwrap()
        );
        assert_eq!(cursor.starts_at, None);
        // Whole-second times re-encode to the very same token.
        assert_eq!(
            cursor.encode(),
            "EAAAAAAAAAAAAAAAAAAAAAAAAEQzIhEAFAAAAAAAAAAyMDI0LTA3LTIwVDE0OjE2OjE5WgA"
        );
    }

    #[test]
    fn round_trips_with_start_and_microseconds() {
        let created = Utc.timestamp_opt(1_700_000_000, 123_456_000).unwrap();
        let cursor = EventCursor {
            event_id: EventId::generate(),
            created_at: created,
            starts_at: Some(Utc.with_ymd_and_hms(2030, 1, 2, 3, 4, 5).unwrap()),
        };
        assert_eq!(EventCursor::decode(&cursor.encode()).unwrap(), cursor);
    }

    #[test]
    fn page_cursor_matches_the_documented_example() {
        assert_eq!(PageCursor::decode("BAAAAAAAAAA").unwrap(), PageCursor(4));
        assert_eq!(PageCursor(4).encode(), "BAAAAAAAAAA");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for token in [
            "",
            "!!!",
            "AAAA",
            "BAAAAAAAAAAA",
            "EAAAAAAAAAAA",
            "/////////////////w",
        ] {
            assert!(EventCursor::decode(token).is_err(), "{token}");
        }
        assert!(PageCursor::decode("AAAA").is_err());
    }
}
