//! Raw `casbin_rule` rows as casbin sees them: a `ptype` and up to six values.
//!
//! Unused `vN` columns are NOT NULL, so they hold `''` on write; trailing
//! empty values are dropped again on read (schema.md §10.1).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::schema::casbin_rule;
use crate::{DbConnection, DbError, Result};

/// How many rows one `INSERT` carries (7 binds each, far below PostgreSQL's
/// 65 535 bind limit), as upstream's adapter.
pub const INSERT_BATCH: usize = 2000;

/// The number of value columns (`v0`–`v5`).
pub const VALUE_COLUMNS: usize = 6;

/// One stored row without its serial id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Queryable, Selectable, Insertable)]
#[diesel(table_name = casbin_rule, check_for_backend(diesel::pg::Pg))]
pub struct RuleRow {
    /// `p` (policy) or `g` (role link).
    pub ptype: String,
    /// Subject or member.
    pub v0: String,
    /// Object or role.
    pub v1: String,
    /// Action list.
    pub v2: String,
    /// Unused by Conclave.
    pub v3: String,
    /// Unused by Conclave.
    pub v4: String,
    /// Unused by Conclave.
    pub v5: String,
}

impl RuleRow {
    /// A row from `ptype` and its values, padding unused columns with `''`.
    /// More than six values cannot be stored.
    pub fn new(ptype: &str, values: &[String]) -> Result<Self> {
        if values.len() > VALUE_COLUMNS {
            return Err(DbError::Other(format!(
                "a casbin rule has at most {VALUE_COLUMNS} values, got {}",
                values.len()
            )));
        }
        let v = |i: usize| values.get(i).cloned().unwrap_or_default();
        Ok(Self {
            ptype: ptype.to_owned(),
            v0: v(0),
            v1: v(1),
            v2: v(2),
            v3: v(3),
            v4: v(4),
            v5: v(5),
        })
    }

    /// The values with trailing empty ones dropped, as casbin expects them.
    pub fn rule_values(&self) -> Vec<String> {
        let mut values = vec![
            self.v0.clone(),
            self.v1.clone(),
            self.v2.clone(),
            self.v3.clone(),
            self.v4.clone(),
            self.v5.clone(),
        ];
        while values.last().is_some_and(String::is_empty) {
            values.pop();
        }
        values
    }
}

/// Inserts rows in batches, skipping rows that already exist (the unique
/// key makes that a no-op). Returns the `v0` of every row actually inserted.
pub async fn insert_new(conn: &mut DbConnection, rows: &[RuleRow]) -> Result<Vec<String>> {
    let mut inserted = Vec::new();
    for chunk in rows.chunks(INSERT_BATCH) {
        let v0s: Vec<String> = diesel::insert_into(casbin_rule::table)
            .values(chunk)
            .on_conflict_do_nothing()
            .returning(casbin_rule::v0)
            .get_results(conn)
            .await?;
        inserted.extend(v0s);
    }
    Ok(inserted)
}

/// Inserts rows in batches; an existing row fails the insert with
/// [`DbError::UniqueViolation`] (the caller's transaction decides the rest).
pub async fn insert_all(conn: &mut DbConnection, rows: &[RuleRow]) -> Result<()> {
    for chunk in rows.chunks(INSERT_BATCH) {
        diesel::insert_into(casbin_rule::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_on_write_and_trims_on_read() {
        let check = |values: &[&str], stored: [&str; 6], read: &[&str]| {
            let values: Vec<String> = values.iter().map(|s| s.to_string()).collect();
            let row = RuleRow::new("p", &values).unwrap();
            let got = [&row.v0, &row.v1, &row.v2, &row.v3, &row.v4, &row.v5];
            assert_eq!(got.map(String::as_str), stored, "{values:?}");
            assert_eq!(
                row.rule_values(),
                read.iter().map(|s| s.to_string()).collect::<Vec<_>>()
            );
        };
        check(
            &["a", "b", "c"],
            ["a", "b", "c", "", "", ""],
            &["a", "b", "c"],
        );
        check(&["a", "", "c"], ["a", "", "c", "", "", ""], &["a", "", "c"]);
        check(&["a", "b", ""], ["a", "b", "", "", "", ""], &["a", "b"]);
        check(&[], ["", "", "", "", "", ""], &[]);
        check(
            &["1", "2", "3", "4", "5", "6"],
            ["1", "2", "3", "4", "5", "6"],
            &["1", "2", "3", "4", "5", "6"],
        );
    }

    #[test]
    fn refuses_more_than_six_values() {
        let values: Vec<String> = (0..7).map(|i| i.to_string()).collect();
        assert!(RuleRow::new("p", &values).is_err());
    }
}
