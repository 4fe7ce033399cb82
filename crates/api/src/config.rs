//! Server configuration: a TOML file plus `CONCLAVE__…` environment overrides.
//!
//! Setting names mirror upstream's where they drive rules (stack.md §11), so
//! operators can carry their knowledge over. `docs/configuration.md` lists
//! every key.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use conclave_domain::tariff::feature::{
    FeatureId, QualifiedFeature, strict_feature, strict_module,
};
use conclave_domain::tariff::resource::ModuleCatalogue;
use serde::Deserialize;

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Database connection.
    pub database: DatabaseSettings,
    /// HTTP listener and limits.
    #[serde(default)]
    pub http: HttpSettings,
    /// The OpenID Connect provider.
    #[serde(default)]
    pub oidc: OidcSettings,
    /// Local token signing for development. Never active unless enabled here.
    #[serde(default)]
    pub dev: DevSettings,
    /// Logging.
    #[serde(default)]
    pub logging: LoggingSettings,
    /// How users are assigned to tenants.
    #[serde(default)]
    pub tenants: TenantSettings,
    /// How users are assigned to tariffs.
    #[serde(default)]
    pub tariffs: TariffSettings,
    /// Defaults for new users.
    #[serde(default)]
    pub defaults: DefaultSettings,
    /// Endpoint switches.
    #[serde(default)]
    pub endpoints: EndpointSettings,
    /// User search.
    #[serde(default)]
    pub user_search: UserSearchSettings,
    /// Dial-in numbers.
    #[serde(default)]
    pub call_in: Option<CallInSettings>,
    /// Avatar URLs.
    #[serde(default)]
    pub avatar: AvatarSettings,
    /// Authorization cache and propagation.
    #[serde(default)]
    pub authz: AuthzSettings,
    /// Signaling tickets issued by the start endpoints.
    #[serde(default)]
    pub signaling: SignalingSettings,
    /// The module catalogue: module id → the feature ids the tariff resource
    /// lists (rules.md §8.3). Conclave has no signaling modules of its own.
    #[serde(default = "default_modules")]
    pub modules: BTreeMap<String, Vec<String>>,
}

/// Database connection settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `postgres://…` URL.
    pub url: String,
    /// Pool size.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Seconds to wait for a pooled connection.
    #[serde(default = "default_pool_timeout")]
    pub pool_timeout_secs: u64,
    /// Run pending migrations at start-up.
    #[serde(default)]
    pub migrate_on_start: bool,
}

/// HTTP listener settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSettings {
    /// Address to bind.
    pub addr: IpAddr,
    /// Port to bind (upstream's default is 11311).
    pub port: u16,
    /// Worker threads; 0 = one per core.
    pub workers: usize,
    /// Largest accepted JSON body, in bytes.
    pub json_body_limit: usize,
    /// Allowed CORS origins; empty = any origin, as upstream.
    pub cors_allowed_origins: Vec<String>,
    /// Seconds to finish in-flight requests on shutdown.
    pub shutdown_timeout_secs: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            addr: IpAddr::from([127, 0, 0, 1]),
            port: 11311,
            workers: 0,
            json_body_limit: 256 * 1024,
            cors_allowed_origins: Vec::new(),
            shutdown_timeout_secs: 10,
        }
    }
}

/// OpenID Connect provider settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcSettings {
    /// The issuer URL; discovery reads `<authority>/.well-known/openid-configuration`.
    pub authority: Option<String>,
    /// Authority shown to the frontend by `GET /v1/auth/login`, if different.
    pub frontend_authority: Option<String>,
    /// Client id of the frontend.
    pub client_id: Option<String>,
    /// Required `aud` value; unchecked when absent, as upstream.
    pub audience: Option<String>,
    /// Accepted JWS algorithms (default `["RS256"]`).
    pub algorithms: Option<Vec<String>>,
}

/// Development token signing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DevSettings {
    /// Accept tokens signed by the local development key.
    pub enabled: bool,
    /// Issuer written into and required of development tokens.
    pub issuer: Option<String>,
    /// PEM file of the RSA private key used to sign development tokens.
    pub signing_key_path: Option<String>,
}

/// Logging settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoggingSettings {
    /// `tracing_subscriber` filter directives.
    pub filter: String,
    /// Emit JSON lines instead of human-readable text.
    pub json: bool,
}

impl Default for LoggingSettings {
    fn default() -> Self {
        Self {
            filter: "info".into(),
            json: false,
        }
    }
}

/// Tenant assignment at login.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TenantSettings {
    /// `static` or `by_external_tenant_id`.
    pub assignment: TenantAssignment,
    /// The tenant used by static assignment.
    pub static_tenant_id: String,
}

impl Default for TenantSettings {
    fn default() -> Self {
        Self {
            assignment: TenantAssignment::Static,
            static_tenant_id: "OpenTalkDefaultTenant".into(),
        }
    }
}

/// How the tenant of a user is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantAssignment {
    /// Everyone is in the static tenant.
    Static,
    /// The `tenant_id` claim names the tenant.
    ByExternalTenantId,
}

/// Tariff assignment at login.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TariffSettings {
    /// `static` or `by_external_tariff_id`.
    pub assignment: TariffAssignment,
    /// The tariff used by static assignment.
    pub static_tariff_name: String,
    /// Maps `tariff_status` claim values to statuses; absent = always `default`.
    pub status_mapping: Option<TariffStatusMapping>,
}

impl Default for TariffSettings {
    fn default() -> Self {
        Self {
            assignment: TariffAssignment::Static,
            static_tariff_name: "OpenTalkDefaultTariff".into(),
            status_mapping: None,
        }
    }
}

/// How the tariff of a user is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TariffAssignment {
    /// Everyone gets the static tariff.
    Static,
    /// The `tariff_id` claim names an external tariff id.
    ByExternalTariffId,
}

/// Claim values for each tariff status, and the downgrade target.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffStatusMapping {
    /// The tariff users with status `downgraded` get.
    pub downgraded_tariff_name: String,
    /// Claim values meaning `default`.
    #[serde(default)]
    pub default: Vec<String>,
    /// Claim values meaning `paid`.
    #[serde(default)]
    pub paid: Vec<String>,
    /// Claim values meaning `downgraded`.
    #[serde(default)]
    pub downgraded: Vec<String>,
}

/// Defaults for new users.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DefaultSettings {
    /// Language of new users.
    pub user_language: String,
    /// Features disabled for everyone (`module::feature` or bare `feature`).
    pub disabled_features: Vec<String>,
}

impl Default for DefaultSettings {
    fn default() -> Self {
        Self {
            user_language: "en-US".into(),
            disabled_features: Vec::new(),
        }
    }
}

/// Endpoint switches.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EndpointSettings {
    /// Users may not choose their display name.
    pub disallow_custom_display_name: bool,
    /// Allow inviting unregistered email addresses.
    pub event_invite_external_email_address: bool,
    /// Do not serve `/v1/openapi.json` and Swagger UI.
    pub disable_openapi: bool,
}

/// User search settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UserSearchSettings {
    /// What `GET /v1/users/find` does.
    pub users_find_behavior: UsersFindBehavior,
}

/// What `GET /v1/users/find` does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsersFindBehavior {
    /// 404, the default without a backend.
    #[default]
    Disabled,
    /// Search the `users` table.
    FromDatabase,
}

/// Dial-in settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallInSettings {
    /// The dial-in phone number shown to users.
    pub tel: String,
    /// Country code used to normalise phone numbers to E.164.
    pub default_country_code: String,
}

/// Avatar settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AvatarSettings {
    /// Base URL to which the md5 of the email is appended.
    pub libravatar_url: String,
}

impl Default for AvatarSettings {
    fn default() -> Self {
        Self {
            libravatar_url: "https://seccdn.libravatar.org/avatar/".into(),
        }
    }
}

/// Authorization cache and multi-instance propagation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthzSettings {
    /// How many subjects' policy sets to keep in memory.
    pub cache_capacity: usize,
    /// Listen for rule changes of other instances (PostgreSQL LISTEN/NOTIFY).
    pub listen_for_changes: bool,
}

impl Default for AuthzSettings {
    fn default() -> Self {
        Self {
            cache_capacity: 10_000,
            listen_for_changes: true,
        }
    }
}

/// Signaling tickets (`POST /v1/rooms/{id}/start…`): HMAC-signed, so any
/// instance sharing the secret can verify them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignalingSettings {
    /// HMAC-SHA256 key of tickets and resumption tokens (at least 32
    /// bytes). Absent: a random per-process key, so tickets only verify on
    /// the instance that issued them.
    pub ticket_secret: Option<crate::ticket::TicketSecret>,
    /// Lifetime of a ticket in seconds.
    pub ticket_ttl_secs: u64,
    /// Lifetime of a resumption token in seconds.
    pub resumption_ttl_secs: u64,
}

impl Default for SignalingSettings {
    fn default() -> Self {
        Self {
            ticket_secret: None,
            ticket_ttl_secs: 60,
            resumption_ttl_secs: 3600,
        }
    }
}

/// The modules and features the OpenTalk web client of this version knows.
fn default_modules() -> BTreeMap<String, Vec<String>> {
    let catalogue: [(&str, &[&str]); 12] = [
        ("core", &["call_in"]),
        ("automod", &[]),
        ("breakout", &[]),
        ("chat", &[]),
        ("legal_vote", &[]),
        ("media", &[]),
        ("meeting_notes", &[]),
        ("moderation", &[]),
        ("polls", &[]),
        ("recording", &["record", "stream"]),
        ("timer", &[]),
        ("whiteboard", &[]),
    ];
    catalogue
        .into_iter()
        .map(|(module, features)| {
            (
                module.to_owned(),
                features.iter().map(|f| (*f).to_owned()).collect(),
            )
        })
        .collect()
}

fn default_max_connections() -> usize {
    16
}

fn default_pool_timeout() -> u64 {
    5
}

impl Settings {
    /// The validated module catalogue; it must contain `core::call_in`.
    pub fn module_catalogue(&self) -> anyhow::Result<ModuleCatalogue> {
        let mut catalogue = ModuleCatalogue::new();
        for (module, features) in &self.modules {
            let module = strict_module(module)?;
            let features = features
                .iter()
                .map(|f| FeatureId::try_from(f.clone()))
                .collect::<Result<Vec<_>, _>>()?;
            catalogue.insert(module, features);
        }
        let call_in = QualifiedFeature::call_in();
        let has_call_in = catalogue
            .get(&call_in.module)
            .is_some_and(|features| features.contains(&call_in.feature));
        anyhow::ensure!(
            has_call_in,
            "the module catalogue must contain core::call_in"
        );
        Ok(catalogue)
    }

    /// `defaults.disabled_features`, parsed (a bare name means `core::`).
    pub fn global_disabled_features(&self) -> anyhow::Result<Vec<QualifiedFeature>> {
        Ok(self
            .defaults
            .disabled_features
            .iter()
            .map(|f| strict_feature(f))
            .collect::<Result<_, _>>()?)
    }

    /// Loads the file at `path` (if given) and applies `CONCLAVE__SECTION__KEY`
    /// environment overrides, e.g. `CONCLAVE__DATABASE__URL`.
    pub fn load(path: Option<&Path>) -> Result<Settings, config::ConfigError> {
        let mut builder = config::Config::builder();
        if let Some(path) = path {
            builder = builder.add_source(config::File::from(path).required(true));
        }
        builder
            .add_source(
                config::Environment::with_prefix("CONCLAVE")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("http.cors_allowed_origins")
                    .with_list_parse_key("oidc.algorithms")
                    .with_list_parse_key("defaults.disabled_features"),
            )
            .build()?
            .try_deserialize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_file_gets_upstream_defaults() {
        let settings: Settings = config::Config::builder()
            .add_source(config::File::from_str(
                "[database]\nurl = \"postgres://x@localhost/db\"\n",
                config::FileFormat::Toml,
            ))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        assert_eq!(settings.http.port, 11311);
        assert_eq!(settings.tenants.static_tenant_id, "OpenTalkDefaultTenant");
        assert_eq!(settings.tariffs.static_tariff_name, "OpenTalkDefaultTariff");
        assert_eq!(settings.defaults.user_language, "en-US");
        assert_eq!(
            settings.user_search.users_find_behavior,
            UsersFindBehavior::Disabled
        );
        assert!(!settings.dev.enabled, "dev signing is never on by default");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let result: Result<Settings, _> = config::Config::builder()
            .add_source(config::File::from_str(
                "[database]\nurl = \"x\"\nmax_conections = 3\n",
                config::FileFormat::Toml,
            ))
            .build()
            .unwrap()
            .try_deserialize();
        assert!(result.is_err());
    }
}
