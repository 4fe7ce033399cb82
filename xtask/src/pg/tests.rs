//! Tests of the cluster wrapper, including a real server start and stop.
//! Each test works in its own fresh directory on its own free port, so they
//! run in parallel with each other and with other users of the machine.

use std::path::Path;

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;

use super::temp::{TempCluster, fresh_dir};
use super::{Profile, settings, url};
use crate::db::{block_on, connect};

#[test]
fn urls_name_user_loopback_port_and_database() {
    assert_eq!(
        url(41234, "conclave"),
        "postgres://postgres@127.0.0.1:41234/conclave"
    );
}

#[test]
fn settings_per_profile() {
    let test = settings(Profile::Test, Path::new("/tmp/it's"));
    assert!(test.contains("listen_addresses = '127.0.0.1'\n"), "{test}");
    assert!(
        test.contains("unix_socket_directories = '/tmp/it''s'\n"),
        "{test}"
    );
    for line in [
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
    ] {
        assert!(test.contains(line), "{line} missing in {test}");
    }
    let dev = settings(Profile::Dev, Path::new("/tmp/x"));
    assert!(dev.contains("listen_addresses = '127.0.0.1'\n"), "{dev}");
    assert!(!dev.contains("fsync"), "{dev}");
}

#[test]
fn fresh_dirs_are_new_and_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let parent = fresh_dir(&std::env::temp_dir(), "xtask-fresh-test").unwrap();
    let a = fresh_dir(&parent, "d").unwrap();
    let b = fresh_dir(&parent, "d").unwrap();
    assert_ne!(a, b);
    assert_eq!(
        std::fs::metadata(&a).unwrap().permissions().mode() & 0o777,
        0o700
    );
    std::fs::remove_dir_all(&parent).unwrap();
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

async fn show(url: &str, name: &str) -> anyhow::Result<String> {
    let mut conn = connect(url).await?;
    let row: Setting = diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
        .get_result(&mut conn)
        .await?;
    Ok(row.value)
}

#[test]
fn a_real_cluster_starts_restarts_and_is_removed() {
    let cluster = TempCluster::start(Profile::Test).expect("start a throw-away PostgreSQL");
    let work_dir = cluster.work_dir().to_path_buf();
    let url = cluster.url("postgres");
    assert_eq!(block_on(show(&url, "fsync")).unwrap().unwrap(), "off");
    assert_eq!(
        block_on(show(&url, "listen_addresses")).unwrap().unwrap(),
        "127.0.0.1"
    );
    assert_eq!(
        block_on(show(&url, "server_encoding")).unwrap().unwrap(),
        "UTF8"
    );
    let pm = super::state::read_postmaster_pid(&work_dir.join("data")).expect("postmaster.pid");
    assert_eq!(pm.port, cluster.port());

    // A stopped cluster reports no port, and starts again with its settings.
    let inner = cluster.cluster().clone();
    inner.stop(super::Shutdown::Fast).unwrap();
    assert_eq!(inner.running_port(), None);
    assert!(block_on(show(&url, "fsync")).unwrap().is_err());
    let port = inner.start().unwrap();
    assert_eq!(inner.running_port(), Some(port));
    assert_eq!(
        block_on(show(&super::url(port, "postgres"), "fsync"))
            .unwrap()
            .unwrap(),
        "off"
    );
    let pid = super::state::read_postmaster_pid(&work_dir.join("data"))
        .unwrap()
        .pid;

    drop(cluster);
    assert!(!work_dir.exists(), "{} left behind", work_dir.display());
    assert!(!alive(pid), "postmaster {pid} still runs");
}

/// Whether a process exists and is not a zombie waiting for its reaper.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(") ")
                .map(|(_, rest)| !rest.starts_with('Z'))
        })
        .unwrap_or(false)
}
