//! The diesel-async casbin adapter against a real database.

use casbin::prelude::*;
use casbin::{Adapter, Filter, Model};
use conclave_db::authz::rows::NewCasbinRule;
use conclave_db::casbin_adapter::DieselAdapter;
use conclave_db::schema::casbin_rule;
use conclave_db::testing::TestDb;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

const MODEL: &str = "
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
";

fn rule(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

async fn stored(db: &TestDb) -> Vec<NewCasbinRule> {
    let mut conn = db.connect().await;
    casbin_rule::table
        .select(NewCasbinRule::as_select())
        .order(casbin_rule::id)
        .load(&mut conn)
        .await
        .unwrap()
}

async fn model() -> DefaultModel {
    DefaultModel::from_str(MODEL).await.unwrap()
}

#[tokio::test]
async fn adds_are_padded_and_idempotent() {
    let db = TestDb::new().await;
    let mut adapter = DieselAdapter::new(db.pool());
    assert!(
        adapter
            .add_policy("p", "p", rule(&["user::a", "/rooms", "GET"]))
            .await
            .unwrap()
    );
    assert!(
        !adapter
            .add_policy("p", "p", rule(&["user::a", "/rooms", "GET"]))
            .await
            .unwrap()
    );
    assert!(
        adapter
            .add_policy("g", "g", rule(&["user::a", "role::user"]))
            .await
            .unwrap()
    );
    let rows = stored(&db).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        NewCasbinRule::from_values("p", &rule(&["user::a", "/rooms", "GET", "", "", ""])).unwrap()
    );
    assert_eq!(
        (
            rows[1].v1.as_str(),
            rows[1].v2.as_str(),
            rows[1].v5.as_str()
        ),
        ("role::user", "", "")
    );
    let seven = rule(&["1", "2", "3", "4", "5", "6", "7"]);
    assert!(adapter.add_policy("p", "p", seven).await.is_err());
}

#[tokio::test]
async fn batches_are_all_or_nothing_and_chunked() {
    let db = TestDb::new().await;
    let mut adapter = DieselAdapter::new(db.pool());
    // 4500 rows: three insert batches.
    let many: Vec<Vec<String>> = (0..4500)
        .map(|i| rule(&["user::a", &format!("/rooms/{i}"), "GET"]))
        .collect();
    assert!(adapter.add_policies("p", "p", many).await.unwrap());
    assert_eq!(stored(&db).await.len(), 4500);
    // One existing rule in a batch rolls the whole batch back.
    let mixed = vec![
        rule(&["user::b", "/x", "GET"]),
        rule(&["user::a", "/rooms/7", "GET"]),
    ];
    assert!(!adapter.add_policies("p", "p", mixed).await.unwrap());
    assert_eq!(stored(&db).await.len(), 4500);
}

#[tokio::test]
async fn loads_trim_trailing_empty_values_and_filter() {
    let db = TestDb::new().await;
    let mut adapter = DieselAdapter::new(db.pool());
    adapter
        .add_policy("p", "p", rule(&["user::a", "/rooms", "GET"]))
        .await
        .unwrap();
    adapter
        .add_policy("p", "p", rule(&["user::b", "/events", "POST"]))
        .await
        .unwrap();
    adapter
        .add_policy("g", "g", rule(&["user::a", "role::user"]))
        .await
        .unwrap();
    adapter
        .add_policy("g", "g", rule(&["user::b", "role::user"]))
        .await
        .unwrap();

    let mut m = model().await;
    adapter.load_policy(&mut m).await.unwrap();
    assert!(!adapter.is_filtered());
    assert_eq!(m.get_policy("p", "p").len(), 2);
    assert!(m.has_policy("g", "g", rule(&["user::a", "role::user"])));

    let mut m = model().await;
    let filter = Filter {
        p: vec!["user::a"],
        g: vec!["", "role::user"],
    };
    adapter.load_filtered_policy(&mut m, filter).await.unwrap();
    assert!(adapter.is_filtered());
    assert_eq!(
        m.get_policy("p", "p"),
        vec![rule(&["user::a", "/rooms", "GET"])]
    );
    assert_eq!(m.get_policy("g", "g").len(), 2);
}

#[tokio::test]
async fn removals() {
    let db = TestDb::new().await;
    let mut adapter = DieselAdapter::new(db.pool());
    for (s, o) in [
        ("user::a", "/1"),
        ("user::a", "/2"),
        ("user::b", "/1"),
        ("user::b", "/2"),
    ] {
        adapter
            .add_policy("p", "p", rule(&[s, o, "GET"]))
            .await
            .unwrap();
    }
    assert!(
        adapter
            .remove_policy("p", "p", rule(&["user::a", "/1", "GET"]))
            .await
            .unwrap()
    );
    assert!(
        !adapter
            .remove_policy("p", "p", rule(&["user::a", "/1", "GET"]))
            .await
            .unwrap()
    );
    // A missing rule keeps the others of the batch.
    let batch = vec![
        rule(&["user::a", "/2", "GET"]),
        rule(&["user::z", "/1", "GET"]),
    ];
    assert!(!adapter.remove_policies("p", "p", batch).await.unwrap());
    assert_eq!(stored(&db).await.len(), 3);
    // Filtered by v1 only: both subjects' `/1` rows… of which one is left.
    assert!(
        adapter
            .remove_filtered_policy("p", "p", 1, rule(&["/1"]))
            .await
            .unwrap()
    );
    assert!(
        !adapter
            .remove_filtered_policy("p", "p", 0, rule(&["user::b", "/1"]))
            .await
            .unwrap()
    );
    assert!(
        !adapter
            .remove_filtered_policy("p", "p", 5, rule(&["a", "b"]))
            .await
            .unwrap()
    );
    let left: Vec<_> = stored(&db).await.iter().map(|r| r.rule_values()).collect();
    assert_eq!(
        left,
        vec![
            rule(&["user::a", "/2", "GET"]),
            rule(&["user::b", "/2", "GET"])
        ]
    );
    adapter.clear_policy().await.unwrap();
    assert!(stored(&db).await.is_empty());
}

#[tokio::test]
async fn an_enforcer_runs_on_the_adapter() {
    let db = TestDb::new().await;
    let mut e = Enforcer::new(model().await, DieselAdapter::new(db.pool()))
        .await
        .unwrap();
    e.add_policy(rule(&["role::user", "/rooms", "GET"]))
        .await
        .unwrap();
    e.add_grouping_policy(rule(&["user::a", "role::user"]))
        .await
        .unwrap();
    assert!(e.enforce(("user::a", "/rooms", "GET")).unwrap());
    assert!(!e.enforce(("user::b", "/rooms", "GET")).unwrap());
    assert_eq!(stored(&db).await.len(), 2);

    // A second enforcer sees what the first wrote; save_policy replaces all.
    let mut other = Enforcer::new(model().await, DieselAdapter::new(db.pool()))
        .await
        .unwrap();
    assert!(other.enforce(("user::a", "/rooms", "GET")).unwrap());
    other
        .remove_grouping_policy(rule(&["user::a", "role::user"]))
        .await
        .unwrap();
    other
        .add_policy(rule(&["user::b", "/events", "POST"]))
        .await
        .unwrap();
    other.save_policy().await.unwrap();
    let rows: Vec<_> = stored(&db).await.iter().map(|r| r.rule_values()).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.contains(&rule(&["user::b", "/events", "POST"])));
}
