//! The facade client of the commands that call the API, from the API
//! flags, the environment and the `ax` profile.

use std::io::Read;
use std::path::Path;

use crate::Failure;
use crate::cli::{ApiArgs, Global};
use crate::config::{self, Key};

/// The facade client from the API flags, the environment and the profile
/// (see [`crate::config`]).
pub fn client(api: &ApiArgs, global: &Global) -> Result<arize_ax::Client, Failure> {
    let resolved = config::resolve(api)?;
    let mut builder = resolved.builder;
    match resolved.key {
        Key::Given(..) => {}
        Key::OAuth(profile) => return Err(config::oauth_failure(&profile)),
        Key::None => {
            return Err(Failure::usage(
                "no API key. Set ARIZE_API_KEY (in Arize: Settings > API Keys), e.g.\n  \
                 export ARIZE_API_KEY=...\nor pass --api-key-file, or use an `ax` profile that \
                 has one (--profile NAME). To try arize-ax without an account, run `arize-ax demo`.",
            ));
        }
    }
    if global.quiet {
        builder = builder.prerelease_warning(false);
    }
    builder.build().map_err(Failure::from)
}

/// The first line of a key file (or of stdin for `-`), without its line end.
pub fn read_key(path: &Path) -> Result<String, Failure> {
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
