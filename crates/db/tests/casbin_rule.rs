//! Queries of `casbin_rule`.

use conclave_db::DbConnection;
use conclave_db::models::casbin_rule::{CasbinRule, INSERT_CHUNK, NewCasbinRule};
use conclave_db::testing::test_transaction;
use uuid::Uuid;

/// A subject no other test uses, so parallel tests never touch the same rows.
fn subject() -> String {
    format!("user::{}", Uuid::new_v4())
}

async fn rules_of(conn: &mut DbConnection, subject: &str) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> =
        CasbinRule::load_for_subjects(conn, "p", &[subject.to_owned()])
            .await
            .unwrap()
            .into_iter()
            .chain(
                CasbinRule::load_for_subjects(conn, "g", &[subject.to_owned()])
                    .await
                    .unwrap(),
            )
            .map(|r| (r.ptype.clone(), r.rule_values()))
            .collect();
    rows.sort();
    rows
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn insert_many_is_idempotent_and_reads_back_without_trailing_empties() {
    let mut conn = test_transaction().await;
    let user = subject();
    let room = format!("/rooms/{}", Uuid::new_v4());
    let rules = vec![
        NewCasbinRule::policy(&user, &room, "GET|PATCH|DELETE"),
        NewCasbinRule::grouping(&user, "role::user"),
        NewCasbinRule::policy(&user, &room, "GET|PATCH|DELETE"),
    ];
    assert_eq!(CasbinRule::insert_many(&mut conn, &rules).await.unwrap(), 2);
    assert_eq!(CasbinRule::insert_many(&mut conn, &rules).await.unwrap(), 0);
    assert_eq!(CasbinRule::insert_many(&mut conn, &[]).await.unwrap(), 0);

    let rows = rules_of(&mut conn, &user).await;
    assert_eq!(
        rows,
        vec![
            ("g".to_owned(), strings(&[&user, "role::user"])),
            ("p".to_owned(), strings(&[&user, &room, "GET|PATCH|DELETE"])),
        ]
    );
    let stored = CasbinRule::load_for_subjects(&mut conn, "p", std::slice::from_ref(&user))
        .await
        .unwrap();
    assert_eq!((stored[0].v3.as_str(), stored[0].v5.as_str()), ("", ""));
}

#[tokio::test]
async fn insert_many_handles_more_rows_than_one_chunk() {
    let mut conn = test_transaction().await;
    let user = subject();
    let count = INSERT_CHUNK * 2 + 17;
    let rules: Vec<NewCasbinRule> = (0..count)
        .map(|i| NewCasbinRule::policy(&user, &format!("/rooms/{i}"), "GET"))
        .collect();
    assert_eq!(
        CasbinRule::insert_many(&mut conn, &rules).await.unwrap(),
        count
    );
    let loaded = CasbinRule::load_for_subjects(&mut conn, "p", std::slice::from_ref(&user))
        .await
        .unwrap();
    assert_eq!(loaded.len(), count);
    assert_eq!(
        CasbinRule::delete_by_subject(&mut conn, &user)
            .await
            .unwrap(),
        count
    );
}

#[test]
fn from_values_accepts_at_most_six_values() {
    let rule = NewCasbinRule::from_values("p", &strings(&["a", "b"])).unwrap();
    assert_eq!(
        (rule.v0.as_str(), rule.v1.as_str(), rule.v2.as_str()),
        ("a", "b", "")
    );
    assert!(NewCasbinRule::from_values("p", &strings(&["1", "2", "3", "4", "5", "6"])).is_ok());
    assert!(
        NewCasbinRule::from_values("p", &strings(&["1", "2", "3", "4", "5", "6", "7"])).is_err()
    );
}

#[tokio::test]
async fn delete_exact_removes_only_the_identical_row() {
    let mut conn = test_transaction().await;
    let user = subject();
    let read = NewCasbinRule::policy(&user, "/rooms/x", "GET");
    let write = NewCasbinRule::policy(&user, "/rooms/x", "GET|PATCH");
    CasbinRule::insert_many(&mut conn, &[read.clone(), write.clone()])
        .await
        .unwrap();
    assert!(CasbinRule::delete_exact(&mut conn, &read).await.unwrap());
    assert!(!CasbinRule::delete_exact(&mut conn, &read).await.unwrap());
    let rows = rules_of(&mut conn, &user).await;
    assert_eq!(
        rows,
        vec![("p".to_owned(), strings(&[&user, "/rooms/x", "GET|PATCH"]))]
    );
}

#[tokio::test]
async fn delete_by_subject_removes_p_and_g_rows_of_that_subject_only() {
    let mut conn = test_transaction().await;
    let (gone, kept) = (subject(), subject());
    let rules = [
        NewCasbinRule::policy(&gone, "/rooms/a", "GET"),
        NewCasbinRule::grouping(&gone, "role::user"),
        NewCasbinRule::policy(&kept, "/rooms/a", "GET"),
    ];
    CasbinRule::insert_many(&mut conn, &rules).await.unwrap();
    assert_eq!(
        CasbinRule::delete_by_subject(&mut conn, &gone)
            .await
            .unwrap(),
        2
    );
    assert!(rules_of(&mut conn, &gone).await.is_empty());
    assert_eq!(rules_of(&mut conn, &kept).await.len(), 1);
}

#[tokio::test]
async fn delete_by_resource_prefix_removes_the_resource_and_everything_below() {
    let mut conn = test_transaction().await;
    let (owner, guest) = (subject(), subject());
    let room = format!("/rooms/{}", Uuid::new_v4());
    let rules = [
        NewCasbinRule::policy(&owner, &room, "GET"),
        NewCasbinRule::policy(&owner, &format!("{room}/invites/*"), "GET|PUT|DELETE"),
        NewCasbinRule::policy(&guest, &format!("{room}/tariff"), "GET"),
        NewCasbinRule::policy(&owner, &format!("{room}x"), "GET"),
        NewCasbinRule::policy(&owner, "/rooms", "POST|GET"),
        NewCasbinRule::grouping(&owner, &room),
    ];
    CasbinRule::insert_many(&mut conn, &rules).await.unwrap();

    let removed = CasbinRule::delete_for_subject_by_resource_prefix(&mut conn, &guest, &room)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert!(rules_of(&mut conn, &guest).await.is_empty());

    assert_eq!(
        CasbinRule::delete_by_resource_prefix(&mut conn, &room)
            .await
            .unwrap(),
        2
    );
    let left: Vec<String> = rules_of(&mut conn, &owner)
        .await
        .into_iter()
        .map(|(_, v)| v[1].clone())
        .collect();
    // The sibling path, the parent and the `g` row are untouched.
    let mut expected = vec![format!("{room}x"), "/rooms".to_owned(), room.clone()];
    expected.sort();
    let mut left_sorted = left;
    left_sorted.sort();
    assert_eq!(left_sorted, expected);
}

#[tokio::test]
async fn like_wildcards_in_a_prefix_match_literally() {
    let mut conn = test_transaction().await;
    let user = subject();
    let base = format!("/t_{}", Uuid::new_v4().simple());
    let lookalike = base.replacen('_', "X", 1);
    let rules = [
        NewCasbinRule::policy(&user, &format!("{base}/a"), "GET"),
        NewCasbinRule::policy(&user, &format!("{lookalike}/a"), "GET"),
    ];
    CasbinRule::insert_many(&mut conn, &rules).await.unwrap();
    assert_eq!(
        CasbinRule::delete_by_resource_prefix(&mut conn, &base)
            .await
            .unwrap(),
        1
    );
    assert_eq!(rules_of(&mut conn, &user).await.len(), 1);
}

#[tokio::test]
async fn list_all_contains_inserted_rows_in_id_order() {
    let mut conn = test_transaction().await;
    let user = subject();
    CasbinRule::insert_many(
        &mut conn,
        &[
            NewCasbinRule::policy(&user, "/b", "GET"),
            NewCasbinRule::policy(&user, "/a", "GET"),
        ],
    )
    .await
    .unwrap();
    let all = CasbinRule::list_all(&mut conn).await.unwrap();
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    let mine: Vec<&str> = all
        .iter()
        .filter(|r| r.v0 == user)
        .map(|r| r.v1.as_str())
        .collect();
    assert_eq!(mine, ["/b", "/a"]);
}
