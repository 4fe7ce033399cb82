//! Batch inserts of `casbin_rule` rows for the rule writer and the casbin
//! adapter; the row type is [`NewCasbinRule`].

use diesel_async::RunQueryDsl;

use crate::schema::casbin_rule;
use crate::{DbConnection, Result};

pub use crate::models::casbin_rule::{INSERT_CHUNK as INSERT_BATCH, NewCasbinRule, VALUE_COLUMNS};

/// Inserts rows in batches, skipping rows that already exist (the unique
/// key makes that a no-op). Returns the `v0` of every row actually inserted.
pub async fn insert_new(conn: &mut DbConnection, rows: &[NewCasbinRule]) -> Result<Vec<String>> {
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
pub async fn insert_all(conn: &mut DbConnection, rows: &[NewCasbinRule]) -> Result<()> {
    for chunk in rows.chunks(INSERT_BATCH) {
        diesel::insert_into(casbin_rule::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    Ok(())
}
