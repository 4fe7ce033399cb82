// @generated placeholder; run `cargo xtask db-schema`.
