//! Integration tests of the generated client (one test binary, several modules).

mod operations;
mod sparse;
mod spec;
mod transport;
