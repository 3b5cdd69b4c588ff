//! Facade tests against httpmock and a scripted server (one test binary).

mod support;

mod api_keys;
mod coverage;
mod dataframe;
mod end_to_end;
mod errors;
mod fuzz;
mod layering;
mod objects;
mod resolution;
mod retries;
mod roles;
mod short_pages;
mod sparse;
mod tls;
mod validation;
mod warning;
mod wire;
