//! `tariff` model (in progress).
