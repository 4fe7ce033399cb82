//! Differential test: the native engine (rules in PostgreSQL, subject-scoped
//! loads, cache, indexed matching) decides exactly as casbin-rs's own
//! `Enforcer` with the model of rules.md §11.1, on random rules and requests
//! from a fixed seed.
//!
//! casbin scans every policy per request, so the rules are split into
//! several independent worlds (each with its own database and enforcer) to
//! keep the oracle's quadratic cost affordable: in total
//! `WORLDS × RULES_PER_WORLD` ≥ 10 000 rules and
//! `WORLDS × REQUESTS_PER_WORLD` ≥ 10 000 requests.

use casbin::{CoreApi, MemoryAdapter, MgmtApi};
use conclave_api::authz::Authorizer;
use conclave_api::authz::model::reference_enforcer;
use conclave_api::config::AuthzSettings;
use conclave_db::authz::rows::{NewCasbinRule, insert_new};
use conclave_db::testing::TestDb;
use conclave_domain::access::strip_version_prefix;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use uuid::Uuid;

const SEED: u64 = 0x00c0_2c1a_7e00_0011;
const WORLDS: usize = 10;
const RULES_PER_WORLD: usize = 1_000;
const REQUESTS_PER_WORLD: usize = 1_000;
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const SUFFIXES: [&str; 9] = [
    "",
    "/invites",
    "/invites/*",
    "/start",
    "/assets",
    "/assets/*",
    "/instances/*",
    "/tariff",
    "/*",
];

/// Subjects in layers; `g` links only point to a higher layer (plus one
/// cycle at the top), so every chain stays far below casbin's depth limit.
struct Universe {
    users: Vec<String>,
    invites: Vec<String>,
    groups: Vec<String>,
    groups2: Vec<String>,
    roles: Vec<String>,
    ids: Vec<String>,
}

fn uuid(rng: &mut StdRng) -> String {
    Uuid::from_u128(rng.random()).to_string()
}

fn universe(rng: &mut StdRng) -> Universe {
    let mut named = |prefix: &str, n: usize| -> Vec<String> {
        (0..n).map(|_| format!("{prefix}::{}", uuid(rng))).collect()
    };
    let users = named("user", 60);
    let invites = named("invite", 15);
    let groups = named("group", 10);
    let groups2 = named("group", 5);
    let mut roles = vec!["role::user".to_owned()];
    roles.extend((1..4).map(|i| format!("role::r{i}")));
    let ids = (0..12).map(|_| uuid(rng)).collect();
    Universe {
        users,
        invites,
        groups,
        groups2,
        roles,
        ids,
    }
}

fn object(rng: &mut StdRng, u: &Universe) -> String {
    let base = *[
        "/rooms",
        "/events",
        "/users/me/event_favorites",
        "/module_resources",
    ]
    .choose(rng)
    .unwrap();
    match rng.random_range(0..10) {
        0 => base.to_owned(),
        1 => format!("{base}/*{}", SUFFIXES.choose(rng).unwrap()),
        _ => format!(
            "{base}/{}{}",
            u.ids.choose(rng).unwrap(),
            SUFFIXES.choose(rng).unwrap()
        ),
    }
}

fn actions(rng: &mut StdRng) -> String {
    let mut methods = METHODS.to_vec();
    methods.shuffle(rng);
    methods.truncate(rng.random_range(1..=3));
    methods.join("|")
}

fn policies(rng: &mut StdRng, u: &Universe, n: usize) -> Vec<Vec<String>> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let pool = match rng.random_range(0..10) {
            0..=5 => &u.users,
            6 => &u.invites,
            7 => &u.groups,
            8 => &u.groups2,
            _ => &u.roles,
        };
        let subject = pool.choose(rng).unwrap().clone();
        let rule = vec![subject, object(rng, u), actions(rng)];
        if !out.contains(&rule) {
            out.push(rule);
        }
    }
    out
}

fn links(rng: &mut StdRng, u: &Universe) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut link = |member: &String, role: &String| {
        let rule = vec![member.clone(), role.clone()];
        if !out.contains(&rule) {
            out.push(rule);
        }
    };
    for user in &u.users {
        if rng.random_bool(0.8) {
            link(user, &u.roles[0]);
        }
        for _ in 0..rng.random_range(0..3) {
            link(user, u.groups.choose(rng).unwrap());
        }
    }
    for group in &u.groups {
        link(group, u.groups2.choose(rng).unwrap());
    }
    for group in &u.groups2 {
        link(group, u.roles[1..].choose(rng).unwrap());
    }
    // A cycle between two roles, which both engines must survive.
    link(&u.roles[2], &u.roles[3]);
    link(&u.roles[3], &u.roles[2]);
    out
}

/// A request path: mostly a concrete instance of some rule's object (so
/// allows are frequent), sometimes noise; optionally under `/v1`.
fn request_path(rng: &mut StdRng, u: &Universe, rules: &[Vec<String>]) -> String {
    let mut path = if rng.random_bool(0.8) {
        let template = &rules.choose(rng).unwrap()[1];
        let mut concrete = template.clone();
        while concrete.contains('*') {
            let id = u.ids.choose(rng).unwrap();
            concrete = concrete.replacen('*', id, 1);
        }
        concrete
    } else {
        object(rng, u).replace('*', "x")
    };
    if rng.random_bool(0.05) {
        path.push('/');
    }
    if rng.random_bool(0.5) {
        path = format!("/v1{path}");
    }
    path
}

fn request_subject(rng: &mut StdRng, u: &Universe) -> String {
    match rng.random_range(0..20) {
        0..=13 => u.users.choose(rng).unwrap().clone(),
        14..=16 => u.invites.choose(rng).unwrap().clone(),
        17 => u.groups.choose(rng).unwrap().clone(),
        18 => u.roles.choose(rng).unwrap().clone(),
        _ => format!("user::{}", uuid(rng)),
    }
}

async fn store(db: &TestDb, policies: &[Vec<String>], links: &[Vec<String>]) {
    let mut rows: Vec<NewCasbinRule> = policies
        .iter()
        .map(|r| NewCasbinRule::from_values("p", r).unwrap())
        .collect();
    rows.extend(
        links
            .iter()
            .map(|r| NewCasbinRule::from_values("g", r).unwrap()),
    );
    let mut conn = db.connect().await;
    let inserted = insert_new(&mut conn, &rows).await.unwrap();
    assert_eq!(inserted.len(), rows.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_decides_like_casbin() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let (mut total_rules, mut total_requests, mut allowed) = (0, 0, 0);
    for world in 0..WORLDS {
        let u = universe(&mut rng);
        let links = links(&mut rng, &u);
        let policies = policies(&mut rng, &u, RULES_PER_WORLD - links.len());
        total_rules += policies.len() + links.len();

        let db = TestDb::new().await;
        store(&db, &policies, &links).await;
        let settings = AuthzSettings {
            cache_capacity: 64,
            listen_for_changes: false,
        };
        let engine = Authorizer::new(db.pool(), &settings, db.url());
        // No cache at all: every decision takes the one-query closure load.
        let uncached = AuthzSettings {
            cache_capacity: 0,
            listen_for_changes: false,
        };
        let cold = Authorizer::new(db.pool(), &uncached, db.url());
        let mut oracle = reference_enforcer(MemoryAdapter::default()).await.unwrap();
        oracle.add_policies(policies.clone()).await.unwrap();
        oracle.add_grouping_policies(links.clone()).await.unwrap();

        for _ in 0..REQUESTS_PER_WORLD {
            let subject = request_subject(&mut rng, &u);
            let path = request_path(&mut rng, &u, &policies);
            let method = *["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
                .choose(&mut rng)
                .unwrap();
            let want = oracle
                .enforce((subject.as_str(), strip_version_prefix(&path), method))
                .unwrap();
            let got = engine.check_request(&subject, &path, method).await.unwrap();
            assert_eq!(got, want, "world {world}: {subject} {method} {path}");
            let cold_got = cold.check_request(&subject, &path, method).await.unwrap();
            assert_eq!(
                cold_got, want,
                "uncached, world {world}: {subject} {method} {path}"
            );
            allowed += usize::from(want);
            total_requests += 1;
        }
    }
    assert!(total_rules >= 10_000 && total_requests >= 10_000);
    // Both outcomes must be well represented, or the comparison says little.
    let share = allowed as f64 / total_requests as f64;
    assert!((0.2..0.8).contains(&share), "allowed share {share}");
}
