//! `/v1/users…`: profiles, settings, tariff, search (api.md §7.2).

use actix_web::{HttpRequest, HttpResponse, get, patch, web};
use conclave_db::models::asset::{Asset, AssetSort};
use conclave_db::models::tariff::Tariff;
use conclave_db::models::user::{UpdateUser, User};
use conclave_domain::ids::UserId;
use serde::Deserialize;

use crate::auth::AuthenticatedUser;
use crate::config::UsersFindBehavior;
use crate::dto::asset::{GetUserAssetsResponseBody, UserAssetResource};
use crate::dto::tariff::TariffResource;
use crate::dto::user::{GetFindResponseEntry, PatchMeBody, PrivateUserProfile, PublicUserProfile};
use crate::error::ApiError;
use crate::pagination::{PageQuery, page_links};
use crate::state::AppState;

/// Shortest accepted search query, in characters.
const MIN_QUERY_CHARS: usize = 3;

/// The caller's private profile.
#[utoipa::path(
    tag = "users",
    responses((status = 200, body = PrivateUserProfile), (status = 401)),
)]
#[get("/users/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let used = used_storage(&mut conn, me.user.id).await?;
    Ok(HttpResponse::Ok().json(PrivateUserProfile::of(&me.user, used, &state.settings)))
}

/// Changes the caller's title, display name, language or themes.
#[utoipa::path(
    tag = "users",
    request_body = PatchMeBody,
    responses(
        (status = 200, body = PrivateUserProfile),
        (status = 204, description = "Empty body: nothing changed"),
        (status = 400), (status = 401),
    ),
)]
#[patch("/users/me")]
pub async fn patch_users_me(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    body: web::Json<PatchMeBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.is_empty() {
        return Ok(HttpResponse::NoContent().finish());
    }
    if let Some(name) = &body.display_name
        && state.settings.endpoints.disallow_custom_display_name
        && name.as_str() != me.user.display_name
    {
        return Err(ApiError::bad_request(
            "changing the display name is prohibited",
        ));
    }
    let changes = UpdateUser {
        title: body.title.map(Into::into),
        display_name: body.display_name.map(Into::into),
        language: body.language.map(Into::into),
        dashboard_theme: body.dashboard_theme.map(Into::into),
        conference_theme: body.conference_theme.map(Into::into),
        ..UpdateUser::default()
    };
    let mut conn = state.conn().await?;
    let user = User::update(&mut conn, me.user.id, changes).await?;
    let used = used_storage(&mut conn, user.id).await?;
    Ok(HttpResponse::Ok().json(PrivateUserProfile::of(&user, used, &state.settings)))
}

/// The caller's tariff with its quotas and enabled modules.
#[utoipa::path(
    tag = "users",
    responses((status = 200, body = TariffResource), (status = 401)),
)]
#[get("/users/me/tariff")]
pub async fn get_me_tariff(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let tariff = Tariff::get(&mut conn, me.user.tariff_id).await?;
    let resource = TariffResource::build(&tariff, &state.modules, &state.global_disabled_features)?;
    Ok(HttpResponse::Ok().json(resource))
}

/// Sort key of `GET /users/me/assets`.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssetSortKey {
    /// By file name.
    Filename,
    /// By size.
    Size,
    /// By namespace.
    Namespace,
    /// By kind.
    Kind,
    /// By upload time (default).
    #[default]
    CreatedAt,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Smallest first.
    Ascending,
    /// Largest first (default).
    #[default]
    Descending,
}

/// Query of `GET /users/me/assets`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct AssetsQuery {
    /// Items per page, 1..=100 (default 30).
    pub per_page: Option<i64>,
    /// 1-based page (default 1).
    pub page: Option<i64>,
    /// Sort key (default `created_at`).
    pub sort: Option<AssetSortKey>,
    /// Sort direction (default `descending`).
    pub order: Option<SortOrder>,
}

/// The assets of every room the caller created, paged.
#[utoipa::path(
    tag = "users",
    params(AssetsQuery),
    responses((status = 200, body = GetUserAssetsResponseBody), (status = 400), (status = 401)),
)]
#[get("/users/me/assets")]
pub async fn get_me_assets(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    query: web::Query<AssetsQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = PageQuery {
        per_page: query.per_page,
        page: query.page,
    }
    .request()?;
    let sort = match query.sort.unwrap_or_default() {
        AssetSortKey::Filename => AssetSort::Filename,
        AssetSortKey::Size => AssetSort::Size,
        AssetSortKey::Namespace => AssetSort::Namespace,
        AssetSortKey::Kind => AssetSort::Kind,
        AssetSortKey::CreatedAt => AssetSort::CreatedAt,
    };
    let descending = matches!(query.order.unwrap_or_default(), SortOrder::Descending);
    let mut conn = state.conn().await?;
    let assets =
        Asset::list_for_rooms_created_by(&mut conn, me.user.id, sort, descending, page).await?;
    let body = GetUserAssetsResponseBody {
        owned_assets: assets.items.iter().map(UserAssetResource::from).collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((
            "link",
            page_links(&req, page.page, page.per_page, assets.total),
        ))
        .json(body))
}

/// `?q=` of `GET /users/find`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct FindQuery {
    /// The search text, at least 3 characters.
    pub q: String,
}

/// Searches the caller's tenant for users (autocompletion).
#[utoipa::path(
    tag = "users",
    params(FindQuery),
    responses(
        (status = 200, body = Vec<GetFindResponseEntry>),
        (status = 400), (status = 401), (status = 404, description = "Search is disabled"),
    ),
)]
#[get("/users/find")]
pub async fn find(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, ApiError> {
    if state.settings.user_search.users_find_behavior == UsersFindBehavior::Disabled {
        return Err(ApiError::not_found());
    }
    if query.q.chars().count() < MIN_QUERY_CHARS {
        return Err(ApiError::new(
            actix_web::http::StatusCode::BAD_REQUEST,
            "query_too_short",
            "The query must be at least 3 characters long",
        ));
    }
    let mut conn = state.conn().await?;
    let users = User::search(&mut conn, me.tenant.id, &query.q).await?;
    let entries: Vec<_> = users
        .iter()
        .map(|u| GetFindResponseEntry::Registered(PublicUserProfile::of(u, &state.settings)))
        .collect();
    Ok(HttpResponse::Ok().json(entries))
}

/// A user's public profile (same tenant, active users only).
#[utoipa::path(
    tag = "users",
    params(("user_id" = uuid::Uuid, Path, description = "The user id")),
    responses(
        (status = 200, body = PublicUserProfile),
        (status = 401), (status = 403), (status = 404),
    ),
)]
#[get("/users/{user_id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    me: AuthenticatedUser,
    path: web::Path<UserId>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = state.conn().await?;
    let user = User::get_active_in_tenant(&mut conn, me.tenant.id, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(PublicUserProfile::of(&user, &state.settings)))
}

/// Bytes used by the assets of the rooms `user` created (never negative).
async fn used_storage(conn: &mut conclave_db::DbConnection, user: UserId) -> Result<u64, ApiError> {
    let total = Asset::sum_size_for_rooms_created_by(conn, user).await?;
    Ok(u64::try_from(total).unwrap_or(0))
}
