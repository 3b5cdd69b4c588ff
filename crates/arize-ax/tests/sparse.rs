//! Sparse answers through the facade: every method that reads a body gets,
//! from a mock server, each sample the spec allows (`arize_ax_spec::samples`:
//! whole, each optional field left out at any depth, all of them left out).
//! Each call succeeds with the README's defaults for what is absent, except
//! where a record lacks its `id`, which the facade must act on: then it is a
//! decode error naming the operation and the field.

use std::future::Future;
use std::pin::Pin;

use arize_ax::{Client, Error, InviteMode, OrgRole, UserRole};
use arize_ax_spec::samples::sparse_samples;
use httpmock::MockServer;
use serde_json::{Value, json};

use crate::support::{ORG_ID, ORG_ID_IN_PATH, USER_ID, USER_ID_IN_PATH, client_for};

type Call = fn(Client) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// (method key, HTTP method, path, status, body schema, where records with
/// an `id` sit in the body (`""`: the body is one), the call)
struct Case {
    method: &'static str,
    http: &'static str,
    path: String,
    status: u16,
    schema: &'static str,
    records: &'static str,
    call: Call,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            method: "organizations.list",
            http: "GET",
            path: "/v2/organizations".into(),
            status: 200,
            schema: "ListOrganizationsResponse",
            records: "organizations",
            call: |c| Box::pin(async move { c.organizations().list().send().await.map(drop) }),
        },
        Case {
            method: "organizations.get",
            http: "GET",
            path: format!("/v2/organizations/{ORG_ID_IN_PATH}"),
            status: 200,
            schema: "Organization",
            records: "",
            call: |c| Box::pin(async move { c.organizations().get(ORG_ID).await.map(drop) }),
        },
        Case {
            method: "organizations.create",
            http: "POST",
            path: "/v2/organizations".into(),
            status: 201,
            schema: "Organization",
            records: "",
            call: |c| Box::pin(async move { c.organizations().create("n").send().await.map(drop) }),
        },
        Case {
            method: "organizations.update",
            http: "PATCH",
            path: format!("/v2/organizations/{ORG_ID_IN_PATH}"),
            status: 200,
            schema: "Organization",
            records: "",
            call: |c| {
                Box::pin(async move {
                    c.organizations()
                        .update(ORG_ID)
                        .name("n")
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Case {
            method: "organizations.add_user",
            http: "POST",
            path: format!("/v2/organizations/{ORG_ID_IN_PATH}/users"),
            status: 200,
            schema: "OrganizationMembership",
            records: "-",
            call: |c| {
                Box::pin(async move {
                    c.organizations()
                        .add_user(ORG_ID, USER_ID, OrgRole::Member)
                        .skip_role_check()
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Case {
            method: "users.list",
            http: "GET",
            path: "/v2/users".into(),
            status: 200,
            schema: "ListUsersResponse",
            records: "users",
            call: |c| Box::pin(async move { c.users().list().send().await.map(drop) }),
        },
        Case {
            method: "users.get",
            http: "GET",
            path: format!("/v2/users/{USER_ID_IN_PATH}"),
            status: 200,
            schema: "User",
            records: "",
            call: |c| Box::pin(async move { c.users().get(USER_ID).await.map(drop) }),
        },
        Case {
            method: "users.create",
            http: "POST",
            path: "/v2/users".into(),
            status: 201,
            schema: "CreateUserSuccess",
            // Failing would throw a temporary password away: an absent ID
            // is empty (and looked up by email where it is acted on).
            records: "-",
            call: |c| {
                Box::pin(async move {
                    c.users()
                        .create("Jane", "jane@example.com", UserRole::Member)
                        .invite(InviteMode::EmailLink)
                        .send()
                        .await
                        .map(drop)
                })
            },
        },
        Case {
            method: "users.update",
            http: "PATCH",
            path: format!("/v2/users/{USER_ID_IN_PATH}"),
            status: 200,
            schema: "User",
            records: "",
            call: |c| {
                Box::pin(async move { c.users().update(USER_ID).name("J").send().await.map(drop) })
            },
        },
        Case {
            method: "audit_logs.list",
            http: "GET",
            path: "/v2/audit-logs".into(),
            status: 200,
            schema: "ListAuditLogsResponse",
            records: "-",
            call: |c| Box::pin(async move { c.audit_logs().list().send().await.map(drop) }),
        },
        Case {
            method: "resource_restrictions.restrict",
            http: "POST",
            path: "/v2/resource-restrictions".into(),
            status: 200,
            schema: "ResourceRestriction",
            // Never refused: an answer without the resource's ID names the
            // one sent.
            records: "-",
            call: |c| {
                Box::pin(async move {
                    c.resource_restrictions()
                        .restrict("UHJvamVjdDoyNDY4")
                        .await
                        .map(drop)
                })
            },
        },
        Case {
            method: "spaces.list",
            http: "GET",
            path: "/v2/spaces".into(),
            status: 200,
            schema: "ListSpacesResponse",
            records: "spaces",
            call: |c| Box::pin(async move { c.spaces().list().send().await.map(drop) }),
        },
    ]
}

/// Whether a record of `body` lacks the `id` the facade needs.
fn lacks_an_id(body: &Value, records: &str) -> bool {
    match records {
        "-" => false,
        "" => body.get("id").is_none(),
        list => body[list]
            .as_array()
            .into_iter()
            .flatten()
            .any(|record| record.get("id").is_none()),
    }
}

#[tokio::test]
async fn every_method_reads_every_sparse_answer() {
    let spec: Value = serde_json::from_str(arize_ax::raw::SPEC).unwrap();
    let (mut checked, mut refused) = (0, 0);
    for case in cases() {
        let schema = json!({"$ref": format!("#/components/schemas/{}", case.schema)});
        for sample in sparse_samples(&spec, &schema) {
            let server = MockServer::start_async().await;
            server
                .mock_async(|when, then| {
                    when.method(case.http)
                        .path(case.path.as_str())
                        .query_param_missing("cursor");
                    then.status(case.status)
                        .header("content-type", "application/json")
                        .json_body(sample.value.clone());
                })
                .await;
            // A page with nothing on it but a cursor is followed (never
            // handed over as the page): the next one ends the listing.
            server
                .mock_async(|when, then| {
                    when.method(case.http)
                        .path(case.path.as_str())
                        .query_param_exists("cursor");
                    then.status(200)
                        .header("content-type", "application/json")
                        .json_body(json!({}));
                })
                .await;
            let (client, _) = client_for(&server.base_url());
            let result = (case.call)(client).await;
            let what = format!(
                "{} without {:?}: {:#}",
                case.method, sample.removed, sample.value
            );
            if lacks_an_id(&sample.value, case.records) {
                match result {
                    Err(Error::Decode(decode)) => {
                        let text = decode.to_string();
                        assert!(
                            text.contains(case.method) && text.contains("`id`"),
                            "{what}: {text}"
                        );
                        refused += 1;
                    }
                    other => panic!("{what}: expected a decode error naming `id`, got {other:?}"),
                }
            } else {
                result.unwrap_or_else(|e| panic!("{what}: {e}"));
            }
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} samples");
    // The whole samples pass and some sparse ones lack an ID: both branches ran.
    assert!(
        refused >= 8 && refused < checked / 2,
        "{refused} of {checked} refused"
    );
}

/// A temporary password is never thrown away by a sparse answer, and a 201
/// that should carry one but does not says so.
#[tokio::test]
async fn a_temporary_password_survives_a_sparse_answer_and_its_absence_is_told() {
    let cases = [
        (
            json!({"temporary_password": "Temp-Pass-123", "invite_mode": "TEMPORARY_PASSWORD"}),
            true,
        ),
        (json!({"id": "VXNlcjo5", "email": "tom@example.com"}), false),
    ];
    for (body, has_password) in cases {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("POST").path("/v2/users");
                then.status(201)
                    .header("content-type", "application/json")
                    .json_body(body.clone());
            })
            .await;
        let (client, _) = client_for(&server.base_url());
        let result = client
            .users()
            .create("Tom", "tom@example.com", UserRole::Member)
            .invite(InviteMode::TemporaryPassword)
            .send()
            .await;
        if has_password {
            let created = result.unwrap_or_else(|e| panic!("{body}: {e}"));
            assert_eq!(
                created.temporary_password.unwrap().expose_secret(),
                "Temp-Pass-123"
            );
            assert_eq!(created.user.email, "tom@example.com");
        } else {
            match result {
                Err(Error::TemporaryPasswordLost { email, user_id }) => {
                    assert_eq!(
                        (email.as_str(), user_id.as_str()),
                        ("tom@example.com", "VXNlcjo5")
                    );
                }
                other => panic!("{body}: expected TemporaryPasswordLost, got {other:?}"),
            }
        }
    }
}
