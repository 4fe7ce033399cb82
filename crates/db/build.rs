//! Rebuild when a migration directory is added: `embed_migrations!` only
//! tracks the files it already knows about.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
