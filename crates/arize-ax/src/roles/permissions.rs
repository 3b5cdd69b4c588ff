//! Permissions: the known list (the spec's `Permission` enum), reading a
//! permission as people type it, the closest known one to a typo, and the
//! grouping by resource.

use crate::core::error::{Error, Result};

/// One permission, named `<RESOURCE>_<ACTION>` (for example `PROJECT_READ`).
///
/// The known values are the spec's; one this version does not know (Arize
/// adds them over time) is kept as `Other` when it comes from the server.
/// What a caller passes is read with [`parse_permission`], which refuses
/// unknown ones.
///
/// ```
/// use arize_ax::roles::Permission;
///
/// assert_eq!(Permission::ProjectRead.as_str(), "PROJECT_READ");
/// assert!(Permission::KNOWN.contains(&Permission::DatasetExampleRead));
/// ```
pub use arize_ax_api::open::Permission;

/// Every permission this version knows, in the spec's (alphabetical) order.
///
/// ```
/// assert!(arize_ax::roles::known_permissions().len() > 100);
/// ```
pub fn known_permissions() -> &'static [Permission] {
    Permission::KNOWN
}

/// Reads a permission as a person may type it: any case, with `-` or
/// spaces for `_` (`project_read`, `Project-Read` → `PROJECT_READ`).
///
/// ```
/// use arize_ax::roles::{Permission, parse_permission};
///
/// assert_eq!(parse_permission("Project-Read").unwrap(), Permission::ProjectRead);
/// let typo = parse_permission("PROJECT_RAED").unwrap_err();
/// assert!(typo.to_string().contains("PROJECT_READ"));
/// ```
///
/// # Errors
///
/// [`Error::InvalidInput`] (field `permissions`) for an empty value or one
/// that is not a known permission, naming the closest known one.
pub fn parse_permission(text: &str) -> Result<Permission> {
    match read(text)? {
        Permission::Other(_) => Err(unknown(text)),
        known => Ok(known),
    }
}

/// The resource a permission is about: its name without the last `_ACTION`
/// (`DATASET_EXAMPLE` for `DATASET_EXAMPLE_READ`).
///
/// ```
/// use arize_ax::roles::{Permission, permission_resource};
///
/// assert_eq!(permission_resource(&Permission::DatasetExampleRead), "DATASET_EXAMPLE");
/// assert_eq!(permission_resource(&Permission::AlyxRun), "ALYX");
/// ```
pub fn permission_resource(permission: &Permission) -> &str {
    let name = permission.as_str();
    name.rsplit_once('_').map_or(name, |(resource, _)| resource)
}

/// The known permissions grouped by resource (see
/// [`permission_resource`]), the groups in order of first appearance.
///
/// ```
/// let groups = arize_ax::roles::permissions_by_resource();
/// let (resource, permissions) = groups.iter().find(|(r, _)| r == "ROLE").unwrap();
/// assert_eq!(permissions.len(), 4); // ROLE_CREATE, ROLE_DELETE, ROLE_READ, ROLE_UPDATE
/// # let _ = resource;
/// ```
pub fn permissions_by_resource() -> Vec<(String, Vec<Permission>)> {
    let mut groups: Vec<(String, Vec<Permission>)> = Vec::new();
    for permission in Permission::KNOWN {
        let resource = permission_resource(permission);
        match groups.iter_mut().find(|(r, _)| r == resource) {
            Some((_, members)) => members.push(permission.clone()),
            None => groups.push((resource.to_owned(), vec![permission.clone()])),
        }
    }
    groups
}

/// A permission as given, normalised; unknown ones become `Other` (with the
/// text as given). Only an empty or control-character value is refused.
pub(crate) fn read(text: &str) -> Result<Permission> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(
            FIELD,
            "a permission must not be empty (give names such as PROJECT_READ)",
        ));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(
            FIELD,
            format!("{text:?} must not contain control characters (found {c:?})"),
        ));
    }
    let normal: String = trimmed
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    Ok(match Permission::from(normal) {
        Permission::Other(_) => Permission::Other(text.to_owned()),
        known => known,
    })
}

/// Reads every permission strictly, dropping repeats (first one kept).
pub(crate) fn parse_all(texts: &[String]) -> Result<Vec<Permission>> {
    let mut out: Vec<Permission> = Vec::with_capacity(texts.len());
    for text in texts {
        let permission = parse_permission(text)?;
        if !out.contains(&permission) {
            out.push(permission);
        }
    }
    Ok(out)
}

const FIELD: &str = "permissions";

/// The error for a permission that is not known, naming the closest one.
pub(crate) fn unknown(text: &str) -> Error {
    let suggestion = closest(text)
        .map(|p| format!("; did you mean {p}?"))
        .unwrap_or_default();
    Error::invalid(
        FIELD,
        format!(
            "{text:?} is not a known permission{suggestion} (permissions are named \
             RESOURCE_ACTION, such as PROJECT_READ; {} are known)",
            Permission::KNOWN.len()
        ),
    )
}

/// The known permission nearest to `text` by edit distance (after the same
/// normalisation as [`read`]).
pub(crate) fn closest(text: &str) -> Option<&'static Permission> {
    let normal: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    Permission::KNOWN
        .iter()
        .min_by_key(|p| distance(&normal, p.as_str()))
}

/// Levenshtein distance (insertions, deletions, substitutions), by chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("PROJECT_RAED", "PROJECT_READ"), 2);
    }

    #[test]
    fn any_case_and_separator() {
        for text in [
            "project_read",
            "Project-Read",
            " PROJECT READ ",
            "PROJECT_READ",
        ] {
            assert_eq!(parse_permission(text).unwrap(), Permission::ProjectRead);
        }
    }

    #[test]
    fn unknown_names_the_closest() {
        for (typo, near) in [
            ("project_raed", "PROJECT_READ"),
            ("DATASETS_READ", "DATASET_READ"),
            ("role-updte", "ROLE_UPDATE"),
        ] {
            match parse_permission(typo) {
                Err(Error::InvalidInput { field, reason }) => {
                    assert_eq!(field, "permissions");
                    assert!(
                        reason.contains(&format!("did you mean {near}?")),
                        "{reason}"
                    );
                }
                other => panic!("{typo}: {other:?}"),
            }
        }
        assert!(parse_permission("").is_err());
        assert!(parse_permission("PROJECT\u{7}READ").is_err());
    }

    #[test]
    fn grouped_by_resource() {
        let groups = permissions_by_resource();
        let total: usize = groups.iter().map(|(_, p)| p.len()).sum();
        assert_eq!(total, Permission::KNOWN.len());
        let example = groups
            .iter()
            .find(|(r, _)| r == "DATASET_EXAMPLE")
            .expect("DATASET_EXAMPLE");
        assert!(example.1.contains(&Permission::DatasetExampleRead));
        assert!(
            !groups
                .iter()
                .find(|(r, _)| r == "DATASET")
                .unwrap()
                .1
                .contains(&Permission::DatasetExampleRead)
        );
    }
}
