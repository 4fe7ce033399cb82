//! One module per table.
pub mod tenant;
