//! Queries of `module_resources`, including every JSON-patch operation of
//! `ot_patch_json` through the patch API (schema.md §7.3).

use conclave_db::models::module_resource::{
    JsonPatchError, JsonPatchErrorCode, ModuleResource, ModuleResourceError, ModuleResourceFilter,
    NewModuleResource,
};
use conclave_db::models::user::User;
use conclave_db::testing::{fixtures, test_transaction};
use conclave_db::{DbConnection, DbError};
use conclave_domain::ids::ModuleResourceId;
use serde_json::{Value, json};

async fn resource(
    conn: &mut DbConnection,
    owner: &User,
    namespace: &str,
    tag: Option<&str>,
    data: Value,
) -> ModuleResource {
    let room = fixtures::room(conn, owner).await;
    NewModuleResource {
        tenant_id: owner.tenant_id,
        room_id: room.id,
        created_by: owner.id,
        namespace: namespace.to_owned(),
        tag: tag.map(str::to_owned),
        data,
    }
    .insert(conn)
    .await
    .unwrap()
}

fn by_id(id: ModuleResourceId) -> ModuleResourceFilter {
    ModuleResourceFilter {
        id: Some(id),
        ..ModuleResourceFilter::default()
    }
}

/// Patches a fresh resource holding `data` with `ops` and returns the new
/// data or the patch error; on error it also checks the data is unchanged.
async fn check(
    conn: &mut DbConnection,
    owner: &User,
    data: Value,
    ops: Value,
) -> Result<Value, JsonPatchError> {
    let row = resource(conn, owner, "patch", None, data.clone()).await;
    match ModuleResource::patch(conn, &by_id(row.id), &ops).await {
        Ok(patched) => Ok(patched.expect("the resource matches").data),
        Err(ModuleResourceError::Patch(err)) => {
            let stored = ModuleResource::get(conn, &by_id(row.id)).await.unwrap();
            assert_eq!(stored[0].data, data, "data changed by failing patch {ops}");
            Err(err)
        }
        Err(other) => panic!("unexpected error for {ops}: {other:?}"),
    }
}

#[tokio::test]
async fn successful_patch_operations() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let cases = [
        // add: a single value, into an array, nested, several operations.
        (
            json!({}),
            json!([{"op": "add", "path": "/a", "value": 1}]),
            json!({"a": 1}),
        ),
        (
            json!({"foo": ["a", "c"]}),
            json!([{"op": "add", "path": "/foo/1", "value": "b"}]),
            json!({"foo": ["a", "b", "c"]}),
        ),
        (
            json!({"a": {"b": {}}}),
            json!([{"op": "add", "path": "/a/b/c", "value": [1]}]),
            json!({"a": {"b": {"c": [1]}}}),
        ),
        (
            json!({"foo": ["a"]}),
            json!([
                {"op": "add", "path": "/foo/1", "value": "b"},
                {"op": "add", "path": "/bar", "value": 2},
                {"op": "test", "path": "/bar", "value": 2}
            ]),
            json!({"foo": ["a", "b"], "bar": 2}),
        ),
        // add at the root replaces the document.
        (
            json!({"a": 1}),
            json!([{"op": "add", "path": "/", "value": [1]}]),
            json!([1]),
        ),
        // remove: by key, by array index, and the object key "0".
        (
            json!({"a": 1, "b": 2}),
            json!([{"op": "remove", "path": "/a"}]),
            json!({"b": 2}),
        ),
        (
            json!({"l": [1, 2, 3]}),
            json!([{"op": "remove", "path": "/l/1"}]),
            json!({"l": [1, 3]}),
        ),
        (
            json!({"bar": {"0": 1, "1": 2}}),
            json!([{"op": "remove", "path": "/bar/0"}]),
            json!({"bar": {"1": 2}}),
        ),
        // replace by array index and by key.
        (
            json!({"foo": ["a", "b"]}),
            json!([{"op": "replace", "path": "/foo/1", "value": "x"}]),
            json!({"foo": ["a", "x"]}),
        ),
        (
            json!({"a": 1}),
            json!([{"op": "replace", "path": "/a", "value": {"n": 2}}]),
            json!({"a": {"n": 2}}),
        ),
        // move within an array and across objects and arrays.
        (
            json!({"foo": ["all", "grass", "cows", "eat"]}),
            json!([{"op": "move", "from": "/foo/1", "path": "/foo/3"}]),
            json!({"foo": ["all", "cows", "eat", "grass"]}),
        ),
        (
            json!({"a": {"x": 1}, "b": []}),
            json!([{"op": "move", "from": "/a/x", "path": "/b/0"}]),
            json!({"a": {}, "b": [1]}),
        ),
        // copy.
        (
            json!({"a": {"n": 1}}),
            json!([{"op": "copy", "from": "/a", "path": "/b"}]),
            json!({"a": {"n": 1}, "b": {"n": 1}}),
        ),
        // test that succeeds leaves the data as it is.
        (
            json!({"a": [1, 2]}),
            json!([{"op": "test", "path": "/a", "value": [1, 2]}]),
            json!({"a": [1, 2]}),
        ),
    ];
    for (data, ops, expected) in cases {
        let result = check(&mut conn, &owner, data, ops.clone()).await;
        assert_eq!(result, Ok(expected), "ops {ops}");
    }
}

#[tokio::test]
async fn failing_patch_operations_report_code_and_index_and_change_nothing() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    use JsonPatchErrorCode::*;
    let cases = [
        (
            json!({"a": 1}),
            json!([{"op": "add", "path": "", "value": 2}]),
            InvalidPath,
            1,
        ),
        (
            json!({"a": 1}),
            json!([{"op": "add", "path": "/x/y", "value": 2}]),
            InvalidPath,
            1,
        ),
        (
            json!({"a": 1}),
            json!([{"op": "remove", "path": "/missing"}]),
            InvalidPath,
            1,
        ),
        (
            json!({"foo": ["a", "b"]}),
            json!([{"op": "replace", "path": "/foo/5", "value": 1}]),
            InvalidPath,
            1,
        ),
        (
            json!({"a": 1}),
            json!([{"op": "replace", "path": "/missing", "value": 1}]),
            InvalidPath,
            1,
        ),
        (
            json!({"a": 1}),
            json!([
                {"op": "test", "path": "/a", "value": 1},
                {"op": "test", "path": "/a", "value": 2}
            ]),
            ValueNotEqual,
            2,
        ),
        (
            json!({"a": 1}),
            json!([
                {"op": "add", "path": "/b", "value": 1},
                {"op": "add", "path": "/c", "value": 1},
                {"op": "move", "from": "/", "path": "/d"}
            ]),
            InvalidFromPath,
            3,
        ),
        (
            json!({"a": {"b": 1}}),
            json!([{"op": "move", "from": "/a", "path": "/a/b"}]),
            InvalidFromPath,
            1,
        ),
    ];
    for (data, ops, code, index) in cases {
        let err = check(&mut conn, &owner, data, ops.clone())
            .await
            .unwrap_err();
        assert_eq!((err.code, err.at_index), (code, Some(index)), "ops {ops}");
        assert!(err.details.is_some(), "ops {ops}");
    }
    assert_eq!(InvalidFromPath.as_str(), "invalid_from_path");
}

#[tokio::test]
async fn filters_combine_and_an_empty_filter_is_refused() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let other = fixtures::user(&mut conn).await;
    let a = resource(
        &mut conn,
        &owner,
        "ns-filter",
        Some("protocol"),
        json!({"k": 1, "v": [1]}),
    )
    .await;
    let b = resource(&mut conn, &owner, "ns-filter", None, json!({"k": 2})).await;
    let c = resource(
        &mut conn,
        &other,
        "ns-filter",
        Some("protocol"),
        json!({"k": 1}),
    )
    .await;

    let namespace = || Some("ns-filter".to_owned());
    let ids = |rows: Vec<ModuleResource>| {
        let mut ids: Vec<ModuleResourceId> = rows.into_iter().map(|r| r.id).collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<ModuleResourceId>| {
        v.sort();
        v
    };
    let cases = [
        (
            ModuleResourceFilter {
                namespace: namespace(),
                ..Default::default()
            },
            vec![a.id, b.id, c.id],
        ),
        (
            ModuleResourceFilter {
                namespace: namespace(),
                tag: Some("protocol".into()),
                ..Default::default()
            },
            vec![a.id, c.id],
        ),
        (
            ModuleResourceFilter {
                namespace: namespace(),
                created_by: Some(owner.id),
                ..Default::default()
            },
            vec![a.id, b.id],
        ),
        (
            ModuleResourceFilter {
                namespace: namespace(),
                json: Some(json!({"k": 1})),
                ..Default::default()
            },
            vec![a.id, c.id],
        ),
        (
            ModuleResourceFilter {
                json: Some(json!({"v": [1]})),
                created_by: Some(owner.id),
                ..Default::default()
            },
            vec![a.id],
        ),
        (by_id(b.id), vec![b.id]),
    ];
    for (filter, expected) in cases {
        let found = ModuleResource::get(&mut conn, &filter).await.unwrap();
        assert_eq!(ids(found), sorted(expected), "{filter:?}");
    }

    let empty = ModuleResourceFilter::default();
    assert!(matches!(
        ModuleResource::get(&mut conn, &empty).await,
        Err(ModuleResourceError::EmptyFilter)
    ));
    assert!(matches!(
        ModuleResource::patch(&mut conn, &empty, &json!([])).await,
        Err(ModuleResourceError::EmptyFilter)
    ));
    assert!(matches!(
        ModuleResource::delete(&mut conn, &empty).await,
        Err(ModuleResourceError::EmptyFilter)
    ));
}

#[tokio::test]
async fn patch_updates_all_matches_returns_the_first_and_keeps_updated_at() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let first = resource(&mut conn, &owner, "ns-many", None, json!({"n": 1})).await;
    let second = resource(&mut conn, &owner, "ns-many", None, json!({"n": 2})).await;
    let filter = ModuleResourceFilter {
        namespace: Some("ns-many".to_owned()),
        ..ModuleResourceFilter::default()
    };
    let ops = json!([{"op": "add", "path": "/seen", "value": true}]);
    let returned = ModuleResource::patch(&mut conn, &filter, &ops)
        .await
        .unwrap()
        .unwrap();
    let all = ModuleResource::get(&mut conn, &filter).await.unwrap();
    assert_eq!(returned, all[0]);
    assert!(all.iter().all(|r| r.data["seen"] == json!(true)));
    for (before, after) in [first, second].iter().zip(&all) {
        assert_eq!(before.updated_at, after.updated_at);
    }

    let nothing = ModuleResourceFilter {
        namespace: Some("ns-none".to_owned()),
        ..ModuleResourceFilter::default()
    };
    assert_eq!(
        ModuleResource::patch(&mut conn, &nothing, &ops)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn delete_by_filter_and_for_room() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let gone = resource(&mut conn, &owner, "ns-del", Some("x"), json!({})).await;
    let kept = resource(&mut conn, &owner, "ns-del", None, json!({})).await;
    let filter = ModuleResourceFilter {
        namespace: Some("ns-del".to_owned()),
        tag: Some("x".to_owned()),
        ..ModuleResourceFilter::default()
    };
    assert_eq!(
        ModuleResource::delete(&mut conn, &filter).await.unwrap(),
        vec![gone.id]
    );
    assert!(
        ModuleResource::get(&mut conn, &by_id(gone.id))
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(
        ModuleResource::list_ids_for_room(&mut conn, kept.room_id)
            .await
            .unwrap(),
        vec![kept.id]
    );
    assert_eq!(
        ModuleResource::delete_all_for_room(&mut conn, kept.room_id)
            .await
            .unwrap(),
        vec![kept.id]
    );
    // Without its resources the room can go.
    conclave_db::models::room::Room::delete(&mut conn, kept.room_id)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_creator_of_a_resource_cannot_be_deleted() {
    let mut conn = test_transaction().await;
    let owner = fixtures::user(&mut conn).await;
    let creator = fixtures::user(&mut conn).await;
    let room = fixtures::room(&mut conn, &owner).await;
    NewModuleResource {
        tenant_id: creator.tenant_id,
        room_id: room.id,
        created_by: creator.id,
        namespace: "ns".to_owned(),
        tag: None,
        data: json!(null),
    }
    .insert(&mut conn)
    .await
    .unwrap();
    let err = User::delete(&mut conn, creator.id).await.unwrap_err();
    assert!(
        matches!(&err, DbError::ForeignKeyViolation { constraint: Some(c) } if c == "module_resources_created_by_fkey"),
        "{err:?}"
    );
}
