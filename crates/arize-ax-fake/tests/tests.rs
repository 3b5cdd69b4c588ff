//! The fake server over HTTP, and the facade against it end to end.

mod bad_input;
mod bulk;
mod e2e;
mod faults;
mod http;
mod lifecycle;
mod lost_answers;
mod persistence;
mod security;
mod users;
