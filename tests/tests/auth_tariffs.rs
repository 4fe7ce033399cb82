//! Tariff assignment at login, end to end (rules.md §8.4): external tariff
//! ids, the status mapping and the downgrade, on every login.

use conclave_api::config::{TariffAssignment, TariffStatusMapping};
use conclave_db::models::external_tariff::ExternalTariff;
use conclave_db::models::tariff::Tariff;
use conclave_db::testing::fixtures;
use conclave_domain::tariff::TariffStatus;
use conclave_e2e::{TestApp, rows, spawn_app_with, user_by_sub};
use reqwest::StatusCode;
use serde_json::Value;

async fn login_status(app: &TestApp, token: &str) -> (StatusCode, Value) {
    let response = app.login(token).await;
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// A tariff reachable under `external_id`.
async fn external_tariff(app: &TestApp, external_id: &str) -> Tariff {
    let mut conn = app.db.connect().await;
    let tariff = fixtures::tariff(&mut conn).await;
    ExternalTariff {
        external_id: external_id.to_owned(),
        tariff_id: tariff.id,
    }
    .insert(&mut conn)
    .await
    .expect("external tariff");
    tariff
}

fn mapping(downgraded_tariff_name: &str) -> TariffStatusMapping {
    TariffStatusMapping {
        downgraded_tariff_name: downgraded_tariff_name.to_owned(),
        default: vec!["basic".into()],
        paid: vec!["premium".into()],
        downgraded: vec!["overdue".into()],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_tariff_ids_pick_the_tariff_at_every_login() {
    let app = spawn_app_with(|s| s.tariffs.assignment = TariffAssignment::ByExternalTariffId).await;
    let gold = external_tariff(&app, "gold-ext").await;
    let silver = external_tariff(&app, "silver-ext").await;

    let claims = app.issuer.claims("hank").with("tariff_id", "gold-ext");
    assert_eq!(
        login_status(&app, &app.issuer.sign(&claims)).await.0,
        StatusCode::OK
    );
    assert_eq!(user_by_sub(&app, "hank").await.tariff_id, gold.id);
    let claims = app.issuer.claims("hank").with("tariff_id", "silver-ext");
    assert_eq!(
        login_status(&app, &app.issuer.sign(&claims)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        user_by_sub(&app, "hank").await.tariff_id,
        silver.id,
        "overwritten"
    );

    let unknown = app.issuer.claims("ivy").with("tariff_id", "nope");
    let (status, body) = login_status(&app, &app.issuer.sign(&unknown)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["code"], "invalid_tariff_id");
    assert_eq!(body["message"], "JWT contained unknown tariff_id");

    let (status, body) = login_status(&app, &app.issuer.token("ivy")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_claims"))
    );
    let mut conn = app.db.connect().await;
    assert!(rows::user_id_by_sub(&mut conn, "ivy").await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_mapping_sets_status_and_downgrades() {
    let downgrade_name = "Downgraded Tariff";
    let app = spawn_app_with(|s| s.tariffs.status_mapping = Some(mapping(downgrade_name))).await;
    let mut conn = app.db.connect().await;
    let default = fixtures::default_tariff(&mut conn).await;
    let downgraded = fixtures::tariff(&mut conn).await;
    diesel_rename(&mut conn, &downgraded, downgrade_name).await;

    let cases = [
        ("premium", TariffStatus::Paid, default.id),
        ("basic", TariffStatus::Default, default.id),
        ("whatever", TariffStatus::Default, default.id),
        ("overdue", TariffStatus::Downgraded, downgraded.id),
        ("premium", TariffStatus::Paid, default.id),
    ];
    for (claim, status, tariff) in cases {
        let claims = app.issuer.claims("jill").with("tariff_status", claim);
        assert_eq!(
            login_status(&app, &app.issuer.sign(&claims)).await.0,
            StatusCode::OK,
            "{claim}"
        );
        let user = user_by_sub(&app, "jill").await;
        assert_eq!(
            (user.tariff_status, user.tariff_id),
            (status, tariff),
            "{claim}"
        );
    }
    let (status, body) = login_status(&app, &app.issuer.token("jill")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_claims"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_downgrade_tariff_is_a_configuration_error() {
    let app = spawn_app_with(|s| s.tariffs.status_mapping = Some(mapping("Not There"))).await;
    let claims = app.issuer.claims("kim").with("tariff_status", "overdue");
    let (status, body) = login_status(&app, &app.issuer.sign(&claims)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["code"], "invalid_configuration");
    let mut conn = app.db.connect().await;
    assert!(
        rows::user_id_by_sub(&mut conn, "kim").await.is_none(),
        "rolled back"
    );
}

async fn diesel_rename(conn: &mut diesel_async::AsyncPgConnection, tariff: &Tariff, name: &str) {
    use conclave_db::schema::tariffs;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    diesel::update(tariffs::table.find(uuid::Uuid::from(tariff.id)))
        .set(tariffs::name.eq(name))
        .execute(conn)
        .await
        .expect("rename tariff");
}
