//! Name-to-ID resolution: exact, case-sensitive, paged, never a guess.

use arize_ax::{Error, Kind, OrgRef};
use httpmock::MockServer;

use crate::support::*;

#[tokio::test]
async fn resolves_across_three_pages_with_the_name_filter() {
    let server = MockServer::start_async().await;
    let p1 = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param("name", "prod")
                .query_param("limit", "100")
                .query_param_missing("cursor");
            then.status(200).json_body(page(
                vec![org(&org_id(1), "prod-1"), org(&org_id(2), "Prod")],
                Some("c2"),
            ));
        })
        .await;
    let p2 = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param("cursor", "c2");
            then.status(200)
                .json_body(page(vec![org(&org_id(3), "preprod")], Some("c3")));
        })
        .await;
    let p3 = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param("cursor", "c3");
            then.status(200).json_body(page(
                vec![org(&org_id(4), "prod"), org(&org_id(5), "prod-2")],
                None,
            ));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let got = client.organizations().get("prod").await.unwrap();
    assert_eq!(got.id, org_id(4));
    p1.assert_calls_async(1).await;
    p2.assert_calls_async(1).await;
    p3.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_exact_match_on_the_first_page_costs_one_request() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(200)
                .json_body(page(vec![org(&org_id(1), "prod")], Some("more")));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    assert_eq!(
        client.organizations().get("prod").await.unwrap().id,
        org_id(1)
    );
    list.assert_calls_async(1).await;
}

#[tokio::test]
async fn case_and_suffix_variants_are_never_taken_for_each_other() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(200).json_body(page(
                vec![
                    org(&org_id(1), "prod"),
                    org(&org_id(2), "Prod"),
                    org(&org_id(3), "prod-2"),
                ],
                None,
            ));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let orgs = client.organizations();
    for (name, n) in [("prod", 1), ("Prod", 2), ("prod-2", 3)] {
        assert_eq!(orgs.get(name).await.unwrap().id, org_id(n), "{name}");
    }
    match orgs.get("PROD").await.unwrap_err() {
        Error::NotFound(nf) => {
            assert_eq!(nf.kind, Kind::Organization);
            assert_eq!(nf.query, "PROD");
            assert_eq!(nf.similar, ["prod", "Prod", "prod-2"]);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn two_exact_matches_are_ambiguous_and_nothing_is_deleted() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(200).json_body(page(
                vec![org(&org_id(1), "dup"), org(&org_id(2), "dup")],
                None,
            ));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method("DELETE");
            then.status(204);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let err = client.organizations().delete("dup").await.unwrap_err();
    match &err {
        Error::Ambiguous(a) => assert_eq!(a.ids, [org_id(1), org_id(2)]),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains(&org_id(2)));
    delete.assert_calls_async(0).await;
}

#[tokio::test]
async fn an_unknown_name_deletes_nothing_and_says_so() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(200).json_body(page(vec![], None));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method("DELETE");
            then.status(204);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let err = client.organizations().delete("ghost").await.unwrap_err();
    assert!(err.is_not_found());
    assert!(
        err.to_string().contains("no organization named \"ghost\""),
        "{err}"
    );
    delete.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_name_that_looks_like_an_id_can_be_forced() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param("name", ORG_ID);
            then.status(200)
                .json_body(page(vec![org(&org_id(9), ORG_ID)], None));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let got = client
        .organizations()
        .get(OrgRef::name(ORG_ID))
        .await
        .unwrap();
    assert_eq!(got.id, org_id(9));
    list.assert_async().await;
}

#[tokio::test]
async fn an_unknown_email_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/users");
            then.status(200).json_body(serde_json::json!({
                "users": [user(USER_ID, "jane.doe@example.com", "MEMBER")],
                "pagination": {"has_more": false}
            }));
        })
        .await;
    let remove = server
        .mock_async(|when, then| {
            when.method("DELETE");
            then.status(204);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let err = client
        .organizations()
        .remove_user(ORG_ID, "jane@example.com")
        .await
        .unwrap_err();
    match &err {
        Error::NotFound(nf) => {
            assert_eq!(nf.kind, Kind::User);
            assert_eq!(nf.similar, ["jane.doe@example.com"]);
        }
        other => panic!("{other:?}"),
    }
    remove.assert_calls_async(0).await;
}
