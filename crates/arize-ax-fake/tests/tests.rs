//! The fake server over HTTP, and the facade against it end to end.

mod bulk;
mod e2e;
mod http;
mod persistence;
