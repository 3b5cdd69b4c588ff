//! The `arize-ax` binary against the fake server (one test binary).

mod api_keys;
mod audit;
mod bad_input;
mod commands;
mod config;
mod help;
mod layering;
mod lifecycle;
mod misc;
mod role_bindings;
mod roles;
mod spaces;
mod sparse;
mod spec;
mod support;
mod terminal;
mod users;
