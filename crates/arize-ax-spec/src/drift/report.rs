//! What a comparison finds: each [`Change`] and its [`Kind`], the upstream
//! resources left [`OutOfScope`], and the [`Report`] that holds them and
//! renders them as text.

use std::fmt;

use serde::Serialize;

/// How much a difference matters to this SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Kind {
    /// The generated client or the facade would fail or misbehave.
    Breaking,
    /// New capability or looser rules; nothing the SDK does stops working.
    Additive,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Kind::Breaking => "breaking",
            Kind::Additive => "additive",
        })
    }
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// Breaking or additive.
    pub kind: Kind,
    /// Where: the operation id, then the parameter, body or response and a
    /// schema path (`create_organization request body .name`).
    pub location: String,
    /// What changed and why it matters, in one line.
    pub change: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<9} {}: {}", self.kind, self.location, self.change)
    }
}

/// An upstream resource outside this SDK's scope: a path prefix that neither
/// our document nor [`DEFAULT_PATH_PREFIXES`](crate::DEFAULT_PATH_PREFIXES)
/// covers, with how many upstream operations it holds. Neither `spec sync`
/// nor `spec drift` takes them; the report names them so that a resource
/// Arize adds is seen rather than silently dropped. Informational: it never
/// makes drift fail.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct OutOfScope {
    /// The resource's path prefix, its first two segments (`/v2/widgets`
    /// for `/v2/widgets` and `/v2/widgets/{widget_id}`).
    pub path: String,
    /// How many HTTP operations upstream has under it.
    pub operations: usize,
}

impl fmt::Display for OutOfScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not in scope: {} ({} operation{})",
            self.path,
            self.operations,
            if self.operations == 1 { "" } else { "s" }
        )
    }
}

/// The result of a comparison.
///
/// Serialises as the list of [`changes`](Report::changes) alone (the
/// `--format json` output); [`out_of_scope`](Report::out_of_scope) appears
/// only in [`to_text`](Report::to_text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct Report {
    /// Every difference, breaking first.
    pub changes: Vec<Change>,
    /// The upstream resources not compared because they are outside this
    /// SDK's scope, by path. Informational: they count neither as breaking
    /// nor as additive.
    #[serde(skip)]
    pub out_of_scope: Vec<OutOfScope>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn has_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.kind == Kind::Breaking)
    }

    /// Whether anything changed at all (resources not in scope are no
    /// change).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The exit code for the drift command: 1 when something is breaking (or,
    /// with `strict`, anything changed), else 0. Resources not in scope
    /// never count.
    pub fn exit_code(&self, strict: bool) -> u8 {
        if self.has_breaking() || (strict && !self.is_empty()) {
            1
        } else {
            0
        }
    }

    /// Human-readable text, one change per line and a summary, then one
    /// line per upstream resource not in scope
    /// (`not in scope: /v2/widgets (2 operations)`).
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        if self.changes.is_empty() {
            text.push_str("no drift: upstream means the same as the checked-in spec for every operation the SDK uses\n");
        } else {
            for change in &self.changes {
                text.push_str(&change.to_string());
                text.push('\n');
            }
            let breaking = self
                .changes
                .iter()
                .filter(|c| c.kind == Kind::Breaking)
                .count();
            text.push_str(&format!(
                "{breaking} breaking, {} additive\n",
                self.changes.len() - breaking
            ));
        }
        for resource in &self.out_of_scope {
            text.push_str(&resource.to_string());
            text.push('\n');
        }
        text
    }
}
