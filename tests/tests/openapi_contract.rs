//! Contract test: every (method, path) of the upstream v0.29.6 document must
//! exist in Conclave's generated document, except the operations that later
//! work still owns. The gap list is printed on every run and must shrink: an
//! operation listed as pending that Conclave now serves fails the test too,
//! so the list is kept honest.

use std::collections::BTreeSet;
use std::path::PathBuf;

/// Operations of the upstream document not served yet, and who owns them.
const PENDING: &[(&str, &str, &str)] = &[
    ("GET", "/rooms/{room_id}/assets", "assets"),
    ("POST", "/rooms/{room_id}/assets", "assets"),
    ("GET", "/rooms/{room_id}/assets/{asset_id}", "assets"),
    ("DELETE", "/rooms/{room_id}/assets/{asset_id}", "assets"),
    ("POST", "/services/call_in/start", "services"),
    ("POST", "/services/recording/start", "services"),
    ("GET", "/services/recording/upload", "services"),
];

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn reference_path() -> PathBuf {
    let dir = std::env::var_os("CONCLAVE_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference")
        });
    dir.join("opentalk-v0.29.6-openapi.yaml")
}

fn operations(paths: &serde_json::Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in paths.as_object().expect("paths object") {
        for method in METHODS {
            if item.get(method).is_some() {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

#[test]
fn every_upstream_operation_is_served_or_pending() {
    let path = reference_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the reference document {}: {e} (set CONCLAVE_REFERENCE_DIR)",
            path.display()
        )
    });
    let upstream: serde_json::Value = serde_yaml_ng::from_str(&text).expect("reference YAML");
    let ours = serde_json::to_value(conclave_api::openapi::document()).expect("our document");

    let upstream_ops = operations(&upstream["paths"]);
    let our_ops = operations(&ours["paths"]);
    let pending: BTreeSet<(String, String)> = PENDING
        .iter()
        .map(|(method, path, _)| ((*method).to_owned(), (*path).to_owned()))
        .collect();

    let gaps: Vec<_> = upstream_ops.difference(&our_ops).collect();
    println!(
        "OpenAPI gaps against upstream v0.29.6 ({} of {}):",
        gaps.len(),
        upstream_ops.len()
    );
    for (method, path) in &gaps {
        let owner = PENDING
            .iter()
            .find(|(m, p, _)| m == method && p == path)
            .map_or("UNOWNED", |(_, _, owner)| owner);
        println!("  {method:6} {path}  [{owner}]");
    }

    let unowned: Vec<_> = gaps.iter().filter(|op| !pending.contains(**op)).collect();
    assert!(
        unowned.is_empty(),
        "operations missing and not pending: {unowned:?}"
    );
    let served_but_pending: Vec<_> = pending.iter().filter(|op| our_ops.contains(*op)).collect();
    assert!(
        served_but_pending.is_empty(),
        "now served, remove from PENDING: {served_but_pending:?}"
    );
    let unknown: Vec<_> = pending
        .iter()
        .filter(|op| !upstream_ops.contains(*op))
        .collect();
    assert!(
        unknown.is_empty(),
        "PENDING names operations upstream lacks: {unknown:?}"
    );
}

#[test]
fn document_is_openapi_3_1_with_the_v1_server() {
    let ours = serde_json::to_value(conclave_api::openapi::document()).unwrap();
    assert!(
        ours["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        ours["openapi"]
    );
    assert_eq!(ours["servers"][0]["url"], "/v1");
}
