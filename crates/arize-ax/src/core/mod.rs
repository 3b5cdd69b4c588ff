//! The core: what every resource uses and none of them is known to. The
//! client and its settings, the one call path (result, report, status),
//! errors, input checks, paging and name resolution, the pre-release gate,
//! and the one way a builder is awaited. Nothing here imports a resource.

pub(crate) mod builder;
pub(crate) mod checks;
pub(crate) mod client;
pub(crate) mod create;
pub(crate) mod error;
pub(crate) mod future;
pub(crate) mod id;
pub(crate) mod paging;
pub(crate) mod removal;
pub(crate) mod warning;
