//! HTTP: routing, authentication, faults, the request log and persistence.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arize_ax_api::open::UserStatus;
use arize_ax_api::{OPERATIONS, Operation, limits, ops};
use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::state::{Created, Problem, State};
use crate::wire;

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
    pub(crate) after_effect: bool,
    pub(crate) skip: usize,
}

impl Fault {
    fn new(action: FaultAction) -> Self {
        Fault {
            method: None,
            path_prefix: "/".into(),
            remaining: 1,
            action,
            after_effect: false,
            skip: 0,
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

    /// Handle the request first, so its change takes effect, and then answer
    /// with the fault instead: a lost answer (a 502 from a proxy after the
    /// backend committed, or a connection dropped after the request was
    /// carried out).
    ///
    /// ```
    /// use arize_ax_fake::Fault;
    ///
    /// let lost = Fault::status(502).on("DELETE", "/v2/organizations/").after_effect();
    /// # let _ = lost;
    /// ```
    pub fn after_effect(mut self) -> Self {
        self.after_effect = true;
        self
    }

    /// Lets the first `n` matching requests through untouched.
    pub fn skip(mut self, n: usize) -> Self {
        self.skip = n;
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
#[non_exhaustive]
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
    /// When the request arrived (before any latency or fault delay): the
    /// moment a rate limit judges it by.
    pub received: std::time::Instant,
}

pub(crate) struct App {
    pub api_key: String,
    pub state: Mutex<State>,
    pub faults: Mutex<Vec<Fault>>,
    pub log: Mutex<Vec<RecordedRequest>>,
    /// How many requests `log` holds at most.
    pub log_limit: usize,
    pub latency: Mutex<Duration>,
    pub jitter: Duration,
    pub bucket: Mutex<Option<crate::pace::Bucket>>,
    pub state_file: Option<PathBuf>,
    /// Serialises saves so the newest snapshot is always renamed last.
    pub save_lock: Mutex<()>,
    /// Leave empty values out of answers (see `FakeArizeBuilder::omit_empty`).
    pub omit_empty: bool,
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
    let body = wire::problem(
        format!("{PROBLEM_BASE}#{slug}"),
        title,
        problem.status,
        &problem.detail,
        instance,
    );
    let text = serde_json::to_string(&body).expect("a problem serialises");
    let mut response = Response::new(Body::from(text));
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

/// An answer whose body is one of the generated client's types.
fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    let text = serde_json::to_string(body).expect("API types serialise");
    let mut response = Response::new(Body::from(text));
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
    let received = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let authorized = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {}", app.api_key));

    let throttled = app
        .bucket
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_mut()
        .and_then(|bucket| bucket.take(received).err());
    let latency = *app.latency.lock().unwrap_or_else(|e| e.into_inner());
    let latency = crate::pace::with_jitter(latency, app.jitter);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Some(seconds) = throttled {
        let mut response =
            problem_response(&Problem::new(429, "Too many requests; slow down."), &path);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        log(
            &app,
            &method,
            &path,
            query,
            authorized,
            response.status(),
            received,
        );
        return response;
    }
    let fault = {
        let mut faults = app.faults.lock().unwrap_or_else(|e| e.into_inner());
        let mut found = None;
        for fault in faults.iter_mut().filter(|f| f.matches(&method, &path)) {
            if fault.skip == 0 {
                found = Some(fault);
                break;
            }
            fault.skip -= 1;
        }
        found.map(|f| {
            f.remaining -= 1;
            (f.action.clone(), f.after_effect)
        })
    };
    let (fault, request) = match fault {
        Some((action, true)) => {
            // The change happens; its answer is lost.
            drop(route(&app, authorized, request).await);
            (Some(action), None)
        }
        Some((action, false)) => (Some(action), Some(request)),
        None => (None, Some(request)),
    };
    let handle_normally = |request: Option<Request>| {
        let app = app.clone();
        async move {
            match request {
                Some(request) => route(&app, authorized, request).await,
                None => no_content(),
            }
        }
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
            handle_normally(request).await
        }
        None => handle_normally(request).await,
    };

    log(
        &app,
        &method,
        &path,
        query,
        authorized,
        response.status(),
        received,
    );
    response
}

/// How many requests the log holds by default; past its limit, the older
/// half is dropped.
pub const MAX_LOGGED_REQUESTS: usize = 100_000;

fn log(
    app: &App,
    method: &Method,
    path: &str,
    query: Option<String>,
    authorized: bool,
    status: StatusCode,
    received: std::time::Instant,
) {
    let mut log = app.log.lock().unwrap_or_else(|e| e.into_inner());
    // A long-running `fake serve` keeps the latest requests only.
    if log.len() >= app.log_limit {
        let drop = app.log_limit.div_ceil(2).max(1).min(log.len());
        log.drain(..drop);
    }
    log.push(RecordedRequest {
        method: method.to_string(),
        path: path.to_owned(),
        query,
        authorized,
        status: status.as_u16(),
        received,
    });
}

/// The operations of the spec whose path template matches `segments`,
/// each with its path parameters (name, decoded value).
fn operations_at(segments: &[String]) -> Vec<(&'static Operation, Vec<(&'static str, String)>)> {
    OPERATIONS
        .iter()
        .filter_map(|op| {
            let template: Vec<&'static str> = op.path.trim_start_matches('/').split('/').collect();
            if template.len() != segments.len() {
                return None;
            }
            let mut params = Vec::new();
            for (part, segment) in template.iter().zip(segments) {
                match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    Some(name) => params.push((name, segment.clone())),
                    None if part == segment => {}
                    None => return None,
                }
            }
            Some((op, params))
        })
        .collect()
}

async fn route(app: &Arc<App>, authorized: bool, request: Request) -> Response {
    let method = request.method().clone();
    let raw_path = request.uri().path().to_owned();
    let query = parse_query(request.uri().query().unwrap_or(""));
    let Some(segments) = decode_segments(&raw_path) else {
        return problem_response(
            &Problem::new(404, "No such resource (the path is not valid UTF-8)."),
            &raw_path,
        );
    };
    let here = operations_at(&segments);
    if here.is_empty() {
        return problem_response(&Problem::new(404, "No such endpoint."), &raw_path);
    }
    let Some((op, params)) = here.iter().find(|(op, _)| op.method == method.as_str()) else {
        let allow = here
            .iter()
            .map(|(op, _)| op.method)
            .collect::<Vec<_>>()
            .join(", ");
        let mut response = problem_response(
            &Problem::new(405, format!("{method} is not supported here; use {allow}.")),
            &raw_path,
        );
        if let Ok(value) = HeaderValue::from_str(&allow) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        return response;
    };
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

    let result = dispatch(app, op, params, &query, &body);
    match result {
        Ok((response, mutated)) => {
            let response = if app.omit_empty {
                omit_empty(response).await
            } else {
                response
            };
            if mutated && app.state_file.is_some() {
                // File I/O and fsync off the async workers; the answer waits
                // for it, so a client that got it finds the change on disk.
                let app = app.clone();
                match tokio::task::spawn_blocking(move || app.save()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => tracing::error!("cannot save state: {e}"),
                    Err(e) => tracing::error!("saving state failed: {e}"),
                }
            }
            response
        }
        Err(problem) => problem_response(&problem, &raw_path),
    }
}

type Query = Vec<(String, String)>;

/// The embedded spec, and the request-body schema of each operation.
fn body_schemas() -> &'static (Value, Vec<(&'static str, Value)>) {
    static TABLE: std::sync::OnceLock<(Value, Vec<(&'static str, Value)>)> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let spec: Value =
            serde_json::from_str(arize_ax_api::SPEC).expect("the embedded spec is JSON");
        let mut table = Vec::new();
        for known in OPERATIONS {
            let path = known.path.replace('~', "~0").replace('/', "~1");
            let pointer = format!("/paths/{path}/{}/requestBody", known.method.to_lowercase());
            if let Some(body) = spec.pointer(&pointer) {
                let body = resolve(&spec, body);
                if let Some(schema) = body.pointer("/content/application~1json/schema") {
                    table.push((known.id, schema.clone()));
                }
            }
        }
        (spec, table)
    })
}

fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..16 {
        match node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| spec.pointer(r.trim_start_matches('#')))
        {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

/// The first field of `value`, at any depth, that its schema does not have
/// where the schema says `additionalProperties: false` (every request body
/// of Arize's document and the objects inside it), as a path
/// (`role.extra`). A union's branch is chosen by its discriminator, or else
/// the value must fit one branch.
fn unknown_field(spec: &Value, schema: &Value, value: &Value, at: &str) -> Option<String> {
    let schema = resolve(spec, schema);
    if let Some(branches) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        let by_tag = schema.get("discriminator").and_then(|d| {
            let tag = value.get(d.get("propertyName")?.as_str()?)?.as_str()?;
            d.get("mapping")?.get(tag)?.as_str()
        });
        if let Some(target) = by_tag {
            return unknown_field(spec, &serde_json::json!({"$ref": target}), value, at);
        }
        let mut first = None;
        for branch in branches {
            match unknown_field(spec, branch, value, at) {
                None => return None,
                Some(found) => {
                    first.get_or_insert(found);
                }
            }
        }
        return first;
    }
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (key, child) in map {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match properties.and_then(|p| p.get(key)) {
                    Some(sub) => {
                        if let Some(found) = unknown_field(spec, sub, child, &path) {
                            return Some(found);
                        }
                    }
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        return Some(path);
                    }
                    None => {}
                }
            }
            None
        }
        Value::Array(items) => {
            let sub = schema.get("items")?;
            items
                .iter()
                .find_map(|item| unknown_field(spec, sub, item, &format!("{at}[]")))
        }
        _ => None,
    }
}

/// Refuses a body with a field its schema does not have, as Arize does
/// (400, naming the field).
fn refuse_unknown_fields(op: &Operation, body: &[u8]) -> Result<(), Problem> {
    let (spec, table) = body_schemas();
    let Some((_, schema)) = table.iter().find(|(id, _)| *id == op.id) else {
        return Ok(());
    };
    if let Ok(value) = serde_json::from_slice::<Value>(body)
        && let Some(unknown) = unknown_field(spec, schema, &value, "")
    {
        return Err(Problem::new(400, format!("Unknown field '{unknown}'.")));
    }
    Ok(())
}

/// A JSON answer with every empty value left out, as a server with Go's
/// `omitempty` sends it.
async fn omit_empty(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    strip_empty(&mut value);
    let text = serde_json::to_vec(&value).expect("JSON serialises");
    let mut response = Response::from_parts(parts, Body::from(text));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

fn strip_empty(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(strip_empty);
            map.retain(|_, v| !is_empty(v));
        }
        Value::Array(items) => items.iter_mut().for_each(strip_empty),
        _ => {}
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
    }
}

/// Runs one operation of the spec against the state. Each arm names its
/// operation by the generated constant, so an operation renamed or removed
/// in the spec fails to compile here.
fn dispatch(
    app: &App,
    op: &Operation,
    params: &[(&str, String)],
    query: &Query,
    body: &[u8],
) -> Result<(Response, bool), Problem> {
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let mut state = app.state.lock().unwrap_or_else(|e| e.into_inner());
    match op.id {
        id if id == ops::LIST_ORGANIZATIONS.id => {
            let name = single(query, "name")?;
            if let Some(name) = &name {
                check_max("name", name, limits::NAME_FILTER_MAX_LEN)?;
            }
            let limit = limit(query)?;
            let cursor = single(query, "cursor")?;
            let page = state.list_orgs(name.as_deref(), limit, cursor.as_deref())?;
            Ok((json_response(StatusCode::OK, &page), false))
        }
        id if id == ops::CREATE_ORGANIZATION.id => {
            let body = object(op, body)?;
            let org = state.create_org(&body)?;
            Ok((
                json_response(StatusCode::CREATED, &wire::organization(&org)),
                true,
            ))
        }
        id if id == ops::GET_ORGANIZATION.id => {
            let org = state.get_org(param("org_id"))?;
            Ok((
                json_response(StatusCode::OK, &wire::organization(&org)),
                false,
            ))
        }
        id if id == ops::UPDATE_ORGANIZATION.id => {
            let body = object(op, body)?;
            let org = state.update_org(param("org_id"), &body)?;
            Ok((
                json_response(StatusCode::OK, &wire::organization(&org)),
                true,
            ))
        }
        id if id == ops::DELETE_ORGANIZATION.id => {
            state.delete_org(param("org_id"))?;
            Ok((no_content(), true))
        }
        id if id == ops::ADD_ORGANIZATION_USER.id => {
            let body = object(op, body)?;
            let membership = state.add_member(param("org_id"), &body)?;
            let custom = membership
                .custom_role_id
                .as_deref()
                .and_then(|id| state.custom_role(id));
            Ok((
                json_response(StatusCode::OK, &wire::membership(&membership, custom)),
                true,
            ))
        }
        id if id == ops::REMOVE_ORGANIZATION_USER.id => {
            state.remove_member(param("org_id"), param("user_id"))?;
            Ok((no_content(), true))
        }
        id if id == ops::LIST_USERS.id => {
            let email = single(query, "email")?;
            if let Some(email) = &email {
                check_max("email", email, limits::EMAIL_FILTER_MAX_LEN)?;
            }
            let statuses: Vec<String> = query
                .iter()
                .filter(|(k, _)| k == "status")
                .map(|(_, v)| v.clone())
                .collect();
            if let Some(bad) = statuses
                .iter()
                .find(|s| !UserStatus::from((*s).clone()).is_known())
            {
                let known: Vec<&str> = UserStatus::KNOWN.iter().map(UserStatus::as_str).collect();
                return Err(Problem::new(
                    400,
                    format!("status {bad:?} is not one of {}.", known.join(", ")),
                ));
            }
            let limit = limit(query)?;
            let cursor = single(query, "cursor")?;
            let page = state.list_users(email.as_deref(), &statuses, limit, cursor.as_deref())?;
            Ok((json_response(StatusCode::OK, &page), false))
        }
        id if id == ops::GET_USER.id => {
            let user = state.get_user(param("user_id"))?;
            Ok((json_response(StatusCode::OK, &wire::user(&user)), false))
        }
        id if id == ops::CREATE_USER.id => {
            let body = object(op, body)?;
            match state.create_user(&body)? {
                Created::New {
                    user,
                    invite_mode,
                    temporary_password,
                } => Ok((
                    json_response(
                        StatusCode::CREATED,
                        &wire::created_user(
                            &user,
                            Some(&invite_mode),
                            temporary_password.as_deref(),
                        ),
                    ),
                    true,
                )),
                Created::Pending(user) => Ok((
                    json_response(StatusCode::OK, &wire::created_user(&user, None, None)),
                    false,
                )),
            }
        }
        id if id == ops::UPDATE_USER.id => {
            let body = object(op, body)?;
            let user = state.update_user(param("user_id"), &body)?;
            Ok((json_response(StatusCode::OK, &wire::user(&user)), true))
        }
        id if id == ops::DELETE_USER.id => {
            state.delete_user(param("user_id"))?;
            Ok((no_content(), true))
        }
        id if id == ops::RESEND_USER_INVITATION.id => {
            state.resend_invitation(param("user_id"))?;
            Ok((no_content(), true))
        }
        id if id == ops::RESET_USER_PASSWORD.id => {
            state.reset_password(param("user_id"))?;
            Ok((no_content(), true))
        }
        id if id == ops::LIST_SPACES.id => {
            let name = single(query, "name")?;
            if let Some(name) = &name {
                check_max("name", name, limits::NAME_FILTER_MAX_LEN)?;
            }
            let org_id = single(query, "org_id")?;
            let limit = limit(query)?;
            let cursor = single(query, "cursor")?;
            let page =
                state.list_spaces(org_id.as_deref(), name.as_deref(), limit, cursor.as_deref())?;
            Ok((json_response(StatusCode::OK, &page), false))
        }
        other => Err(Problem::new(
            501,
            format!("The fake does not implement {other} yet."),
        )),
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

/// Arize's page size when `limit` is left out (the spec declares none).
const DEFAULT_PAGE_LIMIT: usize = 50;

fn limit(query: &Query) -> Result<usize, Problem> {
    let (min, max) = (limits::PAGE_LIMIT_MIN, limits::PAGE_LIMIT_MAX);
    match single(query, "limit")? {
        None => Ok(DEFAULT_PAGE_LIMIT),
        Some(text) => match text.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n as usize),
            _ => Err(Problem::new(
                400,
                format!("limit must be an integer from {min} to {max} (got {text:?})."),
            )),
        },
    }
}

/// The body as a JSON object, refused (400) when it is not one or has a
/// field its schema lacks (see [`refuse_unknown_fields`]). Only the
/// operations the fake serves read a body, so an unserved one stays 501.
fn object(op: &Operation, body: &[u8]) -> Result<Map<String, Value>, Problem> {
    refuse_unknown_fields(op, body)?;
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Problem::new(400, "The body must be a JSON object.")),
        Err(e) => Err(Problem::new(
            400,
            format!("The body is not valid JSON: {e}."),
        )),
    }
}
