//! `external_tariff` model (in progress).
