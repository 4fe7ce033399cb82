//! `casbin_rule` model (in progress).
