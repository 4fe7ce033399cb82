//! Maintenance jobs: kinds, execution status and log levels.

crate::sql_label_enum! {
    /// `job_type`, in the database's label order.
    pub enum JobType {
        /// Deletes ad-hoc events some time after creation.
        AdhocEventCleanup = "adhoc_event_cleanup",
        /// Deletes events whose last occurrence is long past.
        EventCleanup = "event_cleanup",
        /// Deletes expired room invite codes.
        InviteCleanup = "invite_cleanup",
        /// Checks that the job system works.
        SelfCheck = "self_check",
        /// Reconciles asset rows with object storage.
        SyncStorageFiles = "sync_storage_files",
        /// Deletes orphaned rooms.
        RoomCleanup = "room_cleanup",
        /// Synchronises accounts with Keycloak.
        KeycloakAccountSync = "keycloak_account_sync",
    }
}

crate::sql_label_enum! {
    /// `job_status`.
    pub enum JobStatus {
        /// Running.
        Started = "started",
        /// Finished successfully.
        Succeeded = "succeeded",
        /// Finished with an error or timed out.
        Failed = "failed",
    }
}

crate::sql_label_enum! {
    /// `log_level` of job execution logs.
    pub enum LogLevel {
        /// Trace.
        Trace = "trace",
        /// Debug.
        Debug = "debug",
        /// Info.
        Info = "info",
        /// Warning.
        Warn = "warn",
        /// Error.
        Error = "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_in_declaration_order() {
        let labels: Vec<_> = JobType::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            labels,
            [
                "adhoc_event_cleanup",
                "event_cleanup",
                "invite_cleanup",
                "self_check",
                "sync_storage_files",
                "room_cleanup",
                "keycloak_account_sync"
            ]
        );
        for kind in JobType::ALL {
            assert_eq!(kind.as_str().parse::<JobType>().unwrap(), *kind);
        }
        assert!("user_cleanup".parse::<JobType>().is_err());
    }
}
