//! The listing of roles a client keeps, to find roles by name (the API has
//! no name filter). It lives in the client's memo slot (one per client and
//! its clones); a fetch holds the lock, so callers at once share one
//! listing instead of each fetching every page.

use std::future::Future;
use std::sync::Arc;

use crate::core::error::{Ambiguous, Error, Kind, NotFound, Result};
use crate::roles::record::Role;

/// How many similar names a not-found error lists.
const MAX_SIMILAR: usize = 10;

/// The kept listing; `generation` counts the listings fetched and dropped,
/// so that a refresh asked for by several callers at once is done once.
#[derive(Default)]
pub(crate) struct RoleListing(tokio::sync::Mutex<Kept>);

#[derive(Default)]
struct Kept {
    roles: Option<Arc<[Role]>>,
    generation: u64,
}

impl RoleListing {
    /// The kept listing, fetched first when there is none; with its
    /// generation and whether this call fetched it.
    pub(crate) async fn current<F, Fut>(&self, fetch: F) -> Result<(Arc<[Role]>, u64, bool)>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Arc<[Role]>>>,
    {
        let mut kept = self.0.lock().await;
        if let Some(roles) = &kept.roles {
            return Ok((Arc::clone(roles), kept.generation, false));
        }
        let roles = fetch().await?;
        kept.generation += 1;
        kept.roles = Some(Arc::clone(&roles));
        Ok((roles, kept.generation, true))
    }

    /// A listing newer than generation `seen`: the one another caller
    /// fetched since, or a fresh one.
    pub(crate) async fn refreshed<F, Fut>(&self, seen: u64, fetch: F) -> Result<Arc<[Role]>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Arc<[Role]>>>,
    {
        let mut kept = self.0.lock().await;
        if let Some(roles) = kept.roles.as_ref().filter(|_| kept.generation != seen) {
            return Ok(Arc::clone(roles));
        }
        let roles = fetch().await?;
        kept.generation += 1;
        kept.roles = Some(Arc::clone(&roles));
        Ok(roles)
    }

    /// Drops the listing (after a write of a role by this client).
    pub(crate) async fn forget(&self) {
        let mut kept = self.0.lock().await;
        kept.roles = None;
        kept.generation += 1;
    }
}

/// The one role named exactly (case-sensitively) `name`.
pub(crate) fn pick(roles: &[Role], name: &str) -> Result<Role> {
    let exact: Vec<&Role> = roles.iter().filter(|r| r.name == name).collect();
    match exact.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let lower = name.to_lowercase();
            let similar = roles
                .iter()
                .filter(|r| {
                    let other = r.name.to_lowercase();
                    !other.is_empty() && (other.contains(&lower) || lower.contains(&other))
                })
                .map(|r| r.name.clone())
                .take(MAX_SIMILAR)
                .collect();
            Err(Error::NotFound(NotFound {
                kind: Kind::Role,
                query: name.to_owned(),
                similar,
            }))
        }
        several => Err(Error::Ambiguous(Ambiguous {
            kind: Kind::Role,
            query: name.to_owned(),
            ids: several.iter().map(|r| r.id.clone()).collect(),
            places: Vec::new(),
        })),
    }
}
