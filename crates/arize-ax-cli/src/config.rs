//! `arize-ax config`: the settings the API commands would use, each with
//! where it came from, and the `ax` profiles.

use std::io::Write;

use clap::Subcommand;

use crate::args::{ApiArgs, Global};
use crate::failure::Failure;
use crate::output::{self, Format, Record};
use crate::profiles::{Source, active_profile, home, known_profiles, profiles_dir};
use crate::settings::{Key, key_hint, resolve};

/// `arize-ax config …`
#[derive(Debug, Subcommand)]
pub enum Config {
    /// Show the endpoint, region, TLS settings, timeout, profile and key
    /// the API commands would use, each with where it came from (the key
    /// only by its source and last four characters). Sends nothing.
    Show,
    /// List the `ax` CLI's profiles (~/.arize/profiles), the active one
    /// marked.
    Profiles,
}

/// One line of `config show`.
#[derive(serde::Serialize)]
struct Setting {
    setting: &'static str,
    value: String,
    source: String,
}

impl Record for Setting {
    const COLUMNS: &'static [&'static str] = &["setting", "value", "source"];

    fn cells(&self) -> Vec<String> {
        vec![self.setting.into(), self.value.clone(), self.source.clone()]
    }
}

/// `arize-ax config show`: what the API commands would use, and where each
/// setting came from. Sends nothing; shows no more of the key than its last
/// four characters.
pub fn show(api: &ApiArgs, global: &Global, out: &mut dyn Write) -> Result<(), Failure> {
    let resolved = resolve(api)?;
    let endpoint = resolved.builder.endpoint().map_err(Failure::from)?;
    let row = |setting, value: String, source: &Source| Setting {
        setting,
        value,
        source: source.to_string(),
    };
    let (profile_value, profile_source) = match &resolved.profile {
        Some((p, why)) => (
            format!("{} ({})", p.name, p.path.display()),
            match why {
                Source::Profile(_) => "~/.arize/.active_profile".to_owned(),
                other => other.to_string(),
            },
        ),
        None => ("(none)".to_owned(), Source::Default.to_string()),
    };
    let (key_value, key_source) = match &resolved.key {
        Key::Given(key, source) => (key_hint(key), source.clone()),
        Key::OAuth(name) => (
            "(none: the profile signs in with OAuth, which arize-ax cannot use)".to_owned(),
            Source::Profile(name.clone()),
        ),
        Key::None => ("(none)".to_owned(), Source::Default),
    };
    let mut rows = vec![
        Setting {
            setting: "profile",
            value: profile_value,
            source: profile_source,
        },
        row("endpoint", endpoint.to_string(), &resolved.endpoint_source),
    ];
    rows.push(match &resolved.region {
        Some((region, source)) => row("region", region.clone(), source),
        None => row("region", "(none)".into(), &Source::Default),
    });
    rows.push(row(
        "tls_verify",
        resolved.verify.0.clone(),
        &resolved.verify.1,
    ));
    rows.push(match &resolved.ca_cert {
        Some((path, source)) => row("ca_cert", path.clone(), source),
        None => row("ca_cert", "(system roots)".into(), &Source::Default),
    });
    rows.push(match &resolved.proxy {
        Some(source) => row("proxy", "(set; not shown)".into(), source),
        None => row("proxy", "(none)".into(), &Source::Default),
    });
    rows.push(row(
        "timeout",
        format!("{}s", resolved.timeout.0.as_secs_f64()),
        &resolved.timeout.1,
    ));
    rows.push(row("api_key", key_value, &key_source));
    output::many(out, global.format(), &rows)?;
    Ok(())
}

/// One line of `config profiles`.
#[derive(serde::Serialize)]
struct ProfileRow {
    name: String,
    active: bool,
    auth_method: String,
    path: String,
}

impl Record for ProfileRow {
    const COLUMNS: &'static [&'static str] = &["name", "active", "auth_method", "path"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            if self.active {
                "*".into()
            } else {
                String::new()
            },
            self.auth_method.clone(),
            self.path.clone(),
        ]
    }
}

/// `arize-ax config profiles`: the `ax` profiles, the active one marked.
pub fn profiles(global: &Global, out: &mut dyn Write) -> Result<(), Failure> {
    let Some(home) = home() else {
        return Err(Failure::usage("HOME is not set, so there is no ~/.arize"));
    };
    let active = active_profile(&home);
    let rows: Vec<ProfileRow> = known_profiles(&home)
        .into_iter()
        .map(|name| {
            let path = profiles_dir(&home).join(format!("{name}.toml"));
            let auth_method = std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| text.parse::<toml::Table>().ok())
                .map_or_else(
                    || "(unreadable)".to_owned(),
                    |table| {
                        table
                            .get("auth")
                            .and_then(|a| a.get("auth_method"))
                            .and_then(toml::Value::as_str)
                            .unwrap_or("api-key")
                            .to_owned()
                    },
                );
            ProfileRow {
                active: active.as_deref() == Some(name.as_str()),
                name,
                auth_method,
                path: path.display().to_string(),
            }
        })
        .collect();
    if rows.is_empty() && global.format() == Format::Table {
        eprintln!(
            "no profiles in {} (they are made by Arize's `ax profiles create`)",
            crate::terminal::printable(&profiles_dir(&home).display().to_string())
        );
        return Ok(());
    }
    output::many(out, global.format(), &rows)?;
    Ok(())
}
