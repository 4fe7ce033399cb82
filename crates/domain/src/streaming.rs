//! Streaming targets of rooms.

crate::sql_label_enum! {
    /// `streaming_kind`.
    pub enum StreamingKind {
        /// A custom RTMP endpoint.
        Custom = "custom",
    }
}
