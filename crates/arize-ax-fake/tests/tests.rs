//! The fake server over HTTP, and the facade against it end to end.

mod e2e;
mod http;
mod persistence;
