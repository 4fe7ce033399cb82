//! The `conclave` binary: API server and admin CLI.

fn main() {}
