//! Ready-made rows for tests: the seeded tenant and tariff, users with random
//! subjects and addresses, and rooms.

use conclave_domain::ids::{TariffId, TenantId};
use conclave_domain::tariff::TariffStatus;
use uuid::Uuid;

use crate::DbConnection;
use crate::models::room::{NewRoom, Room};
use crate::models::tariff::{DEFAULT_TARIFF_NAME, NewTariff, Tariff};
use crate::models::tenant::{DEFAULT_OIDC_TENANT_ID, Tenant};
use crate::models::user::{NewUser, User};

/// The tenant seeded by the migrations.
pub async fn default_tenant(conn: &mut DbConnection) -> Tenant {
    Tenant::find_by_oidc_tenant_id(conn, DEFAULT_OIDC_TENANT_ID)
        .await
        .expect("query the default tenant")
        .expect("the migrations seed the default tenant")
}

/// The tariff seeded by the migrations.
pub async fn default_tariff(conn: &mut DbConnection) -> Tariff {
    Tariff::get_by_name(conn, DEFAULT_TARIFF_NAME)
        .await
        .expect("the migrations seed the default tariff")
}

/// A new tenant with a random OIDC tenant id.
pub async fn tenant(conn: &mut DbConnection) -> Tenant {
    let oidc_tenant_id = format!("tenant-{}", Uuid::new_v4().simple());
    Tenant::get_or_create_by_oidc_tenant_id(conn, &oidc_tenant_id)
        .await
        .expect("insert tenant")
}

/// A new tariff with a random name, empty quotas and nothing disabled.
pub async fn tariff(conn: &mut DbConnection) -> Tariff {
    NewTariff {
        name: format!("tariff-{}", Uuid::new_v4().simple()),
        quotas: serde_json::json!({}),
        disabled_modules: Vec::new(),
        disabled_features: Vec::new(),
    }
    .insert(conn)
    .await
    .expect("insert tariff")
}

/// The insert form of a user with a random subject and address, named
/// "Test User", in the given tenant and tariff.
pub fn new_user(tenant_id: TenantId, tariff_id: TariffId) -> NewUser {
    let token = Uuid::new_v4().simple().to_string();
    NewUser {
        oidc_sub: format!("sub-{token}"),
        email: format!("user-{token}@example.org"),
        title: String::new(),
        firstname: "Test".to_owned(),
        lastname: "User".to_owned(),
        id_token_exp: 0,
        language: "en-US".to_owned(),
        display_name: "Test User".to_owned(),
        phone: None,
        tenant_id,
        tariff_id,
        tariff_status: TariffStatus::Default,
        avatar_url: None,
    }
}

/// A new user in the default tenant with the default tariff.
pub async fn user(conn: &mut DbConnection) -> User {
    let tenant = default_tenant(conn).await;
    let tariff = default_tariff(conn).await;
    user_in(conn, tenant.id, tariff.id).await
}

/// A new user in the given tenant and tariff.
pub async fn user_in(conn: &mut DbConnection, tenant_id: TenantId, tariff_id: TariffId) -> User {
    new_user(tenant_id, tariff_id)
        .insert(conn)
        .await
        .expect("insert user")
}

/// The insert form of a plain room of `owner` (no password, no waiting room,
/// not encrypted).
pub fn new_room(owner: &User) -> NewRoom {
    NewRoom {
        created_by: owner.id,
        password: None,
        waiting_room: false,
        tenant_id: owner.tenant_id,
        e2e_encryption: false,
    }
}

/// A new plain room owned by `owner`, in the owner's tenant.
pub async fn room(conn: &mut DbConnection, owner: &User) -> Room {
    new_room(owner).insert(conn).await.expect("insert room")
}
