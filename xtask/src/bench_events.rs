//! `cargo xtask bench-events`: the `GET /v1/events` benchmark of issue 6.
//!
//! On a fresh private PostgreSQL it loads the dataset of
//! `xtask/sql/bench_events_dataset.sql` (1,000 users, 100,000 events),
//! starts the release `conclave` server, checks that page 1 holds 100
//! events, then measures in one run: the API under `wrk`, the floor (one
//! hand-written SQL statement returning the same page, `pgbench`), and the
//! page-1 latency of a user seeing 1,000 events against one seeing 100,000.
//! It prints a markdown table. Server and cluster stop on exit and Ctrl-C.

mod measure;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use diesel::QueryableByName;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection as _};

use crate::db::{self, block_on};
use crate::dev_server::{self, DevServer};
use crate::interrupt;
use crate::pg::Profile;
use crate::pg::local::repo_root;
use crate::pg::temp::TempCluster;
use measure::Load;

/// The benchmark database on the private cluster.
const BENCH_DB: &str = "conclave_bench";
/// The listing window: the whole generated year.
const TIME_MIN: &str = "2026-01-01T00:00:00Z";
const TIME_MAX: &str = "2027-01-01T00:00:00Z";
const DATASET: &str = include_str!("../sql/bench_events_dataset.sql");
const FLOOR: &str = include_str!("../sql/bench_events_floor.sql");

/// Runs the whole benchmark; `seconds` per load run.
pub fn run(seconds: u64) -> anyhow::Result<()> {
    // Fail before the release build and the dataset, not after them.
    for (tool, package) in [("wrk", "wrk"), ("pgbench", "postgresql-client")] {
        if !on_path(tool) {
            bail!(
                "`{tool}` is not on PATH; install it first (Debian/Ubuntu: apt-get install {package})"
            );
        }
    }
    interrupt::install()?;
    let cluster = TempCluster::start(Profile::Test)?;
    let url = cluster.url(BENCH_DB);
    block_on(async {
        db::ensure_database(&url).await?;
        db::migrate(&url).await?;
        db::seed_demo(&url).await
    })??;
    // The benchmark measures optimised code.
    let binary = dev_server::build_binary(true)?;
    let port = free_port()?;
    let config = write_config(&url, port)?;
    let mut server = DevServer::start(&binary, &config)?;
    dev_server::wait_ready(&mut server, port, Duration::from_secs(60))?;
    let big = dev_server::login(&binary, &config, port, "bench-big")?;
    let small = dev_server::login(&binary, &config, port, "bench-small")?;
    let started = Instant::now();
    let ids = block_on(load_dataset(&url))??;
    println!("dataset loaded in {:.1}s", started.elapsed().as_secs_f64());
    let path = format!("/v1/events?time_min={TIME_MIN}&time_max={TIME_MAX}&per_page=100");
    for (who, token) in [("bench-big", &big), ("bench-small", &small)] {
        let events = page_events(port, &path, token)?;
        if events != 100 {
            bail!("page 1 of {who} holds {events} events, not 100");
        }
    }
    let work = config.parent().context("config dir")?.to_path_buf();
    for (who, user) in [("big", &ids.big), ("small", &ids.small)] {
        let plan = block_on(explain(&url, &ids, user))??;
        std::fs::write(work.join(format!("explain-{who}.txt")), plan)?;
    }
    let script = work.join("floor.sql");
    std::fs::write(&script, FLOOR)?;
    let endpoint = format!("http://127.0.0.1:{port}{path}");
    let busy = Load {
        connections: 8,
        threads: 2,
        seconds,
    };
    let api = measure::wrk(&endpoint, &big, busy)?;
    let variables = [
        ("user", ids.big.clone()),
        ("tenant", ids.tenant.clone()),
        ("time_min", TIME_MIN.to_owned()),
        ("time_max", TIME_MAX.to_owned()),
    ];
    let floor = measure::pgbench(cluster.port(), BENCH_DB, &script, &variables, busy)?;
    let single = Load {
        connections: 1,
        threads: 1,
        seconds: seconds.div_ceil(2),
    };
    let small_page = measure::wrk(&endpoint, &small, single)?;
    let big_page = measure::wrk(&endpoint, &big, single)?;
    drop(server);
    println!(
        "\nEXPLAIN ANALYZE of the floor: {}/explain-{{big,small}}.txt",
        work.display()
    );
    println!("\n{}", table(&api, &floor, &small_page, &big_page));
    Ok(())
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// The server configuration: development tokens, tenants by claim, the
/// demo tariff, and warnings only (per-request logs would cost time).
fn write_config(url: &str, port: u16) -> anyhow::Result<PathBuf> {
    let path = repo_root().join("target/conclave-bench/conclave.toml");
    std::fs::create_dir_all(path.parent().context("config dir")?)?;
    let text = format!(
        "# Written by `cargo xtask bench-events`.\n\
         [database]\nurl = {url:?}\nmax_connections = 8\n\n\
         [http]\nport = {port}\n\n\
         [logging]\nfilter = \"warn\"\n\n\
         [dev]\nenabled = true\n\n\
         [tenants]\nassignment = \"by_external_tenant_id\"\n\n\
         [tariffs]\nstatic_tariff_name = \"demo\"\n"
    );
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The ids the floor query binds.
struct Ids {
    big: String,
    small: String,
    tenant: String,
}

#[derive(QueryableByName)]
struct IdsRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    big: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    small: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    tenant: String,
}

/// Loads the dataset, refreshes statistics and returns bench-big's ids.
async fn load_dataset(url: &str) -> anyhow::Result<Ids> {
    let mut conn = db::connect(url).await?;
    conn.batch_execute(DATASET)
        .await
        .context("cannot load the dataset")?;
    conn.batch_execute("VACUUM ANALYZE").await?;
    let row: IdsRow = diesel::sql_query(
        "SELECT b.id::text AS big, s.id::text AS small, b.tenant_id::text AS tenant \
         FROM users b, users s WHERE b.oidc_sub = 'bench-big' AND s.oidc_sub = 'bench-small'",
    )
    .get_result(&mut conn)
    .await?;
    Ok(Ids {
        big: row.big,
        small: row.small,
        tenant: row.tenant,
    })
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    line: String,
}

/// `EXPLAIN (ANALYZE, BUFFERS)` of the floor statement for `user`.
async fn explain(url: &str, ids: &Ids, user: &str) -> anyhow::Result<String> {
    let mut conn = db::connect(url).await?;
    let body: String = FLOOR
        .lines()
        .filter(|line| !line.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(":user", &format!("'{user}'::uuid"))
        .replace(":tenant", &format!("'{}'::uuid", ids.tenant))
        .replace(":time_min", &format!("'{TIME_MIN}'::timestamptz"))
        .replace(":time_max", &format!("'{TIME_MAX}'::timestamptz"));
    let lines: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN (ANALYZE, BUFFERS) {body}"))
        .load(&mut conn)
        .await?;
    Ok(lines.into_iter().map(|l| l.line + "\n").collect())
}

/// GETs `path` once and counts the event items (exceptions excluded).
fn page_events(port: u16, path: &str, token: &str) -> anyhow::Result<usize> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    // HTTP/1.0: no chunked body to decode.
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .context("malformed HTTP response")?;
    if !head.starts_with("HTTP/1.0 200") && !head.starts_with("HTTP/1.1 200") {
        bail!("GET {path} answered: {}", head.lines().next().unwrap_or(""));
    }
    let items: Vec<serde_json::Value> = serde_json::from_str(body)?;
    Ok(items.iter().filter(|i| i["type"] != "exception").count())
}

/// The markdown result table.
fn table(
    api: &measure::Result,
    floor: &measure::Result,
    small: &measure::Result,
    big: &measure::Result,
) -> String {
    let row = |name: &str, r: &measure::Result| {
        format!(
            "| {name} | {:.0} | {:.2} | {:.2} |\n",
            r.rate, r.p50_ms, r.p99_ms
        )
    };
    let mut out = String::from("| run | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
    out += &row("API `GET /v1/events` (wrk -c8)", api);
    out += &row("floor: one SQL statement (pgbench -c8)", floor);
    out += &row("API page 1, 1,000 events (wrk -c1)", small);
    out += &row("API page 1, 100,000 events (wrk -c1)", big);
    let ratio = api.rate / floor.rate;
    let growth50 = big.p50_ms / small.p50_ms;
    let growth99 = big.p99_ms / small.p99_ms;
    out += &format!(
        "\nAPI / floor rate: {:.1}% (target ≥ 50%: {})\n\
         page-1 growth 1,000 → 100,000 events: p50 ×{growth50:.2}, p99 ×{growth99:.2} \
         (target < 1.5: {})\n",
        ratio * 100.0,
        verdict(ratio >= 0.5),
        verdict(growth50 < 1.5),
    );
    out
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "missed" }
}

/// Whether an executable named `tool` is in one of the `PATH` directories.
fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}
