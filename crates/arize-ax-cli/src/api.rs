//! The facade client of the commands that call the API, from the
//! environment and the API flags.

use std::io::Read;
use std::path::Path;

use crate::Failure;
use crate::cli::{ApiArgs, Global};

/// The facade client from the environment, overridden by the API flags.
pub fn client(api: &ApiArgs, global: &Global) -> Result<arize_ax::Client, Failure> {
    let mut builder = arize_ax::ClientBuilder::from_env();
    let key = match (&api.api_key, &api.api_key_file) {
        (Some(key), _) => Some(key.clone()),
        (None, Some(path)) => Some(read_key(path)?),
        (None, None) => None,
    };
    let has_key = key.is_some() || std::env::var_os("ARIZE_API_KEY").is_some();
    if let Some(key) = key {
        builder = builder.api_key(key);
    }
    if let Some(region) = &api.region {
        builder = builder.region(region.as_str());
    }
    if let Some(url) = &api.base_url {
        builder = builder.base_url(url.as_str());
    }
    if let Some(timeout) = api.timeout {
        builder = builder.timeout(timeout);
    }
    if global.quiet {
        builder = builder.prerelease_warning(false);
    }
    builder.build().map_err(|e| {
        if has_key {
            Failure::from(e)
        } else {
            Failure::usage(
                "no API key. Set ARIZE_API_KEY (in Arize: Settings > API Keys), e.g.\n  \
                 export ARIZE_API_KEY=...\nor pass --api-key-file. To try arize-ax without an account, run `arize-ax demo`.",
            )
        }
    })
}

/// The first line of a key file (or of stdin for `-`), without its line end.
fn read_key(path: &Path) -> Result<String, Failure> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map(drop)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text).map(drop))
    };
    read.map_err(|e| {
        Failure::usage(format!(
            "invalid --api-key-file: cannot read {}: {e}",
            path.display()
        ))
    })?;
    let key = text.lines().next().unwrap_or("").trim();
    if key.is_empty() {
        return Err(Failure::usage(format!(
            "invalid --api-key-file: {} is empty; put the API key on its first line",
            path.display()
        )));
    }
    Ok(key.to_owned())
}
