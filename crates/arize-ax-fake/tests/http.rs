//! Wire behaviour of the fake: auth, encoding, validation, problem bodies,
//! faults, scale.

use arize_ax_fake::{FakeArize, Fault};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn fake(orgs: usize) -> FakeArize {
    FakeArize::builder()
        .api_key("k")
        .seed(1)
        .seed_orgs(orgs)
        .start()
        .await
        .unwrap()
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

async fn get(
    fake: &FakeArize,
    path_and_query: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let response = http()
        .get(format!("{}{path_and_query}", fake.base_url()))
        .bearer_auth("k")
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

#[tokio::test]
async fn requests_without_the_key_get_401_problem_json() {
    let fake = fake(1).await;
    for auth in [None, Some("Bearer wrong"), Some("k")] {
        let mut request = http().get(format!("{}/v2/organizations", fake.base_url()));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{auth:?}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], 401);
        assert_eq!(body["title"], "Authentication required");
    }
    assert!(fake.requests().iter().all(|r| !r.authorized));
}

#[tokio::test]
async fn ids_with_plus_slash_and_equals_are_decoded_from_one_segment() {
    let fake = fake(8).await;
    let tricky = fake
        .organizations()
        .into_iter()
        .find(|o| o.id.contains('/') && o.id.contains('+'))
        .or_else(|| {
            fake.organizations()
                .into_iter()
                .find(|o| o.id.contains('/'))
        })
        .expect("seeded IDs include a slash");
    let encoded: String = tricky
        .id
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let (status, _, body) = get(&fake, &format!("/v2/organizations/{encoded}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], tricky.id);
    // The raw slash splits the path: no such endpoint.
    let (status, _, _) = get(&fake, &format!("/v2/organizations/{}", tricky.id)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn listing_validates_limit_and_defaults_to_50() {
    let fake = fake(120).await;
    let (status, _, body) = get(&fake, "/v2/organizations").await;
    assert_eq!(status, 200);
    assert_eq!(body["organizations"].as_array().unwrap().len(), 50);
    assert_eq!(body["pagination"]["has_more"], true);
    for bad in ["0", "101", "-1", "ten", ""] {
        let (status, headers, body) = get(&fake, &format!("/v2/organizations?limit={bad}")).await;
        assert_eq!(status, 400, "limit={bad}");
        assert_eq!(headers["content-type"], "application/problem+json");
        assert!(body["detail"].as_str().unwrap().contains("limit"));
    }
    let long = "x".repeat(256);
    let (status, _, _) = get(&fake, &format!("/v2/organizations?name={long}")).await;
    assert_eq!(status, 400);
    let (status, _, _) = get(&fake, "/v2/organizations?cursor=not-ours").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_name_filter_is_a_case_insensitive_substring() {
    let fake = fake(0).await;
    for name in ["Platform Team", "teammates", "other"] {
        let response = http()
            .post(format!("{}/v2/organizations", fake.base_url()))
            .bearer_auth("k")
            .json(&json!({"name": name}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    let (_, _, body) = get(&fake, "/v2/organizations?name=TEAM").await;
    let names: Vec<&str> = body["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Platform Team", "teammates"]);
}

#[tokio::test]
async fn invalid_bodies_are_rejected_with_problems() {
    let fake = fake(1).await;
    let url = format!("{}/v2/organizations", fake.base_url());
    let cases: [(&str, u16); 5] = [
        ("not json", 400),
        ("[1]", 400),
        ("{}", 422),
        (r#"{"name": ""}"#, 422),
        // A field the schema lacks: 400 naming it, as Arize answers.
        (r#"{"name": "x", "id": "T3JnYW5pemF0aW9uOjE="}"#, 400),
    ];
    for (body, status) in cases {
        let response = http()
            .post(&url)
            .bearer_auth("k")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{body}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    let org = &fake.organizations()[0];
    let encoded = org
        .id
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let response = http()
        .patch(format!("{url}/{encoded}"))
        .bearer_auth("k")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn unsupported_methods_get_405_with_allow() {
    let fake = fake(0).await;
    let response = http()
        .put(format!("{}/v2/organizations", fake.base_url()))
        .bearer_auth("k")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, POST");
}

#[tokio::test]
async fn deletes_answer_204_without_a_body() {
    let fake = fake(1).await;
    let org = fake.organizations()[0].clone();
    let encoded = org
        .id
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let response = http()
        .delete(format!("{}/v2/organizations/{encoded}", fake.base_url()))
        .bearer_auth("k")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());
    assert!(fake.organizations().is_empty());
}

#[tokio::test]
async fn faults_hit_the_next_matching_requests_only() {
    let fake = fake(1).await;
    fake.inject(
        Fault::rate_limited(3)
            .on("GET", "/v2/organizations")
            .times(2),
    );
    fake.inject(Fault::status(503).on("POST", "/v2/organizations"));
    let (s1, h1, b1) = get(&fake, "/v2/organizations").await;
    let (s2, _, _) = get(&fake, "/v2/organizations").await;
    let (s3, _, _) = get(&fake, "/v2/organizations").await;
    assert_eq!((s1.as_u16(), s2.as_u16(), s3.as_u16()), (429, 429, 200));
    assert_eq!(h1["retry-after"], "3");
    assert_eq!(b1["status"], 429);
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 429, 200]);
    assert_eq!(fake.request_count("GET", "/v2/organizations"), 3);
}

#[tokio::test]
async fn malformed_and_dropped_responses() {
    let fake = fake(1).await;
    fake.inject(Fault::malformed_body());
    let response = http()
        .get(format!("{}/v2/organizations", fake.base_url()))
        .bearer_auth("k")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");

    fake.inject(Fault::drop_connection());
    // The connection breaks off before or during the body, never with a
    // complete answer.
    let broke = match http()
        .get(format!("{}/v2/organizations", fake.base_url()))
        .bearer_auth("k")
        .send()
        .await
    {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(broke, "the response must break off");
}

#[tokio::test]
async fn a_page_costs_o_page_among_100_000_organizations() {
    let fake = fake(100_000).await;
    // Walk to a cursor deep in the listing with large pages...
    let mut cursor = None::<String>;
    for _ in 0..3 {
        let query = match &cursor {
            Some(c) => format!("/v2/organizations?limit=100&cursor={c}"),
            None => "/v2/organizations?limit=100".into(),
        };
        let (_, _, body) = get(&fake, &query).await;
        cursor = body["pagination"]["next_cursor"]
            .as_str()
            .map(str::to_owned);
    }
    // ...then count the records one more page visits.
    let before = fake.with_state(|s| s.records_examined());
    let (status, _, body) = get(
        &fake,
        &format!("/v2/organizations?limit=10&cursor={}", cursor.unwrap()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["organizations"][0]["name"], "org-000301");
    let examined = fake.with_state(|s| s.records_examined()) - before;
    assert!(examined <= 11, "one page of 10 visited {examined} records");
}

#[tokio::test]
async fn a_rate_limit_answers_429_with_an_integer_retry_after_past_the_burst() {
    let fake = FakeArize::builder()
        .api_key("k")
        .rate_limit(0.5, 3)
        .latency(std::time::Duration::from_millis(5))
        .start()
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let (status, headers, body) = get(&fake, "/v2/organizations").await;
        statuses.push(status.as_u16());
        if status == StatusCode::TOO_MANY_REQUESTS {
            let after = headers["retry-after"].to_str().unwrap();
            assert_eq!(after, "2", "whole seconds until the next token at 0.5/s");
            assert_eq!(body["status"], 429);
        }
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    assert_eq!(
        fake.requests().iter().filter(|r| r.status == 429).count(),
        2
    );
}

#[tokio::test]
async fn the_request_log_stays_bounded() {
    let fake = FakeArize::builder()
        .api_key("k")
        .max_logged_requests(10)
        .start()
        .await
        .unwrap();
    for _ in 0..25 {
        let (status, _, _) = get(&fake, "/v2/organizations").await;
        assert_eq!(status.as_u16(), 200);
    }
    let kept = fake.requests().len();
    assert!((1..=10).contains(&kept), "{kept}");
}

async fn send(
    fake: &FakeArize,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = http()
        .request(method, format!("{}{path}", fake.base_url()))
        .bearer_auth("k")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_field_the_schema_lacks_is_refused_at_any_depth() {
    let fake = fake(0).await;
    let cases = [
        (
            json!({"name": "Ann", "email": "ann2@example.com", "invite_mode": "NONE",
                   "role": {"type": "PREDEFINED", "name": "MEMBER"}, "is_developer": false}),
            "is_developer",
        ),
        (
            json!({"name": "Ann", "email": "ann2@example.com", "invite_mode": "NONE",
                   "role": {"type": "PREDEFINED", "name": "MEMBER", "id": "Um9sZTox"}}),
            "role.id",
        ),
    ];
    for (body, field) in cases {
        let (status, problem) = send(&fake, reqwest::Method::POST, "/v2/users", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
        assert_eq!(problem["detail"], format!("Unknown field '{field}'."));
    }
    // The document's own fields pass.
    let (status, created) = send(
        &fake,
        reqwest::Method::POST,
        "/v2/users",
        json!({"name": "Ann", "email": "ann2@example.com", "invite_mode": "NONE",
               "role": {"type": "PREDEFINED", "name": "MEMBER_UI_ONLY"}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["role"]["name"], "MEMBER_UI_ONLY");
}

#[tokio::test]
async fn every_operation_is_served_and_unknown_orgs_have_no_spaces() {
    let fake = fake(1).await;
    // The last operations to be served: the audit log (which holds the
    // calls made so far) and restrictions, whose bodies are checked like
    // any other.
    let (status, _, page) = get(&fake, "/v2/audit-logs").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, problem) = send(
        &fake,
        reqwest::Method::POST,
        "/v2/resource-restrictions",
        json!({"bogus": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["detail"], "Unknown field 'bogus'.");
    let (status, _, problem) = get(&fake, "/v2/spaces?org_id=T3JnYW5pemF0aW9uOjk5OTk%3D").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
}

/// Empty lists are answered as `[]`, as Arize does (the generated types
/// leave them out): a page with nothing in it, whatever the resource;
/// `omit_empty` still leaves them out.
#[tokio::test]
async fn empty_lists_are_sent_as_empty_arrays() {
    let fake = fake(1).await;
    let (status, _, empty) = get(&fake, "/v2/organizations?name=nothing-like-this").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["organizations"], json!([]), "{empty}");
    let (_, _, bindings) = get(&fake, "/v2/role-bindings?resource_type=SPACE").await;
    assert_eq!(bindings["role_bindings"], json!([]), "{bindings}");
    let (_, _, logs) = get(&fake, "/v2/audit-logs?operation_type=MUTATION").await;
    assert_eq!(logs["logs"], json!([]), "nothing changed yet: {logs}");
}

#[tokio::test]
async fn omit_empty_leaves_out_empty_values() {
    let fake = FakeArize::builder()
        .api_key("k")
        .seed_orgs(1)
        .omit_empty(true)
        .start()
        .await
        .unwrap();
    let (status, _, page) = get(&fake, "/v2/organizations").await;
    assert_eq!(status, StatusCode::OK);
    let org = &page["organizations"][0];
    assert!(
        org.get("id").is_some() && org.get("created_at").is_some(),
        "{page}"
    );
    // The last page's `has_more: false` and its now-empty `pagination` go.
    assert!(page.get("pagination").is_none(), "{page}");
    let (_, _, empty) = get(&fake, "/v2/organizations?name=nothing-like-this").await;
    assert_eq!(empty, json!({}));
}

#[tokio::test]
async fn spaces_and_roles_over_http_with_faults_and_the_unknown_field_check() {
    let fake = fake(1).await;
    let org = fake.organizations()[0].id.clone();
    let (status, space) = send(
        &fake,
        reqwest::Method::POST,
        "/v2/spaces",
        json!({"name": "ranking", "organization_id": org}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{space}");
    // A field the schema lacks is a 400 naming it, as for every body.
    let (status, problem) = send(
        &fake,
        reqwest::Method::POST,
        "/v2/spaces",
        json!({"name": "x", "organization_id": org, "id": "i"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["detail"], "Unknown field 'id'.");
    // Faults reach the new routes like the old ones.
    fake.inject(Fault::status(503).on("GET", "/v2/roles"));
    let (status, _, _) = get(&fake, "/v2/roles").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _, page) = get(&fake, "/v2/roles?is_predefined=false").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["roles"][0]["name"], "Reviewer");
    let path = format!(
        "/v2/spaces/{}",
        space["id"]
            .as_str()
            .unwrap()
            .replace('+', "%2B")
            .replace('/', "%2F")
    );
    fake.inject(
        Fault::status(502)
            .on("DELETE", "/v2/spaces/")
            .after_effect(),
    );
    let (status, _) = send(&fake, reqwest::Method::DELETE, &path, Value::Null).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        fake.spaces().is_empty(),
        "the lost answer's delete took effect"
    );
    let (status, _) = send(&fake, reqwest::Method::DELETE, &path, Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_key_the_fake_issued_authenticates_until_it_is_revoked() {
    let fake = fake(1).await;
    let (status, made) = send(
        &fake,
        reqwest::Method::POST,
        "/v2/api-keys",
        json!({"key_type": "USER", "name": "laptop"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let secret = made["key"].as_str().unwrap().to_owned();
    let with = |token: &str| {
        http()
            .get(format!("{}/v2/organizations", fake.base_url()))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(with(&secret).await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        with("ak-not-issued").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert!(
        fake.api_keys()[0].last_used_at.is_some(),
        "its use is noted"
    );
    // The new key lists its own creator's keys: itself.
    let listed: Value = http()
        .get(format!("{}/v2/api-keys", fake.base_url()))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["api_keys"][0]["id"], made["id"]);
    let id = made["id"].as_str().unwrap();
    let path = format!(
        "/v2/api-keys/{}/revoke",
        percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC)
    );
    let (status, _) = send(&fake, reqwest::Method::PUT, &path, Value::Null).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        with(&secret).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}
