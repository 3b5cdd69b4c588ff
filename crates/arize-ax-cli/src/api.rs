//! The facade client of the commands that call the API, from the API
//! flags, the environment and the `ax` profile.

use crate::args::{ApiArgs, Global};
use crate::failure::Failure;
use crate::settings::{self, Key};

/// The facade client from the API flags, the environment and the profile
/// (see [`crate::settings`]).
pub fn client(api: &ApiArgs, global: &Global) -> Result<arize_ax::Client, Failure> {
    let resolved = settings::resolve(api)?;
    let mut builder = resolved.builder;
    match resolved.key {
        Key::Given(..) => {}
        Key::OAuth(profile) => return Err(settings::oauth_failure(&profile)),
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
