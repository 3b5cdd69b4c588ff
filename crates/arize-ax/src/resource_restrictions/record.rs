//! The restriction record and its page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use arize_ax_api::types as raw;

use crate::types::{FromRaw, Missing, ResponseObject};

/// The kind of a restricted resource: `Project`, `Dashboard` or `Prompt`
/// (a kind this version does not know is kept as sent). Parses from the
/// wire names in any case (`"project".parse()`).
pub use arize_ax_api::open::ResourceRestrictionType as RestrictionType;

/// The restriction of one resource (restrictions have no ID of their own:
/// the resource's ID names it). Fields the server left out read as empty.
///
/// ```
/// let r: arize_ax::resource_restrictions::Restriction = serde_json::from_str(
///     r#"{"resource_type": "PROJECT", "resource_id": "UHJvamVjdDoyNDY4"}"#,
/// ).unwrap();
/// assert_eq!(r.resource_type, Some(arize_ax::resource_restrictions::RestrictionType::Project));
/// assert_eq!(r.created_at, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Restriction {
    /// The restricted resource's ID.
    pub resource_id: String,
    /// Its kind; `None` when the server left it out.
    #[serde(default)]
    pub resource_type: Option<RestrictionType>,
    /// When it was restricted; `None` when the server left it out.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

impl ResponseObject for Restriction {
    const FIELDS: &'static [&'static str] = &["resource_id", "resource_type", "created_at"];
}

impl FromRaw<raw::ResourceRestriction> for Restriction {
    /// A restriction without its resource's ID names nothing.
    fn from_raw(r: raw::ResourceRestriction) -> Result<Self, Missing> {
        let raw::ResourceRestriction {
            created_at,
            resource_id,
            resource_type,
        } = r;
        Ok(Restriction {
            resource_id: resource_id
                .ok_or(Missing {
                    record: "restriction",
                    field: "resource_id",
                })?
                .0,
            resource_type,
            created_at,
        })
    }
}

crate::types::page_type!(
    /// One page of restrictions: possibly short while more follow (the
    /// server filters a page for the caller's rights after reading it);
    /// empty only at the end (`send` follows an emptied page), or after
    /// [`MAX_EMPTY_PAGES`](crate::MAX_EMPTY_PAGES) empty pages in a row.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    RestrictionsPage {
        /// The restrictions on this page.
        resource_restrictions: Restriction
    } from ListResourceRestrictionsResponse
);
