//! Fuzzy user search (`GET /users/find`, rules.md §20.5).

use conclave_domain::ids::TenantId;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::User;
use crate::models::escape_like;
use crate::schema::users;
use crate::{DbConnection, Result};

/// The most users one search returns.
pub const SEARCH_LIMIT: i64 = 20;

/// `fuzzystrmatch` caps `levenshtein` arguments at 255 characters and raises
/// an error beyond that, so both sides are cut to this length first.
const LEVENSHTEIN_MAX_CHARS: i32 = 255;

/// Soundex matches count only below this edit distance.
const MAX_DISTANCE: i32 = 5;

define_sql_function! {
    /// `fuzzystrmatch`'s phonetic code.
    fn soundex(text: Text) -> Text;
}

define_sql_function! {
    /// `fuzzystrmatch`'s edit distance.
    fn levenshtein(a: Text, b: Text) -> Integer;
}

define_sql_function! {
    /// PostgreSQL's `lower`.
    fn lower(text: Text) -> Text;
}

define_sql_function! {
    /// PostgreSQL's `left`: the first `n` characters.
    fn left(text: Text, n: Integer) -> Text;
}

impl User {
    /// Searches the active users of `tenant` for `query`: a case-insensitive
    /// substring of the display name, of "firstname lastname" or of the
    /// e-mail address, or a soundex match of the full name or the display
    /// name within a Levenshtein distance below 5. Results are ordered by
    /// that distance (full name, then display name) and capped at
    /// [`SEARCH_LIMIT`]. The minimum query length is the caller's rule.
    pub async fn search(
        conn: &mut DbConnection,
        tenant: TenantId,
        query: &str,
    ) -> Result<Vec<User>> {
        let needle: String = query
            .trim()
            .to_lowercase()
            .chars()
            .take(LEVENSHTEIN_MAX_CHARS as usize)
            .collect();
        let substring = format!("%{}%", escape_like(&needle));

        // Closures, because each use needs its own expression value.
        let full_name = || lower(users::firstname.concat(" ").concat(users::lastname));
        let display_name = || lower(users::display_name);
        let full_distance =
            || levenshtein(left(full_name(), LEVENSHTEIN_MAX_CHARS), needle.clone());
        let display_distance =
            || levenshtein(left(display_name(), LEVENSHTEIN_MAX_CHARS), needle.clone());

        let substring_match = full_name()
            .like(substring.clone())
            .or(display_name().like(substring.clone()))
            .or(lower(users::email).like(substring));
        let full_sounds_alike = soundex(full_name())
            .eq(soundex(needle.clone()))
            .and(full_distance().lt(MAX_DISTANCE));
        let display_sounds_alike = soundex(display_name())
            .eq(soundex(needle.clone()))
            .and(display_distance().lt(MAX_DISTANCE));

        Ok(users::table
            .filter(users::tenant_id.eq(Uuid::from(tenant)))
            .filter(users::disabled_since.is_null())
            .filter(
                substring_match
                    .or(full_sounds_alike)
                    .or(display_sounds_alike),
            )
            .order((full_distance(), display_distance(), users::id_serial))
            .limit(SEARCH_LIMIT)
            .select(User::as_select())
            .load(conn)
            .await?)
    }
}
