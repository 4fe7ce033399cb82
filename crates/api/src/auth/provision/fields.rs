//! Claim → column rules of the login (api.md §5.5, rules.md §20.3), pure.

use conclave_db::models::user::{NewUser, UpdateUser, User};
use conclave_domain::ids::{TariffId, TenantId};
use conclave_domain::tariff::TariffStatus;
use conclave_domain::text::DisplayName;

use crate::auth::claims::Claims;
use crate::auth::provision::phone::normalize_phone;
use crate::config::Settings;

/// The profile columns a login derives from the ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Lower-cased `email`.
    pub email: String,
    /// `given_name`.
    pub firstname: String,
    /// `family_name`.
    pub lastname: String,
    /// `nickname`, else "given family"; collapsed, ≤ 255 bytes.
    pub display_name: String,
    /// `picture`.
    pub avatar_url: Option<String>,
    /// E.164 phone, only when call-in is configured.
    pub phone: Option<String>,
}

impl Profile {
    /// Derives the profile from `claims` under `settings`.
    pub fn from_claims(claims: &Claims, settings: &Settings) -> Profile {
        let phone = match (&settings.call_in, &claims.phone_number) {
            (Some(call_in), Some(number)) => normalize_phone(number, &call_in.default_country_code),
            _ => None,
        };
        Profile {
            email: claims.email.to_lowercase(),
            firstname: claims.given_name.clone(),
            lastname: claims.family_name.clone(),
            display_name: DisplayName::from_claims(
                claims.nickname.as_deref(),
                &claims.given_name,
                &claims.family_name,
            )
            .into_inner(),
            avatar_url: claims.picture.clone(),
            phone,
        }
    }
}

/// Tariff and tenant of the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    /// The resolved tenant.
    pub tenant: TenantId,
    /// The effective tariff.
    pub tariff: TariffId,
    /// The status to store.
    pub status: TariffStatus,
}

/// The row of a new user.
pub fn new_user(
    sub: &str,
    profile: Profile,
    assignment: Assignment,
    id_token_exp: i64,
    language: &str,
) -> NewUser {
    NewUser {
        oidc_sub: sub.to_owned(),
        email: profile.email,
        title: String::new(),
        firstname: profile.firstname,
        lastname: profile.lastname,
        id_token_exp,
        language: language.to_owned(),
        display_name: profile.display_name,
        phone: profile.phone,
        tenant_id: assignment.tenant,
        tariff_id: assignment.tariff,
        tariff_status: assignment.status,
        avatar_url: profile.avatar_url,
    }
}

/// The changes a later login makes: every differing profile field, the
/// tariff, and always `id_token_exp`. The display name only when custom
/// display names are disallowed (otherwise it is the user's own choice).
pub fn update_user(
    existing: &User,
    profile: Profile,
    assignment: Assignment,
    id_token_exp: i64,
    disallow_custom_display_name: bool,
) -> UpdateUser {
    fn changed<T: PartialEq>(old: &T, new: T) -> Option<T> {
        (*old != new).then_some(new)
    }
    UpdateUser {
        email: (existing.email.to_lowercase() != profile.email).then_some(profile.email),
        firstname: changed(&existing.firstname, profile.firstname),
        lastname: changed(&existing.lastname, profile.lastname),
        avatar_url: changed(&existing.avatar_url, profile.avatar_url),
        phone: changed(&existing.phone, profile.phone),
        tariff_id: changed(&existing.tariff_id, assignment.tariff),
        tariff_status: changed(&existing.tariff_status, assignment.status),
        display_name: if disallow_custom_display_name {
            changed(&existing.display_name, profile.display_name)
        } else {
            None
        },
        id_token_exp: Some(id_token_exp),
        ..UpdateUser::default()
    }
}

#[cfg(test)]
mod tests;
