//! Which tariff and status a login assigns (rules.md §8.4), as a plan for
//! the database layer to execute. This runs at **every** login; the user's
//! `tariff_id` and `tariff_status` are overwritten when they differ.

use crate::tariff::{DEFAULT_TARIFF_NAME, TariffStatus};

/// Setting `tariffs.assignment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TariffAssignment {
    /// The tariff named `static_tariff_name` (default `OpenTalkDefaultTariff`).
    Static {
        /// The tariff's name.
        tariff_name: String,
    },
    /// The ID token's `tariff_id` claim, looked up in `external_tariffs`.
    ByExternalTariffId,
}

impl Default for TariffAssignment {
    fn default() -> Self {
        TariffAssignment::Static {
            tariff_name: DEFAULT_TARIFF_NAME.to_owned(),
        }
    }
}

/// Setting `tariffs.status_mapping`: which claim values mean which status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusMapping {
    /// The tariff a `downgraded` user gets, whatever the tariff claim says.
    pub downgraded_tariff_name: String,
    /// Claim values meaning `default` (checked first).
    pub default: Vec<String>,
    /// Claim values meaning `paid` (checked second).
    pub paid: Vec<String>,
    /// Claim values meaning `downgraded` (checked last).
    pub downgraded: Vec<String>,
}

impl StatusMapping {
    /// Maps a claim value: `default` names first, then `paid`, then
    /// `downgraded`. An unknown value maps to `default`; the second element
    /// is then `true`, so the caller can log an error.
    pub fn map(&self, claim: &str) -> (TariffStatus, bool) {
        let lists = [
            (&self.default, TariffStatus::Default),
            (&self.paid, TariffStatus::Paid),
            (&self.downgraded, TariffStatus::Downgraded),
        ];
        lists
            .into_iter()
            .find(|(names, _)| names.iter().any(|n| n == claim))
            .map_or((TariffStatus::Default, true), |(_, status)| (status, false))
    }
}

/// How to find a tariff row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TariffLookup {
    /// By `tariffs.name`.
    ByName(String),
    /// By `external_tariffs.external_id`; unknown → 500 `invalid_tariff_id`.
    ByExternalId(String),
}

/// A required claim is missing (400 `invalid_claims`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MissingClaim {
    /// `tariff_id` under `by_external_tariff_id`.
    #[error("tariff_id missing in id_token claims")]
    TariffId,
    /// `tariff_status` when a status mapping is configured.
    #[error("tariff_status missing in id_token claims")]
    TariffStatus,
}

/// What the login assigns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginTariff {
    /// The tariff the assignment method names; always loaded first.
    pub assigned: TariffLookup,
    /// The status to store.
    pub status: TariffStatus,
    /// For `downgraded`: the tariff that replaces `assigned` (failing to
    /// load it → 500 `invalid_configuration`).
    pub downgrade_to: Option<String>,
    /// An unmapped status claim value, to be logged as an error.
    pub unknown_status: Option<String>,
}

impl LoginTariff {
    /// The tariff that is stored in `users.tariff_id`.
    pub fn effective(&self) -> TariffLookup {
        match &self.downgrade_to {
            Some(name) => TariffLookup::ByName(name.clone()),
            None => self.assigned.clone(),
        }
    }
}

/// Resolves the tariff and status of a login from the settings and claims.
pub fn resolve_login_tariff(
    assignment: &TariffAssignment,
    mapping: Option<&StatusMapping>,
    tariff_id_claim: Option<&str>,
    tariff_status_claim: Option<&str>,
) -> Result<LoginTariff, MissingClaim> {
    let assigned = match assignment {
        TariffAssignment::Static { tariff_name } => TariffLookup::ByName(tariff_name.clone()),
        TariffAssignment::ByExternalTariffId => {
            TariffLookup::ByExternalId(tariff_id_claim.ok_or(MissingClaim::TariffId)?.to_owned())
        }
    };
    let Some(mapping) = mapping else {
        // Without a mapping the status is always `default`.
        return Ok(LoginTariff {
            assigned,
            status: TariffStatus::Default,
            downgrade_to: None,
            unknown_status: None,
        });
    };
    let claim = tariff_status_claim.ok_or(MissingClaim::TariffStatus)?;
    let (status, unknown) = mapping.map(claim);
    Ok(LoginTariff {
        assigned,
        status,
        downgrade_to: (status == TariffStatus::Downgraded)
            .then(|| mapping.downgraded_tariff_name.clone()),
        unknown_status: unknown.then(|| claim.to_owned()),
    })
}
