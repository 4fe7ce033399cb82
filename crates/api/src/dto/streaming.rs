//! Streaming target wire types (api.md §6.3, §7.6, rules.md §14).
//!
//! Every type constraint is checked while deserialising, so a bad value is
//! 400 `invalid_json` (api.md §2.2), an unknown `kind` included.

use conclave_db::models::room_streaming_target::RoomStreamingTarget as TargetRow;
use conclave_domain::ids::StreamingTargetId;
use conclave_domain::streaming::StreamingKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Schemes accepted for the ingest endpoint: web ingest and the usual
/// live-streaming protocols (the only kind is a custom RTMP-style target).
const INGEST_SCHEMES: &[&str] = &["http", "https", "rtmp", "rtmps", "srt"];
/// Schemes accepted for the public viewing link shown to participants.
const PUBLIC_SCHEMES: &[&str] = &["http", "https"];

/// Parses an absolute URL with a host and one of `schemes`; returns its
/// normalised text.
fn parse_url(text: &str, schemes: &[&str]) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| format!("invalid URL {text:?}: {e}"))?;
    if !schemes.contains(&url.scheme()) || url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "URL {text:?} must be absolute with a host and one of the schemes {}",
            schemes.join(", ")
        ));
    }
    Ok(url.to_string())
}

macro_rules! url_type {
    ($(#[$meta:meta])* $name:ident, $schemes:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                parse_url(&value, $schemes).map(Self)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

url_type!(
    /// An ingest endpoint: an absolute http(s), rtmp(s) or srt URL.
    IngestUrl,
    INGEST_SCHEMES
);
url_type!(
    /// A public viewing link: an absolute http(s) URL.
    PublicUrl,
    PUBLIC_SCHEMES
);

/// The request body of `POST /rooms/{id}/streaming_targets`
/// (`StreamingTarget`); every field is required.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct StreamingTarget {
    /// Display name.
    pub name: String,
    /// Always `custom`.
    #[schema(value_type = String, example = "custom")]
    pub kind: StreamingKind,
    /// Where the meeting is streamed to.
    #[schema(value_type = String)]
    pub streaming_endpoint: IngestUrl,
    /// The secret stream key.
    pub streaming_key: String,
    /// Where viewers watch the stream.
    #[schema(value_type = String)]
    pub public_url: PublicUrl,
}

/// A target with its key (`RoomStreamingTarget`): answers of POST and PATCH.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoomStreamingTarget {
    /// The target id.
    #[schema(value_type = uuid::Uuid)]
    pub id: StreamingTargetId,
    /// Display name.
    pub name: String,
    /// Always `custom`.
    #[schema(value_type = String, example = "custom")]
    pub kind: StreamingKind,
    /// Ingest endpoint.
    pub streaming_endpoint: String,
    /// The secret stream key.
    pub streaming_key: String,
    /// Public viewing link.
    pub public_url: String,
}

impl From<&TargetRow> for RoomStreamingTarget {
    fn from(row: &TargetRow) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            kind: row.kind,
            streaming_endpoint: row.streaming_endpoint.clone(),
            streaming_key: row.streaming_key.clone(),
            public_url: row.public_url.clone(),
        }
    }
}

/// A target as readers see it (`RoomStreamingTargetResource`): the key is
/// present only for those who may edit the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoomStreamingTargetResource {
    /// The target id.
    #[schema(value_type = uuid::Uuid)]
    pub id: StreamingTargetId,
    /// Display name.
    pub name: String,
    /// Always `custom`.
    #[schema(value_type = String, example = "custom")]
    pub kind: StreamingKind,
    /// Ingest endpoint.
    pub streaming_endpoint: String,
    /// The secret stream key; omitted for readers who may not edit the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streaming_key: Option<String>,
    /// Public viewing link.
    pub public_url: String,
}

impl RoomStreamingTargetResource {
    /// Renders `row`, with the key only when `with_key`.
    pub fn of(row: &TargetRow, with_key: bool) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            kind: row.kind,
            streaming_endpoint: row.streaming_endpoint.clone(),
            streaming_key: with_key.then(|| row.streaming_key.clone()),
            public_url: row.public_url.clone(),
        }
    }
}

/// The body of `PATCH /rooms/{id}/streaming_targets/{id}`. `null` and absent
/// both mean "unchanged". The endpoint and key fields belong to the kind:
/// they apply only when `kind` is present, as upstream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub struct PatchRoomStreamingTargetRequestBody {
    /// New display name.
    #[serde(default)]
    pub name: Option<String>,
    /// `custom`; required to change the fields below.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "custom")]
    pub kind: Option<StreamingKind>,
    /// New ingest endpoint.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub streaming_endpoint: Option<IngestUrl>,
    /// New stream key.
    #[serde(default)]
    pub streaming_key: Option<String>,
    /// New public viewing link.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub public_url: Option<PublicUrl>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_absolute_with_an_allowed_scheme() {
        let check = |text: &str, ingest: bool, public: bool| {
            assert_eq!(
                IngestUrl::try_from(text.to_owned()).is_ok(),
                ingest,
                "{text}"
            );
            assert_eq!(
                PublicUrl::try_from(text.to_owned()).is_ok(),
                public,
                "{text}"
            );
        };
        check("https://ingress.example.com/", true, true);
        check("http://example.com/live?x=1", true, true);
        check("rtmp://live.example.com/app", true, false);
        check("srt://live.example.com:9000", true, false);
        check("/relative/path", false, false);
        check("example.com/live", false, false);
        check("javascript:alert(1)", false, false);
        check("mailto:a@example.com", false, false);
        check("file:///etc/passwd", false, false);
        check("https://", false, false);
        check("", false, false);
    }

    #[test]
    fn urls_are_stored_normalised() {
        let url = PublicUrl::try_from("HTTPS://Example.COM".to_owned()).unwrap();
        assert_eq!(String::from(url), "https://example.com/");
    }

    #[test]
    fn post_body_needs_every_field_and_the_custom_kind() {
        let full = serde_json::json!({
            "name": "n", "kind": "custom", "streaming_endpoint": "rtmp://e.example/x",
            "streaming_key": "k", "public_url": "https://p.example/"
        });
        assert!(serde_json::from_value::<StreamingTarget>(full.clone()).is_ok());
        for field in [
            "name",
            "kind",
            "streaming_endpoint",
            "streaming_key",
            "public_url",
        ] {
            let mut body = full.clone();
            body.as_object_mut().unwrap().remove(field);
            assert!(
                serde_json::from_value::<StreamingTarget>(body).is_err(),
                "{field}"
            );
        }
        let mut body = full;
        body["kind"] = "youtube".into();
        assert!(serde_json::from_value::<StreamingTarget>(body).is_err());
    }

    #[test]
    fn resource_hides_the_key_from_readers() {
        let row = TargetRow {
            id: uuid::Uuid::from_u128(1).into(),
            room_id: uuid::Uuid::from_u128(2).into(),
            name: "n".into(),
            kind: StreamingKind::Custom,
            streaming_endpoint: "rtmp://e/".into(),
            streaming_key: "secret".into(),
            public_url: "https://p/".into(),
        };
        let reader = serde_json::to_value(RoomStreamingTargetResource::of(&row, false)).unwrap();
        assert!(reader.get("streaming_key").is_none());
        let owner = serde_json::to_value(RoomStreamingTargetResource::of(&row, true)).unwrap();
        assert_eq!(owner["streaming_key"], "secret");
        assert_eq!(owner["kind"], "custom");
    }
}
