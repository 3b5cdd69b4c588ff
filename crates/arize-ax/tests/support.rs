//! Shared helpers: clients pointed at a mock, fixtures, and a scripted HTTP
//! server that answers with a fixed sequence of responses (for retries,
//! which httpmock cannot sequence).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use arize_ax::{Client, PrereleaseGate, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const KEY: &str = "ak-test-secret-0123456789";
/// `Organization:a~~~?~`: base64 with `+`, `/` and `=`.
pub const ORG_ID: &str = "T3JnYW5pemF0aW9uOmF+fn4/fg==";
pub const ORG_ID_IN_PATH: &str = "T3JnYW5pemF0aW9uOmF%2Bfn4%2Ffg%3D%3D";
/// `User:~~~?~`.
pub const USER_ID: &str = "VXNlcjp+fn4/fg==";
pub const USER_ID_IN_PATH: &str = "VXNlcjp%2Bfn4%2Ffg%3D%3D";

pub fn org_id(n: u32) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("Organization:{n}"))
}

pub fn org(id: &str, name: &str) -> Value {
    json!({"id": id, "name": name, "description": "", "created_at": "2025-03-04T09:30:00Z"})
}

pub fn page(orgs: Vec<Value>, next: Option<&str>) -> Value {
    match next {
        Some(cursor) => {
            json!({"organizations": orgs, "pagination": {"has_more": true, "next_cursor": cursor}})
        }
        None => json!({"organizations": orgs, "pagination": {"has_more": false}}),
    }
}

pub fn user(id: &str, email: &str, account_role: &str) -> Value {
    json!({
        "id": id, "name": "Jane", "email": email, "created_at": "2025-01-15T08:00:00Z",
        "status": "ACTIVE", "role": {"type": "PREDEFINED", "name": account_role},
        "is_developer": false
    })
}

pub fn problem(status: u16, detail: &str) -> Value {
    json!({"type": "https://arize.com/docs/ax/rest-reference/errors#x", "title": format!("Title {status}"),
           "status": status, "detail": detail, "instance": "/v2/organizations"})
}

/// A client for `base_url` with its own capturing warning gate and fast
/// retries.
pub fn client_for(base_url: &str) -> (Client, Arc<PrereleaseGate>) {
    let gate = Arc::new(PrereleaseGate::capturing());
    let client = Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .prerelease_gate(gate.clone())
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    (client, gate)
}

/// One scripted answer.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    /// Close the connection without answering.
    pub drop: bool,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.to_string(),
            drop: false,
        }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn dropped() -> Self {
        Reply {
            status: 0,
            headers: vec![],
            body: String::new(),
            drop: true,
        }
    }
}

/// A server that answers the n-th request with the n-th reply (the last one
/// repeats) and records each request line.
pub struct Scripted {
    pub base_url: String,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Scripted {
    pub async fn start(replies: Vec<Reply>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        tokio::spawn(async move {
            let mut served = 0usize;
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                // One request per connection keeps the script simple.
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let head_end = loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        break None;
                    };
                    if n == 0 {
                        break None;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break Some(i + 4);
                    }
                };
                let Some(head_end) = head_end else { continue };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let length = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                    })
                    .unwrap_or(0);
                while buf.len() < head_end + length {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        break;
                    };
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                log.lock()
                    .unwrap()
                    .push(head.lines().next().unwrap_or("").to_owned());
                let reply = replies[served.min(replies.len() - 1)].clone();
                served += 1;
                if reply.drop {
                    drop(socket);
                    continue;
                }
                let mut response = format!(
                    "HTTP/1.1 {} X\r\nconnection: close\r\ncontent-length: {}\r\n",
                    reply.status,
                    reply.body.len()
                );
                for (name, value) in &reply.headers {
                    response.push_str(&format!("{name}: {value}\r\n"));
                }
                response.push_str("\r\n");
                response.push_str(&reply.body);
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            }
        });
        Scripted { base_url, requests }
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}
