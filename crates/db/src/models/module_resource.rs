//! `module_resource` model (in progress).
