//! Every operation of the checked-in spec is either wrapped by the facade,
//! used by it as a helper, or deliberately left to the raw client. A new
//! upstream endpoint pulled in by `spec sync` fails this test until someone
//! decides which.

use arize_ax::{HELPER_OPERATIONS, METHODS, RAW_ONLY_OPERATIONS};

#[test]
fn every_spec_operation_is_accounted_for() {
    let wrapped: Vec<&str> = METHODS.iter().map(|(_, op)| *op).collect();
    let unaccounted: Vec<&str> = arize_ax_api::OPERATIONS
        .iter()
        .map(|op| op.id)
        .filter(|id| {
            !wrapped.contains(id)
                && !HELPER_OPERATIONS.contains(id)
                && !RAW_ONLY_OPERATIONS.contains(id)
        })
        .collect();
    assert!(
        unaccounted.is_empty(),
        "operations in openapi/ that the facade neither wraps nor lists as helper or raw-only: {unaccounted:?}; \
         wrap them in crates/arize-ax or add them to RAW_ONLY_OPERATIONS"
    );
}

#[test]
fn nothing_listed_is_missing_from_the_spec() {
    let in_spec = |id: &str| arize_ax_api::operation(id).is_some();
    for (method, op) in METHODS {
        assert!(
            in_spec(op),
            "{method} wraps {op}, which the spec no longer has"
        );
    }
    for op in HELPER_OPERATIONS.iter().chain(RAW_ONLY_OPERATIONS) {
        assert!(in_spec(op), "{op} is listed but not in the spec");
    }
}
