//! Per-occurrence exceptions of recurring events.

crate::sql_label_enum! {
    /// `event_exception_kind`.
    pub enum EventExceptionKind {
        /// The occurrence is changed.
        Modified = "modified",
        /// The occurrence is cancelled.
        Cancelled = "cancelled",
    }
}
