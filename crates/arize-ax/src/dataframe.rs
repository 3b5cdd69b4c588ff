//! `polars::DataFrame` conversions (feature `polars`).
//!
//! Organizations become columns `id`, `name`, `description` (strings) and
//! `created_at` (a UTC datetime, microseconds); memberships become `id`,
//! `user_id`, `organization_id`, and the role flattened into `role_type`,
//! `role_name` and `role_id` (nulls where a role has no such part); users
//! become `id`, `name`, `email`, `created_at`, `status`, the account role
//! flattened the same way, and `is_developer` (a boolean).
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

use crate::types::{Organization, OrganizationMembership, OrganizationsPage, User, UsersPage};

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

/// A `created_at` column: UTC datetimes in microseconds, null where the
/// server left the time out.
fn created_at(times: impl Iterator<Item = Option<chrono::DateTime<chrono::Utc>>>) -> Series {
    let micros: Vec<Option<i64>> = times.map(|t| t.map(|t| t.timestamp_micros())).collect();
    Int64Chunked::from_iter_options("created_at".into(), micros.into_iter())
        .into_datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))
        .into_series()
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
    let created_at = created_at(orgs.iter().map(|o| o.created_at));
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

/// Users (from any iterator) as a `DataFrame`, the account role flattened.
///
/// # Errors
///
/// As [`ToDataFrame::to_dataframe`].
pub fn users_dataframe<'a>(users: impl IntoIterator<Item = &'a User>) -> PolarsResult<DataFrame> {
    let users: Vec<&User> = users.into_iter().collect();
    let height = users.len();
    let text = |f: fn(&User) -> &str| -> Vec<&str> { users.iter().map(|u| f(u)).collect() };
    let created_at = created_at(users.iter().map(|u| u.created_at));
    DataFrame::new(
        height,
        vec![
            Column::new("id".into(), text(|u| &u.id)),
            Column::new("name".into(), text(|u| &u.name)),
            Column::new("email".into(), text(|u| &u.email)),
            created_at.into(),
            Column::new(
                "status".into(),
                users
                    .iter()
                    .map(|u| u.status.as_ref().map(|s| s.as_str()))
                    .collect::<Vec<_>>(),
            ),
            Column::new("role_type".into(), text(|u| &u.role.type_)),
            Column::new(
                "role_name".into(),
                users
                    .iter()
                    .map(|u| u.role.name.as_deref())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "role_id".into(),
                users
                    .iter()
                    .map(|u| u.role.id.as_deref())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "is_developer".into(),
                users.iter().map(|u| u.is_developer).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// `ToDataFrame` for a record type, slices and `Vec`s of it, and its page.
macro_rules! to_dataframe {
    ($record:ty, $convert:ident $(, $page:ty => $field:ident)?) => {
        impl ToDataFrame for $record {
            fn to_dataframe(&self) -> PolarsResult<DataFrame> {
                $convert([self])
            }
        }

        impl ToDataFrame for [$record] {
            fn to_dataframe(&self) -> PolarsResult<DataFrame> {
                $convert(self)
            }
        }

        impl ToDataFrame for Vec<$record> {
            fn to_dataframe(&self) -> PolarsResult<DataFrame> {
                $convert(self)
            }
        }

        $(impl ToDataFrame for $page {
            fn to_dataframe(&self) -> PolarsResult<DataFrame> {
                $convert(&self.$field)
            }
        })?
    };
}

to_dataframe!(Organization, organizations_dataframe, OrganizationsPage => organizations);
to_dataframe!(OrganizationMembership, memberships_dataframe);
to_dataframe!(User, users_dataframe, UsersPage => users);
