//! Event queries of the maintenance jobs (rules.md §9.5).
