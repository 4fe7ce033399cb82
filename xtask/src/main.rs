//! Developer commands.

mod catalog;
mod db_schema;
mod er_diagram;

fn main() {}
