//! The shared-folder provider port (rules.md §16): where event folders are created.
