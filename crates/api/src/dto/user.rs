//! User profiles (api.md §6.1).

use conclave_db::models::user::User;
use conclave_domain::ids::UserId;
use conclave_domain::tariff::TariffStatus;
use conclave_domain::text::{DisplayName, Language, Theme, UserTitle};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::config::Settings;

/// Public details of a user, visible to other users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicUserProfile {
    /// The user id.
    #[schema(value_type = uuid::Uuid)]
    pub id: UserId,
    /// The (lower-case) email address.
    pub email: String,
    /// The user's title.
    pub title: String,
    /// Given name.
    pub firstname: String,
    /// Family name.
    pub lastname: String,
    /// Display name.
    pub display_name: String,
    /// Avatar URL: the stored one, or libravatar's for the email.
    pub avatar_url: String,
}

impl PublicUserProfile {
    /// Builds the profile of `user`.
    pub fn of(user: &User, settings: &Settings) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            title: user.title.clone(),
            firstname: user.firstname.clone(),
            lastname: user.lastname.clone(),
            display_name: user.display_name.clone(),
            avatar_url: avatar_url(user.avatar_url.as_deref(), &user.email, settings),
        }
    }
}

/// The caller's own profile (`/users/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PrivateUserProfile {
    /// The public fields.
    #[serde(flatten)]
    pub public: PublicUserProfile,
    /// Dashboard theme.
    pub dashboard_theme: String,
    /// Conference theme.
    pub conference_theme: String,
    /// Preferred language.
    pub language: String,
    /// Which tariff applies.
    #[schema(value_type = String)]
    pub tariff_status: TariffStatus,
    /// Bytes used by the assets of the rooms the user created.
    pub used_storage: u64,
}

impl PrivateUserProfile {
    /// Builds the private profile of `user`.
    pub fn of(user: &User, used_storage: u64, settings: &Settings) -> Self {
        Self {
            public: PublicUserProfile::of(user, settings),
            dashboard_theme: user.dashboard_theme.clone(),
            conference_theme: user.conference_theme.clone(),
            language: user.language.clone(),
            tariff_status: user.tariff_status,
            used_storage,
        }
    }
}

/// `PATCH /users/me`: every field optional; limits are in bytes and broken
/// limits are JSON errors (400 `invalid_json`), as upstream.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMeBody {
    /// New title (≤ 255 bytes).
    #[schema(value_type = Option<String>)]
    pub title: Option<UserTitle>,
    /// New display name (≤ 255 bytes).
    #[schema(value_type = Option<String>)]
    pub display_name: Option<DisplayName>,
    /// New language (≤ 35 bytes).
    #[schema(value_type = Option<String>)]
    pub language: Option<Language>,
    /// New dashboard theme (≤ 128 bytes).
    #[schema(value_type = Option<String>)]
    pub dashboard_theme: Option<Theme>,
    /// New conference theme (≤ 128 bytes).
    #[schema(value_type = Option<String>)]
    pub conference_theme: Option<Theme>,
}

impl PatchMeBody {
    /// Whether the body changes nothing (answered 204).
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.display_name.is_none()
            && self.language.is_none()
            && self.dashboard_theme.is_none()
            && self.conference_theme.is_none()
    }
}

/// `GET /users/find` entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GetFindResponseEntry {
    /// A registered user.
    Registered(PublicUserProfile),
}

/// The stored avatar URL, or `<libravatar base><md5 of the email>`.
pub fn avatar_url(stored: Option<&str>, email: &str, settings: &Settings) -> String {
    match stored {
        Some(url) => url.to_owned(),
        None => {
            let digest = Md5::digest(email.trim().to_lowercase().as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("{}{hex}", settings.avatar.libravatar_url)
        }
    }
}
