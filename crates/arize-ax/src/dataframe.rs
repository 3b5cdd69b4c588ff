//! `polars::DataFrame` conversions (feature `polars`).
//!
//! Organizations become columns `id`, `name`, `description` (strings) and
//! `created_at` (a UTC datetime, microseconds); memberships become `id`,
//! `user_id`, `organization_id`, and the role flattened into `role_type`,
//! `role_name` and `role_id` (nulls where a role has no such part).
//!
//! ```
//! # #[cfg(feature = "polars")] {
//! use arize_ax::ToDataFrame;
//!
//! let org: arize_ax::Organization = serde_json::from_str(r#"{"id": "T3JnYW5pemF0aW9uOjE=",
//!     "name": "search", "description": "", "created_at": "2025-03-04T09:30:00Z"}"#).unwrap();
//! let df = vec![org].to_dataframe().unwrap();
//! assert_eq!(df.shape(), (1, 4));
//! let names: Vec<String> = df.get_column_names().iter().map(|n| n.to_string()).collect();
//! assert_eq!(names, ["id", "name", "description", "created_at"]);
//! # }
//! ```

use polars::prelude::*;

use crate::types::{Organization, OrganizationMembership, OrganizationsPage};

/// Converts records to a `DataFrame` with typed columns.
pub trait ToDataFrame {
    /// The records as a `DataFrame`.
    ///
    /// # Errors
    ///
    /// Only if polars cannot assemble the columns (not expected for these
    /// types).
    fn to_dataframe(&self) -> PolarsResult<DataFrame>;
}

/// Organizations (from any iterator) as a `DataFrame`.
///
/// # Errors
///
/// As [`ToDataFrame::to_dataframe`].
pub fn organizations_dataframe<'a>(
    orgs: impl IntoIterator<Item = &'a Organization>,
) -> PolarsResult<DataFrame> {
    let orgs: Vec<&Organization> = orgs.into_iter().collect();
    let height = orgs.len();
    let created: Vec<i64> = orgs
        .iter()
        .map(|o| o.created_at.timestamp_micros())
        .collect();
    let created_at = Int64Chunked::from_vec("created_at".into(), created)
        .into_datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))
        .into_series();
    DataFrame::new(
        height,
        vec![
            Column::new(
                "id".into(),
                orgs.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "name".into(),
                orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "description".into(),
                orgs.iter()
                    .map(|o| o.description.as_str())
                    .collect::<Vec<_>>(),
            ),
            created_at.into(),
        ],
    )
}

/// Memberships (from any iterator) as a `DataFrame`, the role flattened.
///
/// # Errors
///
/// As [`ToDataFrame::to_dataframe`].
pub fn memberships_dataframe<'a>(
    memberships: impl IntoIterator<Item = &'a OrganizationMembership>,
) -> PolarsResult<DataFrame> {
    let ms: Vec<&OrganizationMembership> = memberships.into_iter().collect();
    let height = ms.len();
    let text = |f: fn(&OrganizationMembership) -> Option<String>| -> Vec<Option<String>> {
        ms.iter().map(|m| f(m)).collect()
    };
    DataFrame::new(
        height,
        vec![
            Column::new(
                "id".into(),
                ms.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "user_id".into(),
                ms.iter().map(|m| m.user_id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "organization_id".into(),
                ms.iter()
                    .map(|m| m.organization_id.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new("role_type".into(), text(|m| Some(m.role.type_name()))),
            Column::new("role_name".into(), text(|m| m.role.name())),
            Column::new("role_id".into(), text(|m| m.role.id())),
        ],
    )
}

impl ToDataFrame for OrganizationsPage {
    fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        organizations_dataframe(&self.organizations)
    }
}

impl ToDataFrame for [Organization] {
    fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        organizations_dataframe(self)
    }
}

impl ToDataFrame for Vec<Organization> {
    fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        organizations_dataframe(self)
    }
}

impl ToDataFrame for [OrganizationMembership] {
    fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        memberships_dataframe(self)
    }
}

impl ToDataFrame for Vec<OrganizationMembership> {
    fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        memberships_dataframe(self)
    }
}

impl ToDataFrame for Organization {
    fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        organizations_dataframe([self])
    }
}

impl ToDataFrame for OrganizationMembership {
    fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        memberships_dataframe([self])
    }
}
