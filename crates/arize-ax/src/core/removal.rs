//! How a delete or a removal came to be done: the one judgement of a 404
//! after a lost answer, for every resource's delete and remove calls.

use arize_ax_api::transport::CallReport;

use crate::core::error::Result;
use crate::core::warning::note;

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

    /// [`judge`](Self::judge), and a note when a lost attempt did the work;
    /// `what` names it ("deleting space U3BhY2U6MQ==").
    pub(crate) fn judge_noting(
        method: &'static str,
        result: Result<()>,
        report: &CallReport,
        what: impl FnOnce() -> String,
    ) -> Result<Removal> {
        let removal = Removal::judge(result, report)?;
        if removal == Removal::DoneByLostAttempt {
            note(
                method,
                &format!(
                    "the answer to {} was lost, and the retry found nothing left: the first \
                     attempt did it",
                    what()
                ),
            );
        }
        Ok(removal)
    }
}
