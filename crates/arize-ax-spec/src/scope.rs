//! Which part of the upstream document this SDK takes: the path prefixes
//! `spec sync` keeps and `spec drift` compares, and what counts as an
//! operation in a path item. Depends on nothing else in the crate.

/// Path prefixes of the operations this SDK wraps. Every upstream operation
/// under one of them is kept, so a new endpoint published there reaches the
/// checked-in spec (and the facade's coverage test) on the next sync.
/// `spec drift` lists the upstream paths outside them as not in scope.
pub const DEFAULT_PATH_PREFIXES: &[&str] = &[
    "/v2/organizations",
    "/v2/users",
    "/v2/spaces",
    "/v2/roles",
    "/v2/role-bindings",
    "/v2/api-keys",
    "/v2/audit-logs",
    "/v2/resource-restrictions",
];

/// The keys of a path item that hold operations.
pub(crate) const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The resource a path belongs to, its first two segments:
/// `/v2/organizations/{org_id}/users` → `/v2/organizations`.
pub(crate) fn resource_prefix(path: &str) -> String {
    path.split('/').take(3).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_prefixes() {
        assert_eq!(
            resource_prefix("/v2/organizations/{org_id}/users"),
            "/v2/organizations"
        );
        assert_eq!(resource_prefix("/v2/widgets"), "/v2/widgets");
        assert_eq!(resource_prefix("/health"), "/health");
    }
}
