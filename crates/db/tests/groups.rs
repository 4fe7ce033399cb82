//! Queries of `groups` and `user_groups`.

use conclave_db::DbError;
use conclave_db::models::group::{Group, NewGroup};
use conclave_db::models::user::User;
use conclave_db::models::user_group::{GroupSync, UserGroup};
use conclave_db::testing::{fixtures, test_transaction};

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn get_or_create_is_idempotent_and_keeps_the_order() {
    let mut conn = test_transaction().await;
    let tenant = fixtures::tenant(&mut conn).await;
    let first = Group::get_or_create_many(&mut conn, tenant.id, &names(&["b", "a", "b"]))
        .await
        .unwrap();
    let got: Vec<&str> = first.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(got, ["b", "a"]);
    assert!(first.iter().all(|g| g.tenant_id == tenant.id));

    let again = Group::get_or_create_many(&mut conn, tenant.id, &names(&["a", "c", "b"]))
        .await
        .unwrap();
    assert_eq!(again[0], first[1]);
    assert_eq!(again[2], first[0]);
    assert_eq!(again[1].name, "c");

    let single = Group::get_or_create(&mut conn, tenant.id, "a")
        .await
        .unwrap();
    assert_eq!(single, first[1]);
    assert_eq!(Group::get(&mut conn, single.id).await.unwrap(), single);
    assert_eq!(
        Group::find_by_name(&mut conn, tenant.id, "a")
            .await
            .unwrap(),
        Some(single)
    );
    assert!(
        Group::get_or_create_many(&mut conn, tenant.id, &[])
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn group_names_are_per_tenant() {
    let mut conn = test_transaction().await;
    let one = fixtures::tenant(&mut conn).await;
    let two = fixtures::tenant(&mut conn).await;
    let a1 = Group::get_or_create(&mut conn, one.id, "staff")
        .await
        .unwrap();
    let a2 = Group::get_or_create(&mut conn, two.id, "staff")
        .await
        .unwrap();
    assert_ne!(a1.id, a2.id);
    assert_eq!(
        Group::find_by_name(&mut conn, two.id, "other")
            .await
            .unwrap(),
        None
    );

    let err = NewGroup {
        name: "staff".to_owned(),
        tenant_id: one.id,
    }
    .insert(&mut conn)
    .await
    .unwrap_err();
    assert!(
        matches!(&err, DbError::UniqueViolation { constraint: Some(c) } if c == "groups_tenant_id_name_key"),
        "{err:?}"
    );
}

#[tokio::test]
async fn sync_adds_and_removes_memberships() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    let groups = Group::get_or_create_many(&mut conn, user.tenant_id, &names(&["g1", "g2", "g3"]))
        .await
        .unwrap();
    let (g1, g2, g3) = (groups[0].id, groups[1].id, groups[2].id);

    let sync = UserGroup::sync_for_user(&mut conn, user.id, &[g1, g2, g1])
        .await
        .unwrap();
    assert_eq!(
        sync,
        GroupSync {
            added: vec![g1, g2],
            removed: vec![]
        }
    );
    let listed: Vec<_> = Group::list_for_user(&mut conn, user.id).await.unwrap();
    assert_eq!(
        listed.iter().map(|g| g.id).collect::<Vec<_>>(),
        vec![g1, g2]
    );

    let sync = UserGroup::sync_for_user(&mut conn, user.id, &[g2, g3])
        .await
        .unwrap();
    assert_eq!(
        sync,
        GroupSync {
            added: vec![g3],
            removed: vec![g1]
        }
    );
    let mut ids = UserGroup::list_group_ids(&mut conn, user.id).await.unwrap();
    ids.sort();
    let mut expected = vec![g2, g3];
    expected.sort();
    assert_eq!(ids, expected);

    let unchanged = UserGroup::sync_for_user(&mut conn, user.id, &[g3, g2])
        .await
        .unwrap();
    assert_eq!(unchanged, GroupSync::default());

    let cleared = UserGroup::sync_for_user(&mut conn, user.id, &[])
        .await
        .unwrap();
    assert_eq!(cleared.removed.len(), 2);
    assert!(
        Group::list_for_user(&mut conn, user.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn insert_is_idempotent_and_delete_for_user_removes_all() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    let group = Group::get_or_create(&mut conn, user.tenant_id, "solo")
        .await
        .unwrap();
    let row = UserGroup {
        user_id: user.id,
        group_id: group.id,
    };
    row.insert(&mut conn).await.unwrap();
    row.insert(&mut conn).await.unwrap();
    assert_eq!(
        UserGroup::list_group_ids(&mut conn, user.id).await.unwrap(),
        vec![group.id]
    );
    assert_eq!(
        UserGroup::delete_for_user(&mut conn, user.id)
            .await
            .unwrap(),
        1
    );
    Group::delete(&mut conn, group.id).await.unwrap();
    assert!(matches!(
        Group::get(&mut conn, group.id).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn a_group_with_members_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    let group = Group::get_or_create(&mut conn, user.tenant_id, "busy")
        .await
        .unwrap();
    UserGroup::sync_for_user(&mut conn, user.id, &[group.id])
        .await
        .unwrap();
    let err = Group::delete(&mut conn, group.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "user_groups_group_id_fkey"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_user_with_memberships_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let user = fixtures::user(&mut conn).await;
    let group = Group::get_or_create(&mut conn, user.tenant_id, "member")
        .await
        .unwrap();
    UserGroup::sync_for_user(&mut conn, user.id, &[group.id])
        .await
        .unwrap();
    let err = User::delete(&mut conn, user.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "user_groups_user_id_fkey"),
        "{err:?}"
    );
}
