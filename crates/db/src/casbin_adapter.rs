//! A casbin 2.20 [`Adapter`] over `casbin_rule`, on diesel-async.
//!
//! No diesel-async adapter exists on crates.io (stack.md §6.2). Conclave's
//! request path does not use casbin (see `conclave_api::authz`); this adapter
//! serves tools and tests that want casbin's management API on the real
//! table, and keeps the row format identical to upstream's:
//!
//! * unused `vN` columns are written as `''`, trailing empty values are
//!   dropped on load;
//! * inserting an existing rule answers `Ok(false)` (the unique key
//!   `unique_key_diesel_adapter` rejects it), for one rule or a batch;
//! * batches go in chunks of 2000 rows inside one transaction.

use async_trait::async_trait;
use casbin::{Adapter, Filter, Model};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::authz::rows::{NewCasbinRule, VALUE_COLUMNS, insert_all};
use crate::pool::{self, Pool};
use crate::schema::casbin_rule;
use crate::{DbConnection, DbError};

type RuleFilter =
    Box<dyn BoxableExpression<casbin_rule::table, Pg, SqlType = diesel::sql_types::Bool>>;

/// The casbin adapter. Cheap to create; every call checks a connection out
/// of the pool.
pub struct DieselAdapter {
    pool: Pool,
    filtered: bool,
}

impl DieselAdapter {
    /// An adapter over the pool's database.
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            filtered: false,
        }
    }

    async fn conn(&self) -> Result<pool::PooledConnection, DbError> {
        pool::get(&self.pool).await
    }
}

fn adapter_error(err: DbError) -> casbin::Error {
    casbin::Error::AdapterError(casbin::error::AdapterError(Box::new(err)))
}

/// `vN = value` for `N = index`.
fn column_eq(index: usize, value: String) -> Option<RuleFilter> {
    Some(match index {
        0 => Box::new(casbin_rule::v0.eq(value)),
        1 => Box::new(casbin_rule::v1.eq(value)),
        2 => Box::new(casbin_rule::v2.eq(value)),
        3 => Box::new(casbin_rule::v3.eq(value)),
        4 => Box::new(casbin_rule::v4.eq(value)),
        5 => Box::new(casbin_rule::v5.eq(value)),
        _ => return None,
    })
}

/// `ptype = ptype` and `v(start+i) = values[i]` for every non-empty value,
/// as casbin's field filters; `None` when a value lies beyond `v5`.
fn field_filter(ptype: &str, start: usize, values: &[String]) -> Option<RuleFilter> {
    let mut filter: RuleFilter = Box::new(casbin_rule::ptype.eq(ptype.to_owned()));
    for (offset, value) in values.iter().enumerate() {
        if value.is_empty() {
            continue;
        }
        filter = Box::new(filter.and(column_eq(start + offset, value.clone())?));
    }
    Some(filter)
}

/// The filter of one whole stored row (every column, `''` included).
fn exact_filter(row: &NewCasbinRule) -> RuleFilter {
    Box::new(
        casbin_rule::ptype
            .eq(row.ptype.clone())
            .and(casbin_rule::v0.eq(row.v0.clone()))
            .and(casbin_rule::v1.eq(row.v1.clone()))
            .and(casbin_rule::v2.eq(row.v2.clone()))
            .and(casbin_rule::v3.eq(row.v3.clone()))
            .and(casbin_rule::v4.eq(row.v4.clone()))
            .and(casbin_rule::v5.eq(row.v5.clone())),
    )
}

async fn load_rows(
    conn: &mut DbConnection,
    filter: Option<RuleFilter>,
) -> Result<Vec<NewCasbinRule>, DbError> {
    let mut query = casbin_rule::table
        .select(NewCasbinRule::as_select())
        .order(casbin_rule::id)
        .into_boxed();
    if let Some(filter) = filter {
        query = query.filter(filter);
    }
    Ok(query.load(conn).await?)
}

fn add_to_model(m: &mut dyn Model, rows: Vec<NewCasbinRule>) {
    for row in rows {
        let Some(sec) = row.ptype.get(..1).map(str::to_owned) else {
            continue;
        };
        m.add_policy(&sec, &row.ptype, row.rule_values());
    }
}

/// Inserts all rows in one transaction; a duplicate rolls everything back.
async fn insert_atomically(
    conn: &mut DbConnection,
    rows: Vec<NewCasbinRule>,
) -> casbin::Result<bool> {
    let result = conn
        .transaction::<_, DbError, _>(async |conn| insert_all(conn, &rows).await)
        .await;
    match result {
        Ok(()) => Ok(true),
        Err(DbError::UniqueViolation { .. }) => Ok(false),
        Err(other) => Err(adapter_error(other)),
    }
}

/// A casbin rule as a stored row.
fn to_row(ptype: &str, rule: &[String]) -> casbin::Result<NewCasbinRule> {
    NewCasbinRule::from_values(ptype, rule).map_err(adapter_error)
}

#[async_trait]
impl Adapter for DieselAdapter {
    async fn load_policy(&mut self, m: &mut dyn Model) -> casbin::Result<()> {
        let mut conn = self.conn().await.map_err(adapter_error)?;
        let rows = load_rows(&mut conn, None).await.map_err(adapter_error)?;
        add_to_model(m, rows);
        self.filtered = false;
        Ok(())
    }

    async fn load_filtered_policy<'a>(
        &mut self,
        m: &mut dyn Model,
        f: Filter<'a>,
    ) -> casbin::Result<()> {
        let owned = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>();
        let (p, g) = (owned(&f.p), owned(&f.g));
        let invalid = || adapter_error(DbError::Other("filter has more than six values".into()));
        let p_filter = field_filter("p", 0, &p).ok_or_else(invalid)?;
        let g_filter = field_filter("g", 0, &g).ok_or_else(invalid)?;
        // Other ptypes (p2, g2, …) are not filtered, as casbin's own adapters.
        let other: RuleFilter = Box::new(casbin_rule::ptype.ne_all(["p", "g"]));
        let filter: RuleFilter = Box::new(p_filter.or(g_filter).or(other));
        let mut conn = self.conn().await.map_err(adapter_error)?;
        let rows = load_rows(&mut conn, Some(filter))
            .await
            .map_err(adapter_error)?;
        add_to_model(m, rows);
        self.filtered = p.iter().chain(&g).any(|v| !v.is_empty());
        Ok(())
    }

    fn is_filtered(&self) -> bool {
        self.filtered
    }

    async fn save_policy(&mut self, m: &mut dyn Model) -> casbin::Result<()> {
        let mut rows = Vec::new();
        for sec in ["p", "g"] {
            let Some(assertions) = m.get_model().get(sec) else {
                continue;
            };
            for (ptype, assertion) in assertions {
                for rule in assertion.get_policy() {
                    rows.push(to_row(ptype, rule)?);
                }
            }
        }
        let mut conn = self.conn().await.map_err(adapter_error)?;
        conn.transaction::<_, DbError, _>(async |conn| {
            diesel::delete(casbin_rule::table).execute(conn).await?;
            insert_all(conn, &rows).await
        })
        .await
        .map_err(adapter_error)
    }

    async fn clear_policy(&mut self) -> casbin::Result<()> {
        let mut conn = self.conn().await.map_err(adapter_error)?;
        diesel::delete(casbin_rule::table)
            .execute(&mut conn)
            .await
            .map_err(|e| adapter_error(e.into()))?;
        self.filtered = false;
        Ok(())
    }

    async fn add_policy(
        &mut self,
        _sec: &str,
        ptype: &str,
        rule: Vec<String>,
    ) -> casbin::Result<bool> {
        let row = to_row(ptype, &rule)?;
        let mut conn = self.conn().await.map_err(adapter_error)?;
        insert_atomically(&mut conn, vec![row]).await
    }

    async fn add_policies(
        &mut self,
        _sec: &str,
        ptype: &str,
        rules: Vec<Vec<String>>,
    ) -> casbin::Result<bool> {
        let rows = rules
            .iter()
            .map(|r| to_row(ptype, r))
            .collect::<casbin::Result<Vec<_>>>()?;
        let mut conn = self.conn().await.map_err(adapter_error)?;
        insert_atomically(&mut conn, rows).await
    }

    async fn remove_policy(
        &mut self,
        _sec: &str,
        ptype: &str,
        rule: Vec<String>,
    ) -> casbin::Result<bool> {
        let row = to_row(ptype, &rule)?;
        let mut conn = self.conn().await.map_err(adapter_error)?;
        let deleted = diesel::delete(casbin_rule::table)
            .filter(exact_filter(&row))
            .execute(&mut conn)
            .await
            .map_err(|e| adapter_error(e.into()))?;
        Ok(deleted > 0)
    }

    async fn remove_policies(
        &mut self,
        _sec: &str,
        ptype: &str,
        rules: Vec<Vec<String>>,
    ) -> casbin::Result<bool> {
        let rows = rules
            .iter()
            .map(|r| to_row(ptype, r))
            .collect::<casbin::Result<Vec<_>>>()?;
        let mut conn = self.conn().await.map_err(adapter_error)?;
        // All or nothing: a missing rule rolls the whole removal back.
        let result = conn
            .transaction::<_, DbError, _>(async |conn| {
                for row in &rows {
                    let n = diesel::delete(casbin_rule::table)
                        .filter(exact_filter(row))
                        .execute(conn)
                        .await?;
                    if n == 0 {
                        return Err(DbError::NotFound);
                    }
                }
                Ok(())
            })
            .await;
        match result {
            Ok(()) => Ok(true),
            Err(DbError::NotFound) => Ok(false),
            Err(other) => Err(adapter_error(other)),
        }
    }

    async fn remove_filtered_policy(
        &mut self,
        _sec: &str,
        ptype: &str,
        field_index: usize,
        field_values: Vec<String>,
    ) -> casbin::Result<bool> {
        if field_index + field_values.len() > VALUE_COLUMNS {
            return Ok(false);
        }
        let Some(filter) = field_filter(ptype, field_index, &field_values) else {
            return Ok(false);
        };
        let mut conn = self.conn().await.map_err(adapter_error)?;
        let deleted = diesel::delete(casbin_rule::table)
            .filter(filter)
            .execute(&mut conn)
            .await
            .map_err(|e| adapter_error(e.into()))?;
        Ok(deleted > 0)
    }
}
