//! Instances of recurring events and their ids.
