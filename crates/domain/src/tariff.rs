//! Tariffs, quotas, disabled modules and features (rules.md §8).
//!
//! * [`quota`]: typed quotas, the storage check and the signaling limits;
//! * [`feature`]: module and feature ids, lenient reading and strict writing;
//! * [`resource`]: the tariff resource and the `require_feature` check;
//! * [`assign`]: which tariff and status a login assigns (§8.4).

pub mod assign;
pub mod feature;
pub mod quota;
pub mod resource;

crate::sql_label_enum! {
    /// `tariff_status`: which of a user's tariffs is in effect.
    pub enum TariffStatus {
        /// The assigned tariff.
        Default = "default",
        /// Paid; the assigned tariff.
        Paid = "paid",
        /// Downgraded to the configured fallback tariff.
        Downgraded = "downgraded",
    }
}

impl Default for TariffStatus {
    /// The column default.
    fn default() -> Self {
        TariffStatus::Default
    }
}

/// The name of the tariff created by migration (empty quotas).
pub const DEFAULT_TARIFF_NAME: &str = "OpenTalkDefaultTariff";
