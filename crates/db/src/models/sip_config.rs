//! `sip_config` model (in progress).
