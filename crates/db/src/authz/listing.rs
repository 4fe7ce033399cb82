//! "Which rooms may I read": one SQL query over `casbin_rule` joined to
//! `rooms`, never one enforcement call per room (rules.md §11.7).

use conclave_domain::ids::RoomId;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Text};
use diesel_async::RunQueryDsl;

use crate::paging::{Page, PageRequest};
use crate::{DbConnection, Result};

/// The `p` rows of the subject set that carry `GET` (one element of the
/// `|`-separated action list equals `GET`, as the matcher's `actMatch`).
const GET_GRANTS: &str = "FROM casbin_rule c \
     WHERE c.ptype = 'p' AND c.v0 = ANY($1) \
     AND 'GET' = ANY(string_to_array(c.v2, '|'))";

/// Only `/rooms/<canonical uuid>` objects name a room; the cast to `uuid`
/// is applied to these rows only, so odd objects never fail the query.
const ROOM_OBJECT: &str =
    "c.v1 ~ '^/rooms/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'";

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: uuid::Uuid,
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct FlagRow {
    #[diesel(sql_type = Bool)]
    flag: bool,
}

/// The rooms on which some subject of `subjects` (a request subject and
/// its roles and groups) holds `GET` on `/rooms/<id>`, or on `/rooms/*`
/// (then every room). Ordered by room id descending (api.md `GET /rooms`),
/// one page plus the total count.
pub async fn accessible_room_ids(
    conn: &mut DbConnection,
    subjects: &[String],
    page: PageRequest,
) -> Result<Page<RoomId>> {
    let wildcard: FlagRow = diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 {GET_GRANTS} AND c.v1 = '/rooms/*') AS flag"
    ))
    .bind::<Array<Text>, _>(subjects)
    .get_result(conn)
    .await?;
    let granted = if wildcard.flag {
        String::from("TRUE")
    } else {
        format!("r.id IN (SELECT substr(c.v1, 8)::uuid {GET_GRANTS} AND {ROOM_OBJECT})")
    };
    let total: CountRow =
        diesel::sql_query(format!("SELECT count(*) AS n FROM rooms r WHERE {granted}"))
            .bind::<Array<Text>, _>(subjects)
            .get_result(conn)
            .await?;
    let ids: Vec<IdRow> = diesel::sql_query(format!(
        "SELECT r.id FROM rooms r WHERE {granted} ORDER BY r.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind::<Array<Text>, _>(subjects)
    .bind::<BigInt, _>(page.limit())
    .bind::<BigInt, _>(page.offset())
    .load(conn)
    .await?;
    Ok(Page {
        items: ids.into_iter().map(|row| RoomId::from(row.id)).collect(),
        total: total.n,
    })
}
