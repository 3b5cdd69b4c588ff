//! HTTP: routing, authentication, faults, the request log and persistence.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value, json};

use crate::state::{Problem, State};

/// What a fault does to the requests it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer with this status and a problem body (a 429 also carries
    /// `Retry-After` when given).
    Status {
        /// The status.
        status: u16,
        /// Seconds for `Retry-After`.
        retry_after: Option<u64>,
    },
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Start a 200 response and drop the connection mid-body.
    DropConnection,
    /// Answer 200 with truncated JSON.
    MalformedBody,
    /// Answer 200 with an empty body.
    EmptyBody,
    /// Answer 307 with this `Location` (e.g. another host).
    Redirect(String),
}

/// A fault to inject: the next `times` requests matching a method and path
/// prefix get `action` instead of (or before) their normal answer.
///
/// ```
/// use arize_ax_fake::Fault;
/// use std::time::Duration;
///
/// let throttle = Fault::rate_limited(1).on("GET", "/v2/organizations").times(2);
/// let outage = Fault::status(503).on("DELETE", "/v2/organizations/");
/// let slow = Fault::delay(Duration::from_millis(50)).times(usize::MAX);
/// # let _ = (throttle, outage, slow);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(crate) method: Option<String>,
    pub(crate) path_prefix: String,
    pub(crate) remaining: usize,
    pub(crate) action: FaultAction,
}

impl Fault {
    fn new(action: FaultAction) -> Self {
        Fault {
            method: None,
            path_prefix: "/".into(),
            remaining: 1,
            action,
        }
    }

    /// Answer with `status` and a problem body.
    pub fn status(status: u16) -> Self {
        Fault::new(FaultAction::Status {
            status,
            retry_after: None,
        })
    }

    /// Answer 429 with `Retry-After: seconds`.
    pub fn rate_limited(seconds: u64) -> Self {
        Fault::new(FaultAction::Status {
            status: 429,
            retry_after: Some(seconds),
        })
    }

    /// Delay the answer.
    pub fn delay(delay: Duration) -> Self {
        Fault::new(FaultAction::Delay(delay))
    }

    /// Drop the connection in the middle of the response.
    pub fn drop_connection() -> Self {
        Fault::new(FaultAction::DropConnection)
    }

    /// Answer 200 with a truncated JSON body.
    pub fn malformed_body() -> Self {
        Fault::new(FaultAction::MalformedBody)
    }

    /// Answer 200 with an empty body.
    pub fn empty_body() -> Self {
        Fault::new(FaultAction::EmptyBody)
    }

    /// Answer 307 to `location`.
    pub fn redirect(location: impl Into<String>) -> Self {
        Fault::new(FaultAction::Redirect(location.into()))
    }

    /// Only requests with this method (any case) whose raw path starts with
    /// `path_prefix`.
    pub fn on(mut self, method: &str, path_prefix: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self.path_prefix = path_prefix.into();
        self
    }

    /// Only requests whose raw path starts with `path_prefix`, any method.
    pub fn on_path(mut self, path_prefix: &str) -> Self {
        self.path_prefix = path_prefix.into();
        self
    }

    /// How many matching requests it affects (default 1).
    pub fn times(mut self, times: usize) -> Self {
        self.remaining = times;
        self
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.remaining > 0
            && self.method.as_deref().is_none_or(|m| m == method.as_str())
            && path.starts_with(&self.path_prefix)
    }
}

/// One request as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The raw (still percent-encoded) path.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The `Authorization` header was the expected bearer token.
    pub authorized: bool,
    /// The status answered.
    pub status: u16,
}

pub(crate) struct App {
    pub api_key: String,
    pub state: Mutex<State>,
    pub faults: Mutex<Vec<Fault>>,
    pub log: Mutex<Vec<RecordedRequest>>,
    pub latency: Mutex<Duration>,
    pub state_file: Option<PathBuf>,
    /// Serialises saves so the newest snapshot is always renamed last.
    pub save_lock: Mutex<()>,
}

impl App {
    pub(crate) fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.state_file else {
            return Ok(());
        };
        let _guard = self.save_lock.lock().unwrap_or_else(|e| e.into_inner());
        let text = {
            let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            serde_json::to_vec_pretty(&*state).expect("state serialises")
        };
        crate::write_atomically(path, &text)
    }
}

const PROBLEM_BASE: &str = "https://arize.com/docs/ax/rest-reference/errors";

fn title(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("invalid-request", "Invalid request parameters"),
        401 => ("authentication-required", "Authentication required"),
        403 => ("access-forbidden", "Access forbidden"),
        404 => ("resource-not-found", "Resource not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        409 => ("resource-conflict", "Resource conflict"),
        422 => ("unprocessable-entity", "Unprocessable Entity"),
        429 => ("rate-limit-exceeded", "Rate limit exceeded"),
        502 => ("bad-gateway", "Bad gateway"),
        503 => ("service-unavailable", "Service unavailable"),
        504 => ("gateway-timeout", "Gateway timeout"),
        _ => ("server-error", "Internal server error"),
    }
}

fn problem_response(problem: &Problem, instance: &str) -> Response {
    let (slug, title) = title(problem.status);
    let body = json!({
        "type": format!("{PROBLEM_BASE}#{slug}"),
        "title": title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": instance,
    });
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() =
        StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if problem.status == 429 {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn no_content() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

pub(crate) async fn handle(AxState(app): AxState<Arc<App>>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let authorized = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {}", app.api_key));

    let latency = *app.latency.lock().unwrap_or_else(|e| e.into_inner());
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let fault = {
        let mut faults = app.faults.lock().unwrap_or_else(|e| e.into_inner());
        let found = faults.iter_mut().find(|f| f.matches(&method, &path));
        found.map(|f| {
            f.remaining -= 1;
            f.action.clone()
        })
    };

    let response = match fault {
        Some(FaultAction::Status {
            status,
            retry_after,
        }) => {
            let mut response = problem_response(
                &Problem::new(status, format!("Injected fault: status {status}.")),
                &path,
            );
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        Some(FaultAction::DropConnection) => {
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from_static(b"{\"id\": \"")),
                Err(std::io::Error::other("injected: connection dropped")),
            ];
            let mut response = Response::new(Body::from_stream(futures::stream::iter(chunks)));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Some(FaultAction::MalformedBody) => {
            let mut response = Response::new(Body::from("{\"id\": \"T3JnYW5pemF0aW9uOjE=\", \"na"));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Some(FaultAction::EmptyBody) => {
            let mut response = Response::new(Body::empty());
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Some(FaultAction::Redirect(location)) => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Some(FaultAction::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            route(&app, authorized, request).await
        }
        None => route(&app, authorized, request).await,
    };

    app.log
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(RecordedRequest {
            method: method.to_string(),
            path,
            query,
            authorized,
            status: response.status().as_u16(),
        });
    response
}

/// The operations a path supports, for 405 answers.
fn allowed(segments: &[String]) -> Option<&'static str> {
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    match s.as_slice() {
        ["v2", "organizations"] => Some("GET, POST"),
        ["v2", "organizations", _] => Some("GET, PATCH, DELETE"),
        ["v2", "organizations", _, "users"] => Some("POST"),
        ["v2", "organizations", _, "users", _] => Some("DELETE"),
        ["v2", "users"] => Some("GET"),
        ["v2", "users", _] => Some("GET"),
        _ => None,
    }
}

async fn route(app: &App, authorized: bool, request: Request) -> Response {
    let method = request.method().clone();
    let raw_path = request.uri().path().to_owned();
    let query = parse_query(request.uri().query().unwrap_or(""));
    let Some(segments) = decode_segments(&raw_path) else {
        return problem_response(
            &Problem::new(404, "No such resource (the path is not valid UTF-8)."),
            &raw_path,
        );
    };
    let Some(allow) = allowed(&segments) else {
        return problem_response(&Problem::new(404, "No such endpoint."), &raw_path);
    };
    if !allow.split(", ").any(|m| m == method.as_str()) {
        let mut response = problem_response(
            &Problem::new(405, format!("{method} is not supported here; use {allow}.")),
            &raw_path,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
        return response;
    }
    if !authorized {
        return problem_response(
            &Problem::new(401, "The request carried no usable bearer token."),
            &raw_path,
        );
    }
    let body = match axum::body::to_bytes(request.into_body(), 1 << 20).await {
        Ok(body) => body,
        Err(_) => return problem_response(&Problem::new(400, "The body is too large."), &raw_path),
    };

    let result = dispatch(app, &method, &segments, &query, &body);
    match result {
        Ok((response, mutated)) => {
            if mutated && let Err(e) = app.save() {
                tracing::error!("cannot save state: {e}");
            }
            response
        }
        Err(problem) => problem_response(&problem, &raw_path),
    }
}

type Query = Vec<(String, String)>;

fn dispatch(
    app: &App,
    method: &Method,
    segments: &[String],
    query: &Query,
    body: &[u8],
) -> Result<(Response, bool), Problem> {
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let mut state = app.state.lock().unwrap_or_else(|e| e.into_inner());
    match (method.as_str(), s.as_slice()) {
        ("GET", ["v2", "organizations"]) => {
            let name = single(query, "name")?;
            if let Some(name) = &name {
                check_max("name", name, 255)?;
            }
            let limit = limit(query)?;
            let cursor = single(query, "cursor")?;
            let page = state.list_orgs(name.as_deref(), limit, cursor.as_deref())?;
            Ok((json_response(StatusCode::OK, &page), false))
        }
        ("POST", ["v2", "organizations"]) => {
            let body = object(body)?;
            let org = state.create_org(&body)?;
            Ok((json_response(StatusCode::CREATED, &json!(org)), true))
        }
        ("GET", ["v2", "organizations", id]) => {
            let org = state.get_org(id)?;
            Ok((json_response(StatusCode::OK, &json!(org)), false))
        }
        ("PATCH", ["v2", "organizations", id]) => {
            let body = object(body)?;
            let org = state.update_org(id, &body)?;
            Ok((json_response(StatusCode::OK, &json!(org)), true))
        }
        ("DELETE", ["v2", "organizations", id]) => {
            state.delete_org(id)?;
            Ok((no_content(), true))
        }
        ("POST", ["v2", "organizations", id, "users"]) => {
            let body = object(body)?;
            let membership = state.add_member(id, &body)?;
            Ok((json_response(StatusCode::OK, &membership.to_json()), true))
        }
        ("DELETE", ["v2", "organizations", id, "users", user]) => {
            state.remove_member(id, user)?;
            Ok((no_content(), true))
        }
        ("GET", ["v2", "users"]) => {
            let email = single(query, "email")?;
            if let Some(email) = &email {
                check_max("email", email, 255)?;
            }
            let statuses: Vec<String> = query
                .iter()
                .filter(|(k, _)| k == "status")
                .map(|(_, v)| v.clone())
                .collect();
            if let Some(bad) = statuses
                .iter()
                .find(|s| !["ACTIVE", "INVITED", "EXPIRED"].contains(&s.as_str()))
            {
                return Err(Problem::new(
                    400,
                    format!("status {bad:?} is not one of ACTIVE, INVITED, EXPIRED."),
                ));
            }
            let limit = limit(query)?;
            let cursor = single(query, "cursor")?;
            let page = state.list_users(email.as_deref(), &statuses, limit, cursor.as_deref())?;
            Ok((json_response(StatusCode::OK, &page), false))
        }
        ("GET", ["v2", "users", id]) => {
            let user = state.get_user(id)?;
            Ok((json_response(StatusCode::OK, &user.to_json()), false))
        }
        _ => Err(Problem::new(404, "No such endpoint.")),
    }
}

fn decode_segments(path: &str) -> Option<Vec<String>> {
    path.trim_start_matches('/')
        .split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|c| c.into_owned())
        })
        .collect()
}

fn parse_query(query: &str) -> Query {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn single(query: &Query, name: &str) -> Result<Option<String>, Problem> {
    let mut values = query.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
    let first = values.next().cloned();
    if values.next().is_some() {
        return Err(Problem::new(400, format!("{name} may be given only once.")));
    }
    Ok(first)
}

fn check_max(name: &str, value: &str, max: usize) -> Result<(), Problem> {
    if value.chars().count() > max {
        return Err(Problem::new(
            400,
            format!("{name} must be at most {max} characters long."),
        ));
    }
    Ok(())
}

fn limit(query: &Query) -> Result<usize, Problem> {
    match single(query, "limit")? {
        None => Ok(50),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err(Problem::new(
                400,
                format!("limit must be an integer from 1 to 100 (got {text:?})."),
            )),
        },
    }
}

fn object(body: &[u8]) -> Result<Map<String, Value>, Problem> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Problem::new(400, "The body must be a JSON object.")),
        Err(e) => Err(Problem::new(
            400,
            format!("The body is not valid JSON: {e}."),
        )),
    }
}
