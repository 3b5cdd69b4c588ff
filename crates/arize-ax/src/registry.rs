//! Which operations of the spec the facade wraps: each resource module
//! lists its own method keys (`METHODS`); this registry joins them (one line
//! per resource) and names the operations left to the raw client.
//! `tests/coverage.rs` checks the lists against the spec.

/// Every facade method key (as the pre-release warning and errors name it)
/// with the spec operation it calls.
pub const METHODS: &[(&str, &str)] = &join::<
    {
        crate::organizations::METHODS.len()
            + crate::users::METHODS.len()
            + crate::spaces::METHODS.len()
            + crate::roles::METHODS.len()
            + crate::role_bindings::METHODS.len()
            + crate::api_keys::METHODS.len()
            + crate::audit_logs::METHODS.len()
            + crate::resource_restrictions::METHODS.len()
    },
>(&[
    crate::organizations::METHODS,
    crate::users::METHODS,
    crate::spaces::METHODS,
    crate::roles::METHODS,
    crate::role_bindings::METHODS,
    crate::api_keys::METHODS,
    crate::audit_logs::METHODS,
    crate::resource_restrictions::METHODS,
]);

/// The lists of each resource, one after another.
const fn join<const N: usize>(
    lists: &[&[(&'static str, &'static str)]],
) -> [(&'static str, &'static str); N] {
    let mut out = [("", ""); N];
    let (mut list, mut at) = (0, 0);
    while list < lists.len() {
        let mut i = 0;
        while i < lists[list].len() {
            out[at] = lists[list][i];
            at += 1;
            i += 1;
        }
        list += 1;
    }
    assert!(at == N, "METHODS: the length does not add up");
    out
}

/// Operations of the spec this crate calls only as helpers, with no method
/// of their own.
pub const HELPER_OPERATIONS: &[&str] = &[];

/// Operations of the spec the facade does not wrap yet: the raw client
/// (`arize-ax-api`, reachable as [`Client::raw`](crate::Client::raw)) has every one of them with
/// its types. Each leaves this list when its resource reaches the facade.
pub const RAW_ONLY_OPERATIONS: &[&str] = &[];
