//! Conclave's HTTP API and admin commands.
