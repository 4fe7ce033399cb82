//! The shared-folder provider port (rules.md §16): where event folders are created.
//!
//! Upstream talks to Nextcloud. Conclave keeps the provider behind this
//! trait; no real adapter ships yet, so [`crate::AppState::shared_folders`]
//! is `None` by default and the endpoints answer 400 "No shared folder
//! configured for this server". Tests plug in a fake.

use std::future::Future;
use std::pin::Pin;

use conclave_domain::ids::EventId;

/// The message of the 400 answered when no provider is configured.
pub const NOT_CONFIGURED: &str = "No shared folder configured for this server";

/// A provider failure; the text is logged, never sent to clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shared folder provider: {0}")]
pub struct ProviderError(pub String);

/// The boxed future the provider methods return (keeps the trait usable as
/// `dyn` without a macro on the implementing side).
pub type ProviderFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, ProviderError>> + Send + 'a>>;

/// One public-link share of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// The provider's id of the share.
    pub id: String,
    /// Public URL.
    pub url: String,
    /// Password protecting the link.
    pub password: String,
}

/// A folder the provider created for an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedFolder {
    /// Folder path at the provider.
    pub path: String,
    /// The read-write share.
    pub write: Share,
    /// The read-only share.
    pub read: Share,
}

/// What the provider needs to remove a folder again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderLocation {
    /// Folder path at the provider (never empty or `/`, see [`is_deletable`]).
    pub path: String,
    /// The read-write share id.
    pub write_share_id: String,
    /// The read-only share id.
    pub read_share_id: String,
}

/// An external folder store (Nextcloud upstream).
pub trait SharedFolderProvider: Send + Sync {
    /// Creates the event's folder and its two shares.
    fn create(&self, event: EventId) -> ProviderFuture<'_, CreatedFolder>;

    /// Deletes both shares and the folder; a folder already gone is fine.
    fn delete(&self, folder: FolderLocation) -> ProviderFuture<'_, ()>;
}

/// Whether `path` may be handed to [`SharedFolderProvider::delete`]: an
/// empty path or `/` would name the provider user's whole file tree.
pub fn is_deletable(path: &str) -> bool {
    !path.trim().trim_matches('/').trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::is_deletable;

    #[test]
    fn root_like_paths_are_not_deletable() {
        let check =
            |path: &str, expected: bool| assert_eq!(is_deletable(path), expected, "{path:?}");
        check("", false);
        check("/", false);
        check("//", false);
        check(" / ", false);
        check("opentalk/opentalk-event-1", true);
        check("/x/", true);
    }
}
