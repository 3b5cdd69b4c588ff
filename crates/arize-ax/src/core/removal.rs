//! How a delete or a removal came to be done: the conclusion every
//! resource's idempotent delete draws from its result and what the
//! transport did.

use arize_ax_api::transport::CallReport;

use crate::core::error::Result;

/// How a delete or a removal came to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Removal {
    /// This call's request did it.
    Done,
    /// An earlier attempt of this call may have been carried out although
    /// its answer was lost (a 500/502/504 or a dropped connection), and the
    /// retry found nothing left (404): that attempt did it.
    DoneByLostAttempt,
}

impl Removal {
    /// The conclusion for an idempotent delete: a 404 after an attempt
    /// that may have taken effect means the work was done; any other 404
    /// (none before it, or after a 503, which was not processed) is a 404.
    pub(crate) fn judge(result: Result<()>, report: &CallReport) -> Result<Removal> {
        match result {
            Ok(()) => Ok(Removal::Done),
            Err(e) if e.status() == Some(404) && report.may_have_taken_effect => {
                Ok(Removal::DoneByLostAttempt)
            }
            Err(e) => Err(e),
        }
    }
}
