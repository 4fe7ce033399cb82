//! A fake shared-folder provider for the suites that exercise the shared
//! folder (`events_folder.rs`, `event_shared_folder.rs`): it records what
//! it was asked to create and delete, and fails everything while told to.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use conclave_api::shared_folder::{
    CreatedFolder, FolderLocation, ProviderError, ProviderFuture, Share, SharedFolderProvider,
};
use conclave_domain::ids::EventId;

use crate::{TestApp, spawn_app_with_state};

/// The fake provider.
#[derive(Debug, Default)]
pub struct FakeFolders {
    /// The events a folder was created for, in order.
    pub created: Mutex<Vec<EventId>>,
    /// The folders deleted, in order.
    pub deleted: Mutex<Vec<FolderLocation>>,
    fail: AtomicBool,
}

impl FakeFolders {
    /// The path of the folder the fake creates for `event`.
    pub fn path(event: impl std::fmt::Display) -> String {
        format!("opentalk/opentalk-event-{event}")
    }

    /// The URL of the `kind` share (`ro` or `rw`) it creates for `event`;
    /// the share's password is `pw-<kind>` and its id `<kind>-<event>`.
    pub fn share_url(kind: &str, event: impl std::fmt::Display) -> String {
        format!("https://cloud.example.com/s/{kind}-{event}")
    }

    /// Makes every later call fail (`true`) or succeed (`false`).
    pub fn set_failing(&self, fail: bool) {
        self.fail.store(fail, Ordering::SeqCst);
    }

    /// The paths of the deleted folders, in order.
    pub fn deleted_paths(&self) -> Vec<String> {
        let deleted = self.deleted.lock().expect("deleted");
        deleted.iter().map(|folder| folder.path.clone()).collect()
    }

    fn refuse(&self, what: &str) -> Result<(), ProviderError> {
        match self.fail.load(Ordering::SeqCst) {
            true => Err(ProviderError(format!("{what} refused"))),
            false => Ok(()),
        }
    }
}

impl SharedFolderProvider for FakeFolders {
    fn create(&self, event: EventId) -> ProviderFuture<'_, CreatedFolder> {
        Box::pin(async move {
            self.refuse("create")?;
            self.created.lock().expect("created").push(event);
            let share = |kind: &str| Share {
                id: format!("{kind}-{event}"),
                url: FakeFolders::share_url(kind, event),
                password: format!("pw-{kind}"),
            };
            Ok(CreatedFolder {
                path: FakeFolders::path(event),
                write: share("rw"),
                read: share("ro"),
            })
        })
    }

    fn delete(&self, folder: FolderLocation) -> ProviderFuture<'_, ()> {
        Box::pin(async move {
            self.refuse("delete")?;
            self.deleted.lock().expect("deleted").push(folder);
            Ok(())
        })
    }
}

/// Starts the app with a fresh [`FakeFolders`] as its provider.
pub async fn app_with_fake_folders() -> (TestApp, Arc<FakeFolders>) {
    let fake = Arc::new(FakeFolders::default());
    let provider: Arc<dyn SharedFolderProvider> = fake.clone();
    let app = spawn_app_with_state(|_| {}, |state| state.shared_folders = Some(provider)).await;
    (app, fake)
}
