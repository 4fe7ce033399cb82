//! Tariffs, quotas, disabled modules and features.

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
