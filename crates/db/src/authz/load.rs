//! Loading the rules of a few subjects, never of the whole table.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::{DbConnection, DbError, Result};
use diesel::sql_types::{Array, Text};

/// The most rows one load may return. A subject that owns more (a user with
/// tens of thousands of events) is refused rather than loaded without bound.
pub const MAX_ROWS_PER_LOAD: i64 = 250_000;

#[derive(QueryableByName)]
struct RuleRow4 {
    #[diesel(sql_type = Text)]
    ptype: String,
    #[diesel(sql_type = Text)]
    v0: String,
    #[diesel(sql_type = Text)]
    v1: String,
    #[diesel(sql_type = Text)]
    v2: String,
}

/// The rules whose `v0` is one subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectRows {
    /// The subject (`v0`).
    pub subject: String,
    /// `v1` of its `g` rows: the roles and groups it is a member of.
    pub roles: Vec<String>,
    /// `(v1, v2)` of its `p` rows: object and action list.
    pub policies: Vec<(String, String)>,
}

/// Loads the `p` and `g` rows of every subject in `subjects` with one query
/// (`ptype IN ('p','g') AND v0 = ANY($1)`, an index prefix scan). Every
/// requested subject gets an entry, empty when it has no rows, so callers
/// can cache the absence of rules as well.
pub async fn load_subject_rows(
    conn: &mut DbConnection,
    subjects: &[String],
) -> Result<Vec<SubjectRows>> {
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    // Constants are literals, not parameters: with a parameterised LIMIT,
    // PostgreSQL's generic plan for this prepared statement is a sequential
    // scan on small tables (it expects the limit to stop the scan early).
    let rows: Vec<RuleRow4> = diesel::sql_query(format!(
        "SELECT ptype, v0, v1, v2 FROM casbin_rule \
         WHERE ptype IN ('p', 'g') AND v0 = ANY($1) LIMIT {}",
        MAX_ROWS_PER_LOAD + 1
    ))
    .bind::<Array<Text>, _>(subjects)
    .load(conn)
    .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .map(|r| (r.ptype, r.v0, r.v1, r.v2))
        .collect();
    if rows.len() as i64 > MAX_ROWS_PER_LOAD {
        return Err(DbError::Other(format!(
            "more than {MAX_ROWS_PER_LOAD} casbin rules for {subjects:?}"
        )));
    }
    Ok(group_rows(subjects, rows))
}

fn group_rows(
    subjects: &[String],
    rows: Vec<(String, String, String, String)>,
) -> Vec<SubjectRows> {
    let mut by_subject: HashMap<&str, SubjectRows> = subjects
        .iter()
        .map(|s| {
            (
                s.as_str(),
                SubjectRows {
                    subject: s.clone(),
                    ..SubjectRows::default()
                },
            )
        })
        .collect();
    for (ptype, v0, v1, v2) in rows {
        let Some(entry) = by_subject.get_mut(v0.as_str()) else {
            continue;
        };
        match ptype.as_str() {
            "g" => entry.roles.push(v1),
            _ => entry.policies.push((v1, v2)),
        }
    }
    let mut out: Vec<SubjectRows> = by_subject.into_values().collect();
    out.sort_by(|a, b| a.subject.cmp(&b.subject));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_rows_by_subject_and_keeps_empty_subjects() {
        let s = |v: &str| v.to_owned();
        let rows = vec![
            (s("g"), s("user::a"), s("role::user"), s("")),
            (s("p"), s("user::a"), s("/rooms/1"), s("GET")),
            (s("p"), s("role::user"), s("/rooms"), s("POST|GET")),
        ];
        let subjects = [s("user::a"), s("role::user"), s("group::none")];
        let got = group_rows(&subjects, rows);
        let want = vec![
            SubjectRows {
                subject: s("group::none"),
                ..Default::default()
            },
            SubjectRows {
                subject: s("role::user"),
                roles: vec![],
                policies: vec![(s("/rooms"), s("POST|GET"))],
            },
            SubjectRows {
                subject: s("user::a"),
                roles: vec![s("role::user")],
                policies: vec![(s("/rooms/1"), s("GET"))],
            },
        ];
        assert_eq!(got, want);
    }
}
