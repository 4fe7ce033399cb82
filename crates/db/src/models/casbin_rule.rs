//! `casbin_rule`: authorization policy rows (schema.md §10).
//!
//! `ptype = 'p'` rows are permissions (`v0` subject, `v1` resource, `v2`
//! actions); `ptype = 'g'` rows are memberships (`v0` member, `v1` role or
//! group). Unused columns hold the empty string.

use conclave_domain::ids::CasbinRuleId;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::models::escape_like;
use crate::schema::casbin_rule;
use crate::{DbConnection, DbError, Result};

/// Rows per INSERT: 2000 rows × 7 parameters stays far below PostgreSQL's
/// 65535 bind-parameter limit.
pub const INSERT_CHUNK: usize = 2000;

/// The number of value columns (`v0`–`v5`).
pub const VALUE_COLUMNS: usize = 6;

/// A row of `casbin_rule`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = casbin_rule, check_for_backend(diesel::pg::Pg))]
pub struct CasbinRule {
    /// Serial primary key.
    #[diesel(deserialize_as = i32)]
    pub id: CasbinRuleId,
    /// `p` or `g`.
    pub ptype: String,
    /// Subject or member.
    pub v0: String,
    /// Resource, role or group.
    pub v1: String,
    /// Actions.
    pub v2: String,
    /// Unused (empty).
    pub v3: String,
    /// Unused (empty).
    pub v4: String,
    /// Unused (empty).
    pub v5: String,
}

impl CasbinRule {
    /// The values `v0..v5` with trailing empty strings dropped, as casbin
    /// reads them.
    pub fn rule_values(&self) -> Vec<String> {
        trimmed_values([&self.v0, &self.v1, &self.v2, &self.v3, &self.v4, &self.v5])
    }
}

/// Unused `vN` columns hold `''` (they are NOT NULL); casbin reads a rule
/// without its trailing empty values (schema.md §10.1).
fn trimmed_values(columns: [&String; VALUE_COLUMNS]) -> Vec<String> {
    let mut values: Vec<String> = columns.into_iter().cloned().collect();
    while values.last().is_some_and(String::is_empty) {
        values.pop();
    }
    values
}

/// A rule without its serial id: the insert form of [`CasbinRule`], also
/// used to address rows exactly and by the casbin adapter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Queryable, Selectable, Insertable)]
#[diesel(table_name = casbin_rule, check_for_backend(diesel::pg::Pg))]
pub struct NewCasbinRule {
    /// `p` or `g`.
    pub ptype: String,
    /// Subject or member.
    pub v0: String,
    /// Resource, role or group.
    pub v1: String,
    /// Actions.
    pub v2: String,
    /// Unused.
    pub v3: String,
    /// Unused.
    pub v4: String,
    /// Unused.
    pub v5: String,
}

impl NewCasbinRule {
    /// A rule from a ptype and up to six values (missing ones are stored as
    /// `''`); more than six values cannot be stored.
    pub fn from_values(ptype: &str, values: &[String]) -> Result<Self> {
        if values.len() > VALUE_COLUMNS {
            return Err(DbError::Other(format!(
                "a casbin rule has at most {VALUE_COLUMNS} values, got {}",
                values.len()
            )));
        }
        let value = |i: usize| values.get(i).cloned().unwrap_or_default();
        Ok(NewCasbinRule {
            ptype: ptype.to_owned(),
            v0: value(0),
            v1: value(1),
            v2: value(2),
            v3: value(3),
            v4: value(4),
            v5: value(5),
        })
    }

    /// The values with trailing empty ones dropped, as casbin expects them.
    pub fn rule_values(&self) -> Vec<String> {
        trimmed_values([&self.v0, &self.v1, &self.v2, &self.v3, &self.v4, &self.v5])
    }

    /// A permission row `p | subject | resource | actions`.
    pub fn policy(subject: &str, resource: &str, actions: &str) -> Self {
        Self::from_parts("p", subject, resource, actions)
    }

    /// A membership row `g | member | role_or_group`.
    pub fn grouping(member: &str, role_or_group: &str) -> Self {
        Self::from_parts("g", member, role_or_group, "")
    }

    fn from_parts(ptype: &str, v0: &str, v1: &str, v2: &str) -> Self {
        NewCasbinRule {
            ptype: ptype.to_owned(),
            v0: v0.to_owned(),
            v1: v1.to_owned(),
            v2: v2.to_owned(),
            v3: String::new(),
            v4: String::new(),
            v5: String::new(),
        }
    }
}

impl CasbinRule {
    /// Inserts the rules, skipping those that already exist, in chunks of
    /// [`INSERT_CHUNK`] inside one transaction; returns how many were new.
    pub async fn insert_many(conn: &mut DbConnection, rules: &[NewCasbinRule]) -> Result<usize> {
        if rules.is_empty() {
            return Ok(0);
        }
        conn.transaction::<_, DbError, _>(async |conn| {
            let mut inserted = 0;
            for chunk in rules.chunks(INSERT_CHUNK) {
                inserted += diesel::insert_into(casbin_rule::table)
                    .values(chunk)
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
            }
            Ok(inserted)
        })
        .await
    }

    /// Deletes the row equal to `rule` in all seven columns; returns whether
    /// one existed.
    pub async fn delete_exact(conn: &mut DbConnection, rule: &NewCasbinRule) -> Result<bool> {
        let deleted = diesel::delete(
            casbin_rule::table
                .filter(casbin_rule::ptype.eq(&rule.ptype))
                .filter(casbin_rule::v0.eq(&rule.v0))
                .filter(casbin_rule::v1.eq(&rule.v1))
                .filter(casbin_rule::v2.eq(&rule.v2))
                .filter(casbin_rule::v3.eq(&rule.v3))
                .filter(casbin_rule::v4.eq(&rule.v4))
                .filter(casbin_rule::v5.eq(&rule.v5)),
        )
        .execute(conn)
        .await?;
        Ok(deleted > 0)
    }

    /// Deletes every row whose subject (`v0`) is `subject`, `p` and `g` alike.
    pub async fn delete_by_subject(conn: &mut DbConnection, subject: &str) -> Result<usize> {
        Ok(
            diesel::delete(casbin_rule::table.filter(casbin_rule::v0.eq(subject)))
                .execute(conn)
                .await?,
        )
    }

    /// Deletes every permission row (of any subject) on `resource` or below
    /// it: `v1` equal to `resource` or starting with `resource/`. Sibling
    /// paths that merely share the text prefix stay.
    pub async fn delete_by_resource_prefix(
        conn: &mut DbConnection,
        resource: &str,
    ) -> Result<usize> {
        let below = format!("{}/%", escape_like(resource.trim_end_matches('/')));
        Ok(diesel::delete(
            casbin_rule::table
                .filter(casbin_rule::ptype.eq("p"))
                .filter(casbin_rule::v1.eq(resource).or(casbin_rule::v1.like(below))),
        )
        .execute(conn)
        .await?)
    }

    /// Like [`Self::delete_by_resource_prefix`], limited to one subject
    /// (removing an invitee's rules on an event and its room).
    pub async fn delete_for_subject_by_resource_prefix(
        conn: &mut DbConnection,
        subject: &str,
        resource: &str,
    ) -> Result<usize> {
        let below = format!("{}/%", escape_like(resource.trim_end_matches('/')));
        Ok(diesel::delete(
            casbin_rule::table
                .filter(casbin_rule::ptype.eq("p"))
                .filter(casbin_rule::v0.eq(subject))
                .filter(casbin_rule::v1.eq(resource).or(casbin_rule::v1.like(below))),
        )
        .execute(conn)
        .await?)
    }

    /// The rows of type `ptype` whose subject is one of `subjects`, by id.
    pub async fn load_for_subjects(
        conn: &mut DbConnection,
        ptype: &str,
        subjects: &[String],
    ) -> Result<Vec<CasbinRule>> {
        Ok(casbin_rule::table
            .filter(casbin_rule::ptype.eq(ptype))
            .filter(casbin_rule::v0.eq_any(subjects))
            .order(casbin_rule::id)
            .select(CasbinRule::as_select())
            .load(conn)
            .await?)
    }

    /// Every row, by id (loading the whole policy).
    pub async fn list_all(conn: &mut DbConnection) -> Result<Vec<CasbinRule>> {
        Ok(casbin_rule::table
            .order(casbin_rule::id)
            .select(CasbinRule::as_select())
            .load(conn)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::NewCasbinRule;

    #[test]
    fn pads_on_write_and_trims_on_read() {
        let check = |values: &[&str], stored: [&str; 6], read: &[&str]| {
            let values: Vec<String> = values.iter().map(|s| s.to_string()).collect();
            let row = NewCasbinRule::from_values("p", &values).unwrap();
            let got = [&row.v0, &row.v1, &row.v2, &row.v3, &row.v4, &row.v5];
            assert_eq!(got.map(String::as_str), stored, "{values:?}");
            assert_eq!(row.rule_values(), read, "{values:?}");
        };
        check(
            &["a", "b", "c"],
            ["a", "b", "c", "", "", ""],
            &["a", "b", "c"],
        );
        check(&["a", "", "c"], ["a", "", "c", "", "", ""], &["a", "", "c"]);
        check(&["a", "b", ""], ["a", "b", "", "", "", ""], &["a", "b"]);
        check(&[], ["", "", "", "", "", ""], &[]);
    }
}
