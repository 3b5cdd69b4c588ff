//! The `arize-ax` binary against the fake server (one test binary).

mod commands;
mod misc;
mod spec;
mod support;
