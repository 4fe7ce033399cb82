//! Loading the rules of a few subjects, never of the whole table.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::schema::casbin_rule;
use crate::{DbConnection, DbError, Result};

/// The most rows one load may return. A subject that owns more (a user with
/// tens of thousands of events) is refused rather than loaded without bound.
pub const MAX_ROWS_PER_LOAD: i64 = 250_000;

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
    let rows: Vec<(String, String, String, String)> = casbin_rule::table
        .filter(casbin_rule::ptype.eq_any(["p", "g"]))
        .filter(casbin_rule::v0.eq_any(subjects))
        .select((
            casbin_rule::ptype,
            casbin_rule::v0,
            casbin_rule::v1,
            casbin_rule::v2,
        ))
        .limit(MAX_ROWS_PER_LOAD + 1)
        .load(conn)
        .await?;
    if rows.len() as i64 > MAX_ROWS_PER_LOAD {
        return Err(DbError::Other(format!(
            "more than {MAX_ROWS_PER_LOAD} casbin rules for {subjects:?}"
        )));
    }
    Ok(group_rows(subjects, rows))
}

/// Loads, with one recursive query, the `p` and `g` rows of `subject` and of
/// every role and group it reaches through `g` links at most `max_depth`
/// links deep. Every subject of that closure gets an entry (empty when it
/// has no rows). Used on a cold cache, so a decision costs one round trip.
pub async fn load_closure_rows(
    conn: &mut DbConnection,
    subject: &str,
    max_depth: i32,
) -> Result<Vec<SubjectRows>> {
    use diesel::sql_types::{Integer, Text};

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        ptype: String,
        #[diesel(sql_type = Text)]
        v0: String,
        #[diesel(sql_type = Text)]
        v1: String,
        #[diesel(sql_type = Text)]
        v2: String,
    }
    // UNION (not ALL) over (subject, depth) stops cycles; the depth bound
    // stops everything else. `= ANY(ARRAY(...))` makes the closure one
    // array parameter, so both steps are prefix scans of the unique index.
    let rows: Vec<Row> = diesel::sql_query(
        "WITH RECURSIVE closure(s, depth) AS ( \
           SELECT $1::text, 0 \
           UNION \
           SELECT c.v1, cl.depth + 1 FROM closure cl \
           JOIN casbin_rule c ON c.ptype = 'g' AND c.v0 = cl.s \
           WHERE cl.depth < $2) \
         SELECT c.ptype, c.v0, c.v1, c.v2 FROM casbin_rule c \
         WHERE c.ptype IN ('p', 'g') AND c.v0 IN (SELECT s FROM closure) \
         LIMIT $3",
    )
    .bind::<Text, _>(subject)
    .bind::<Integer, _>(max_depth)
    .bind::<diesel::sql_types::BigInt, _>(MAX_ROWS_PER_LOAD + 1)
    .load(conn)
    .await?;
    if rows.len() as i64 > MAX_ROWS_PER_LOAD {
        return Err(DbError::Other(format!(
            "more than {MAX_ROWS_PER_LOAD} casbin rules for {subject} and its roles"
        )));
    }
    let mut subjects: Vec<String> = vec![subject.to_owned()];
    for row in rows.iter().filter(|r| r.ptype == "g") {
        subjects.push(row.v0.clone());
        subjects.push(row.v1.clone());
    }
    subjects.sort();
    subjects.dedup();
    let rows = rows
        .into_iter()
        .map(|r| (r.ptype, r.v0, r.v1, r.v2))
        .collect();
    Ok(group_rows(&subjects, rows))
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
