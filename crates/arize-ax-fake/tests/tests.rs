//! The fake server over HTTP (the facade against it: the facade crate's
//! `end_to_end` tests).

mod http;
mod persistence;
