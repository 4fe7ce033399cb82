//! Instances of an event series and their exceptions (rules.md §5, api.md §7.9).
