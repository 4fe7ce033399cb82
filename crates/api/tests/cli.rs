//! The admin CLI against a real database: commands are parsed from argument
//! lists exactly as the `conclave` binary parses them.

use clap::Parser;
use conclave_api::cli::AdminCommand;
use conclave_db::DbConnection;
use conclave_db::models::casbin_rule::CasbinRule;
use conclave_db::models::external_tariff::ExternalTariff;
use conclave_db::models::tariff::Tariff;
use conclave_db::models::tenant::Tenant;
use conclave_db::testing::TestDb;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: AdminCommand,
}

async fn run(conn: &mut DbConnection, args: &[&str]) -> anyhow::Result<String> {
    let cli = Cli::try_parse_from(std::iter::once("conclave").chain(args.iter().copied()))?;
    let mut out = Vec::new();
    cli.command.run(conn, &mut out).await?;
    Ok(String::from_utf8(out)?)
}

#[tokio::test]
async fn tariffs_are_created_edited_listed_and_deleted() {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;
    run(
        &mut conn,
        &[
            "tariffs",
            "create",
            "pro",
            "--quota",
            "max_storage=1000",
            "--quota",
            "room_participant_limit=20",
            "--disable-module",
            "whiteboard",
            "--disable-feature",
            "core::call_in",
            "--add-external-id",
            "ext-pro",
        ],
    )
    .await
    .unwrap();
    let tariff = Tariff::get_by_name(&mut conn, "pro").await.unwrap();
    assert_eq!(
        tariff.quotas,
        serde_json::json!({"max_storage": 1000, "room_participant_limit": 20})
    );
    assert_eq!(tariff.disabled_modules, vec![Some("whiteboard".to_owned())]);
    assert_eq!(
        tariff.disabled_features,
        vec![Some("core::call_in".to_owned())]
    );
    assert_eq!(
        ExternalTariff::find(&mut conn, "ext-pro")
            .await
            .unwrap()
            .unwrap()
            .tariff_id,
        tariff.id
    );

    run(
        &mut conn,
        &[
            "tariffs",
            "edit",
            "pro",
            "--rename",
            "business",
            "--remove-quota",
            "max_storage",
            "--enable-module",
            "whiteboard",
            "--disable-module",
            "timer",
            "--remove-external-id",
            "ext-pro",
        ],
    )
    .await
    .unwrap();
    let tariff = Tariff::get_by_name(&mut conn, "business").await.unwrap();
    assert_eq!(
        tariff.quotas,
        serde_json::json!({"room_participant_limit": 20})
    );
    assert_eq!(tariff.disabled_modules, vec![Some("timer".to_owned())]);
    assert!(
        ExternalTariff::find(&mut conn, "ext-pro")
            .await
            .unwrap()
            .is_none()
    );

    let listing = run(&mut conn, &["tariffs", "list"]).await.unwrap();
    assert!(
        listing.contains("business") && listing.contains("OpenTalkDefaultTariff"),
        "{listing}"
    );

    run(&mut conn, &["tariffs", "delete", "business"])
        .await
        .unwrap();
    assert!(
        Tariff::find_by_name(&mut conn, "business")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn invalid_tariff_input_is_refused_and_changes_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;
    for args in [
        &["tariffs", "create", "x", "--quota", "bogus=1"][..],
        &["tariffs", "create", "x", "--quota", "max_storage=-1"],
        &["tariffs", "create", "x", "--quota", "max_storage"],
        &["tariffs", "create", "x", "--disable-module", "white board"],
    ] {
        assert!(run(&mut conn, args).await.is_err(), "{args:?}");
    }
    assert!(
        Tariff::find_by_name(&mut conn, "x")
            .await
            .unwrap()
            .is_none()
    );
    // A tariff in use cannot be deleted.
    conclave_db::testing::fixtures::user(&mut conn).await;
    assert!(
        run(&mut conn, &["tariffs", "delete", "OpenTalkDefaultTariff"])
            .await
            .is_err()
    );
    assert!(
        Tariff::find_by_name(&mut conn, "OpenTalkDefaultTariff")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn tenants_are_managed() {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;
    run(&mut conn, &["tenants", "create", "acme"])
        .await
        .unwrap();
    run(&mut conn, &["tenants", "set-oidc-id", "acme", "acme-corp"])
        .await
        .unwrap();
    let tenant = Tenant::find_by_oidc_tenant_id(&mut conn, "acme-corp")
        .await
        .unwrap();
    assert!(tenant.is_some());
    let listing = run(&mut conn, &["tenants", "list"]).await.unwrap();
    assert!(
        listing.contains("acme-corp") && !listing.contains("acme\n"),
        "{listing}"
    );
    run(&mut conn, &["tenants", "delete", "acme-corp"])
        .await
        .unwrap();
    assert!(
        run(&mut conn, &["tenants", "delete", "acme-corp"])
            .await
            .is_err()
    );
}

#[tokio::test]
async fn acl_rules_are_granted_listed_and_revoked() {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;
    let user = "user::00000000-0000-0000-0000-000000000001";
    run(&mut conn, &["acl", "grant", user, "/rooms/*", "get,post"])
        .await
        .unwrap();
    run(&mut conn, &["acl", "add-role", user, "role::user"])
        .await
        .unwrap();
    let listing = run(&mut conn, &["acl", "list", "--subject", user])
        .await
        .unwrap();
    assert!(
        listing.contains("p\tuser::00000000-0000-0000-0000-000000000001\t/rooms/*\tGET|POST"),
        "{listing}"
    );
    assert!(
        listing.contains("g\tuser::00000000-0000-0000-0000-000000000001\trole::user"),
        "{listing}"
    );

    run(&mut conn, &["acl", "revoke", user, "/rooms/*"])
        .await
        .unwrap();
    run(&mut conn, &["acl", "remove-role", user, "role::user"])
        .await
        .unwrap();
    let rows = CasbinRule::load_for_subjects(&mut conn, "p", &[user.to_owned()])
        .await
        .unwrap();
    assert!(rows.is_empty());

    for args in [
        &["acl", "grant", "nobody", "/rooms", "GET"][..],
        &["acl", "grant", user, "/v1/rooms", "GET"],
        &["acl", "grant", user, "/rooms", "FETCH"],
        &[
            "acl",
            "add-role",
            user,
            "invite::00000000-0000-0000-0000-000000000002",
        ],
    ] {
        assert!(run(&mut conn, args).await.is_err(), "{args:?}");
    }
}
