//! Authorization decisions at 10³–10⁶ stored rules: Conclave's engine
//! (cold: every decision loads from PostgreSQL; warm: cached per subject)
//! against casbin-rs's `Enforcer`, which scans every rule (stack.md §6.3).
//!
//! Needs a PostgreSQL test server: `CONCLAVE_TEST_DATABASE_URL` as for the
//! tests (`cargo xtask test` sets it up). Run with
//! `cargo bench -p conclave-api --bench authz`.
//!
//! The table is filled with `INSERT … SELECT generate_series`: 20 rules per
//! synthetic user, each user in `role::user`. The probed user owns 20 rules
//! too, is in `role::user` and one group. Two requests are measured: one the
//! user's last rule allows, and one nothing allows (casbin's worst case).
//! The enforcer is skipped above `ENFORCER_MAX_RULES`: loading a million
//! rules into it takes minutes and gigabytes, and its per-decision cost is
//! already linear at the smaller sizes.

use std::time::Duration;

use casbin::CoreApi;
use conclave_api::authz::Authorizer;
use conclave_api::authz::model::reference_enforcer;
use conclave_api::config::AuthzSettings;
use conclave_db::casbin_adapter::DieselAdapter;
use conclave_db::testing::TestDb;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use diesel_async::SimpleAsyncConnection;
use tokio::runtime::Runtime;

const SIZES: [i64; 4] = [1_000, 10_000, 100_000, 1_000_000];
const ENFORCER_MAX_RULES: i64 = 100_000;
const RULES_PER_USER: i64 = 20;
const PROBE: &str = "user::00000000-0000-4000-8000-000000000001";
const GROUP: &str = "group::00000000-0000-4000-8000-000000000002";

/// The probed user's rules, the role and group links, and role::user's
/// seven default rules.
async fn seed_probe(db: &TestDb) {
    let mut conn = db.connect().await;
    conn.batch_execute(&format!(
        "INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5) VALUES
           ('g', '{PROBE}', 'role::user', '', '', '', ''),
           ('g', '{PROBE}', '{GROUP}', '', '', '', ''),
           ('p', 'role::user', '/rooms', 'POST|GET', '', '', ''),
           ('p', 'role::user', '/users/me', 'PATCH|GET', '', '', ''),
           ('p', 'role::user', '/users/me/assets', 'GET', '', '', ''),
           ('p', 'role::user', '/users/me/tariff', 'GET', '', '', ''),
           ('p', 'role::user', '/users/find', 'GET', '', '', ''),
           ('p', 'role::user', '/users/me/pending_invites', 'GET', '', '', ''),
           ('p', 'role::user', '/events', 'POST|GET', '', '', '');
         INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5)
           SELECT 'p', '{PROBE}', '/rooms/probe' || i || '/invites/*', 'GET|PUT|DELETE', '', '', ''
           FROM generate_series(1, {RULES_PER_USER}) i;"
    ))
    .await
    .expect("seed the probed user");
}

/// Grows the table to `total` rows with synthetic users' rules.
async fn grow_to(db: &TestDb, total: i64) {
    let mut conn = db.connect().await;
    conn.batch_execute(&format!(
        "INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5)
           SELECT CASE WHEN i % {RULES_PER_USER} = 0 THEN 'g' ELSE 'p' END,
                  'user::' || md5((i / {RULES_PER_USER})::text)::uuid,
                  CASE WHEN i % {RULES_PER_USER} = 0 THEN 'role::user'
                       ELSE '/rooms/' || md5(i::text)::uuid || '/invites/*' END,
                  CASE WHEN i % {RULES_PER_USER} = 0 THEN '' ELSE 'GET|PUT|DELETE' END,
                  '', '', ''
           FROM generate_series((SELECT count(*) FROM casbin_rule) + 1, {total}) i;
         ANALYZE casbin_rule;"
    ))
    .await
    .expect("grow casbin_rule");
}

fn bench(c: &mut Criterion) {
    let rt = Runtime::new().expect("tokio runtime");
    let db = rt.block_on(TestDb::new());
    rt.block_on(seed_probe(&db));
    let cold_settings = AuthzSettings {
        cache_capacity: 0,
        listen_for_changes: false,
    };
    let warm_settings = AuthzSettings {
        cache_capacity: 1_000,
        listen_for_changes: false,
    };
    let (cold, warm) = rt.block_on(async {
        (
            Authorizer::new(db.pool(), &cold_settings, db.url()),
            Authorizer::new(db.pool(), &warm_settings, db.url()),
        )
    });
    let allowed = ("/rooms/probe20/invites/x", "PUT");
    let denied = ("/rooms/elsewhere/invites/x", "PUT");

    let mut group = c.benchmark_group("authz_decision");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for total in SIZES {
        rt.block_on(grow_to(&db, total));
        for (name, (path, method), want) in [("allowed", allowed, true), ("denied", denied, false)]
        {
            let decide =
                |authz: &Authorizer| rt.block_on(authz.decide(PROBE, path, method)).unwrap();
            assert_eq!(decide(&cold), want);
            assert_eq!(decide(&warm), want);
            group.bench_with_input(
                BenchmarkId::new(format!("conclave_cold/{name}"), total),
                &total,
                |b, _| b.iter(|| decide(&cold)),
            );
            group.bench_with_input(
                BenchmarkId::new(format!("conclave_warm/{name}"), total),
                &total,
                |b, _| b.iter(|| decide(&warm)),
            );
        }
        if total > ENFORCER_MAX_RULES {
            continue;
        }
        let enforcer = rt
            .block_on(reference_enforcer(DieselAdapter::new(db.pool())))
            .expect("casbin enforcer");
        for (name, (path, method), want) in [("allowed", allowed, true), ("denied", denied, false)]
        {
            assert_eq!(enforcer.enforce((PROBE, path, method)).unwrap(), want);
            group.bench_with_input(
                BenchmarkId::new(format!("casbin_enforcer/{name}"), total),
                &total,
                |b, _| b.iter(|| enforcer.enforce((PROBE, path, method)).unwrap()),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
