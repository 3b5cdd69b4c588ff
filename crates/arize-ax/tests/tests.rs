//! Facade tests against httpmock and a scripted server (one test binary).

mod support;

mod coverage;
mod errors;
mod fuzz;
mod resolution;
mod retries;
mod validation;
mod warning;
mod wire;
