//! HTTP: matching a request to an operation of the spec, authentication,
//! pacing, faults, the request log and persistence. What an operation does
//! is [`crate::routes`]'s business.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arize_ax_api::{OPERATIONS, Operation};
use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use percent_encoding::percent_decode_str;

use crate::core::Call;
use crate::core::Problem;
use crate::core::faults::{Fault, FaultAction};
use crate::core::http::{no_content, omit_empty, problem_response, reply_response};
use crate::state::State;

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
        crate::core::file::write_atomically(path, &text)
    }
}

/// Who a request's bearer token is.
#[derive(Debug, Clone)]
enum Caller {
    /// The key the server was started with (its account's first admin).
    ServerKey,
    /// A key the fake issued, acting as this user (`None`: unknown).
    Issued(Option<String>),
}

pub(crate) async fn handle(AxState(app): AxState<Arc<App>>, request: Request) -> Response {
    let received = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    // The server's own key (whose user is resolved with the request, under
    // the lock it takes anyway), or a live key it issued: the user it acts
    // as.
    let caller: Option<Caller> = token.and_then(|token| {
        if token == app.api_key {
            return Some(Caller::ServerKey);
        }
        app.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .authenticate(&token, false)
            .map(Caller::Issued)
    });
    let authorized = caller.is_some();

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
            drop(route(&app, caller.clone(), request).await);
            (Some(action), None)
        }
        Some((action, false)) => (Some(action), Some(request)),
        None => (None, Some(request)),
    };
    let handle_normally = |request: Option<Request>| {
        let app = app.clone();
        async move {
            match request {
                Some(request) => route(&app, caller.clone(), request).await,
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

async fn route(app: &Arc<App>, caller: Option<Caller>, request: Request) -> Response {
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
    let Some(caller) = caller else {
        return problem_response(
            &Problem::new(401, "The request carried no usable bearer token."),
            &raw_path,
        );
    };
    let body = match axum::body::to_bytes(request.into_body(), 1 << 20).await {
        Ok(body) => body,
        Err(_) => return problem_response(&Problem::new(400, "The body is too large."), &raw_path),
    };

    let result = {
        let mut state = app.state.lock().unwrap_or_else(|e| e.into_inner());
        let call = Call {
            op: Some(op),
            params: params.clone(),
            query,
            body: body.to_vec(),
            caller: match caller {
                Caller::ServerKey => state.caller.clone(),
                Caller::Issued(user) => user,
            },
        };
        let result = crate::routes::dispatch(&mut state, op, &call);
        state.audit(op, &call);
        result
    };
    match result {
        Ok(reply) => {
            let mutated = reply.changed;
            let response = reply_response(op, reply);
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

fn parse_query(query: &str) -> Vec<(String, String)> {
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
