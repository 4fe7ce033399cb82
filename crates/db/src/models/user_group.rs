//! `user_groups`: which user belongs to which group.

use conclave_domain::ids::{GroupId, UserId};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::schema::user_groups;
use crate::{DbConnection, DbError, Result};

/// A row of `user_groups`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = user_groups, check_for_backend(diesel::pg::Pg))]
pub struct UserGroup {
    /// The member.
    #[diesel(deserialize_as = Uuid, serialize_as = Uuid)]
    pub user_id: UserId,
    /// The group.
    #[diesel(deserialize_as = Uuid, serialize_as = Uuid)]
    pub group_id: GroupId,
}

/// What [`UserGroup::sync_for_user`] changed, so the caller can mirror it in
/// the casbin `g` rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupSync {
    /// Memberships that were added.
    pub added: Vec<GroupId>,
    /// Memberships that were removed.
    pub removed: Vec<GroupId>,
}

impl UserGroup {
    /// Adds the membership; an existing one is left alone.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<()> {
        diesel::insert_into(user_groups::table)
            .values(self)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The ids of the groups a user belongs to.
    pub async fn list_group_ids(conn: &mut DbConnection, user: UserId) -> Result<Vec<GroupId>> {
        let ids: Vec<Uuid> = user_groups::table
            .filter(user_groups::user_id.eq(Uuid::from(user)))
            .select(user_groups::group_id)
            .load(conn)
            .await?;
        Ok(ids.into_iter().map(GroupId::from).collect())
    }

    /// Makes the user's memberships exactly `groups` (login, rules.md §20.3),
    /// in one transaction, and reports what changed.
    pub async fn sync_for_user(
        conn: &mut DbConnection,
        user: UserId,
        groups: &[GroupId],
    ) -> Result<GroupSync> {
        conn.transaction::<_, DbError, _>(async |conn| {
            let current = Self::list_group_ids(conn, user).await?;
            let mut sync = GroupSync::default();
            for group in groups {
                if !current.contains(group) && !sync.added.contains(group) {
                    sync.added.push(*group);
                }
            }
            sync.removed = current
                .into_iter()
                .filter(|group| !groups.contains(group))
                .collect();
            let rows: Vec<UserGroup> = sync
                .added
                .iter()
                .map(|&group_id| UserGroup {
                    user_id: user,
                    group_id,
                })
                .collect();
            if !rows.is_empty() {
                diesel::insert_into(user_groups::table)
                    .values(rows)
                    .execute(conn)
                    .await?;
            }
            if !sync.removed.is_empty() {
                let removed: Vec<Uuid> = sync.removed.iter().copied().map(Uuid::from).collect();
                diesel::delete(
                    user_groups::table
                        .filter(user_groups::user_id.eq(Uuid::from(user)))
                        .filter(user_groups::group_id.eq_any(removed)),
                )
                .execute(conn)
                .await?;
            }
            Ok(sync)
        })
        .await
    }

    /// Removes every membership of a user (user deletion); returns the count.
    pub async fn delete_for_user(conn: &mut DbConnection, user: UserId) -> Result<usize> {
        Ok(
            diesel::delete(user_groups::table.filter(user_groups::user_id.eq(Uuid::from(user))))
                .execute(conn)
                .await?,
        )
    }
}
