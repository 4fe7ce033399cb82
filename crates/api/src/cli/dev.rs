//! `conclave dev-token <name>`: mints a development token for a demo user.
//! Works only when `dev.enabled = true`, so production configurations can
//! never mint tokens.

use std::io::Write;

use crate::auth::{DevUser, mint_dev_token};
use crate::config::Settings;

/// The demo users `cargo xtask run` provisions: `(name, OIDC tenant id)`.
/// alice and bob share the demo tenant; carol lives in a second tenant.
pub const DEMO_USERS: [(&str, &str); 3] = [("alice", "demo"), ("bob", "demo"), ("carol", "acme")];

/// The demo user `name` (any name works; unknown names join the demo tenant).
pub fn demo_user(name: &str) -> DevUser {
    let tenant = DEMO_USERS
        .iter()
        .find(|(user, _)| *user == name)
        .map_or("demo", |(_, tenant)| tenant);
    DevUser {
        tenant_id: Some(tenant.to_owned()),
        ..DevUser::named(name)
    }
}

/// Prints a fresh token for `name`; it serves as ID token and access token.
pub fn print_token(settings: &Settings, name: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    let token = mint_dev_token(&settings.dev, &demo_user(name))?;
    writeln!(out, "{token}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_users_have_their_tenants() {
        assert_eq!(demo_user("alice").tenant_id.as_deref(), Some("demo"));
        assert_eq!(demo_user("carol").tenant_id.as_deref(), Some("acme"));
        assert_eq!(demo_user("zoe").email, "zoe@example.org");
    }
}
