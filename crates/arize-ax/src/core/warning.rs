//! The once-per-method pre-release warning.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock, Mutex};

use arize_ax_api::Stage;

/// The environment variable that silences pre-release warnings when set to
/// `true` (or `1`).
pub const DISABLE_PRERELEASE_WARNING_ENV: &str = "DISABLE_PRERELEASE_WARNING";

/// The `tracing` target of the warning.
pub const PRERELEASE_TARGET: &str = "arize_ax::prerelease";

static PROCESS_GATE: LazyLock<Arc<PrereleaseGate>> =
    LazyLock::new(|| Arc::new(PrereleaseGate::new()));

/// Decides whether the pre-release warning for a method is due, and speaks it.
///
/// Each method key (`organizations.list`, `organizations.get`, …) warns once
/// per gate; clients share one gate per process unless given their own with
/// [`ClientBuilder::prerelease_gate`](crate::ClientBuilder::prerelease_gate).
/// The warning goes to `tracing` (WARN, target `arize_ax::prerelease`) when a
/// subscriber is installed, and to stderr otherwise, so it is seen either
/// way.
///
/// A gate made with [`PrereleaseGate::capturing`] keeps the messages instead,
/// which is how tests observe it:
///
/// ```
/// use arize_ax::PrereleaseGate;
///
/// let gate = PrereleaseGate::capturing();
/// assert!(gate.warn("organizations.get", arize_ax_api::Stage::Alpha));
/// assert!(!gate.warn("organizations.get", arize_ax_api::Stage::Alpha));
/// assert_eq!(gate.captured().len(), 1);
/// assert!(gate.captured()[0].starts_with("[ALPHA] organizations.get"));
/// ```
#[derive(Debug, Default)]
pub struct PrereleaseGate {
    seen: Mutex<HashSet<String>>,
    capture: Option<Mutex<Vec<String>>>,
}

impl PrereleaseGate {
    /// A gate that writes to `tracing` or stderr.
    pub fn new() -> Self {
        Self::default()
    }

    /// A gate that records its messages (see [`captured`](Self::captured))
    /// instead of printing them.
    pub fn capturing() -> Self {
        Self {
            seen: Mutex::default(),
            capture: Some(Mutex::default()),
        }
    }

    /// The gate shared by every client of this process that was not given
    /// one of its own.
    pub fn process() -> Arc<PrereleaseGate> {
        PROCESS_GATE.clone()
    }

    /// Emits the warning for `method` unless it was emitted before or the
    /// stage is stable. Returns whether it spoke. Safe to call from many
    /// tasks at once: exactly one of them speaks.
    pub fn warn(&self, method: &str, stage: Stage) -> bool {
        if !stage.is_prerelease() {
            return false;
        }
        {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            // Checked before inserting so the common case allocates nothing.
            if seen.contains(method) {
                return false;
            }
            seen.insert(method.to_owned());
        }
        let message = message(method, stage);
        match &self.capture {
            Some(captured) => captured
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(message),
            None => emit(&message),
        }
        true
    }

    /// The messages a [`capturing`](Self::capturing) gate recorded, in order.
    pub fn captured(&self) -> Vec<String> {
        self.capture
            .as_ref()
            .map(|c| c.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    }
}

/// The text of the warning.
pub fn message(method: &str, stage: Stage) -> String {
    let stage_word = match stage {
        Stage::Alpha => "an alpha",
        Stage::Beta => "a beta",
        Stage::Stable => "a stable",
        _ => "a pre-release",
    };
    format!(
        "[{label}] {method} is {stage_word} API in arize-ax {version} and may change without notice; \
         if calls fail unexpectedly, upgrade arize-ax. \
         Silence this with {DISABLE_PRERELEASE_WARNING_ENV}=true or ClientBuilder::prerelease_warning(false).",
        label = stage.label(),
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// Tells what the SDK concluded on the caller's behalf (a lost answer that
/// turned out to have taken effect, say): a `tracing` event at INFO, target
/// `arize_ax::note`.
pub(crate) fn note(method: &str, message: &str) {
    tracing::info!(target: "arize_ax::note", method, "{message}");
}

/// Whether a `tracing` subscriber is installed; warnings go to stderr when
/// not, so a user without logging still sees them.
pub(crate) fn has_subscriber() -> bool {
    tracing::dispatcher::get_default(|d| !d.is::<tracing::subscriber::NoSubscriber>())
}

fn emit(message: &str) {
    if has_subscriber() {
        tracing::warn!(target: "arize_ax::prerelease", "{message}");
    } else {
        eprintln!("warning: {message}");
    }
}

/// Whether the environment asks for silence.
pub(crate) fn disabled_by_env() -> bool {
    std::env::var(DISABLE_PRERELEASE_WARNING_ENV).is_ok_and(|v| silences(&v))
}

/// Whether a `DISABLE_PRERELEASE_WARNING` value asks for silence (`true`,
/// `1` or `yes`, any case).
pub(crate) fn silences(value: &str) -> bool {
    let v = value.trim();
    v.eq_ignore_ascii_case("true") || v == "1" || v.eq_ignore_ascii_case("yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_per_key() {
        let gate = PrereleaseGate::capturing();
        let calls = [
            "organizations.list",
            "organizations.get",
            "organizations.list",
            "organizations.get",
            "organizations.delete",
        ];
        let spoke: Vec<bool> = calls.iter().map(|m| gate.warn(m, Stage::Alpha)).collect();
        assert_eq!(spoke, [true, true, false, false, true]);
        assert_eq!(gate.captured().len(), 3);
    }

    #[test]
    fn stable_operations_do_not_warn() {
        let gate = PrereleaseGate::capturing();
        assert!(!gate.warn("organizations.get", Stage::Stable));
        assert!(gate.captured().is_empty());
    }

    #[test]
    fn message_names_stage_method_version_and_silencing() {
        let text = message("organizations.add_user", Stage::Alpha);
        for part in [
            "[ALPHA]",
            "organizations.add_user",
            env!("CARGO_PKG_VERSION"),
            "may change without notice",
            "DISABLE_PRERELEASE_WARNING=true",
        ] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
        assert!(message("x", Stage::Beta).starts_with("[BETA] x is a beta API"));
    }

    #[test]
    fn concurrent_first_use_warns_once() {
        let gate = Arc::new(PrereleaseGate::capturing());
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let gate = gate.clone();
                std::thread::spawn(move || gate.warn("organizations.create", Stage::Alpha))
            })
            .collect();
        let spoke = threads
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|s| *s)
            .count();
        assert_eq!(spoke, 1);
        assert_eq!(gate.captured().len(), 1);
    }
}
