//! The profiles of Arize's own `ax` CLI, read (never written):
//! `~/.arize/profiles/<name>.toml`, the active one named in
//! `~/.arize/.active_profile`; which one applies, and their values as the
//! variables they stand in for.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use arize_ax::env;

use crate::failure::Failure;

/// The variable that names the `ax` profile to use (as the `ax` CLI reads it).
pub const PROFILE_VAR: &str = "ARIZE_PROFILE";

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A profile, by name.
    Profile(String),
    /// Nothing set it.
    Default,
    /// Several, each for a part (a host and a port, say).
    Combined(Vec<Source>),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(var) => write!(f, "variable {var}"),
            Source::Profile(name) => write!(f, "profile {name}"),
            Source::Default => f.write_str("default"),
            Source::Combined(all) => {
                let parts: Vec<String> = all.iter().map(ToString::to_string).collect();
                f.write_str(&parts.join(" + "))
            }
        }
    }
}

/// The region aliases `ax` accepts.
const REGION_ALIASES: &[(&str, &str)] = &[
    ("US", "us-east-1b"),
    ("EU", "eu-west-1a"),
    ("CA", "ca-central-1a"),
];

/// A region ID, with `ax`'s aliases (any case) turned into IDs.
pub fn region_id(text: &str) -> String {
    let text = text.trim();
    REGION_ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(text))
        .map_or_else(|| text.to_owned(), |(_, id)| (*id).to_owned())
}

/// How a profile signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `auth_method = "api-key"` (or no method): the key, if the file has one.
    ApiKey(Option<String>),
    /// `auth_method = "oauth"`: tokens this tool cannot use.
    OAuth,
}

/// One `ax` profile, read and checked.
#[derive(Clone)]
pub struct Profile {
    pub name: String,
    pub path: PathBuf,
    pub auth: Auth,
    /// Values by the variable they stand for (`ARIZE_REGION`, …).
    pub values: BTreeMap<&'static str, String>,
    /// Values that could not be read, by the variable they stand for (or
    /// `routing`): an error only for a command that uses them.
    pub problems: BTreeMap<&'static str, String>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match self.auth {
            Auth::ApiKey(Some(_)) => "api-key (set)",
            Auth::ApiKey(None) => "api-key (none)",
            Auth::OAuth => "oauth",
        };
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("auth", &auth)
            .field("values", &self.values)
            .finish()
    }
}

/// The home directory, from `HOME`.
pub fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

pub(crate) fn profiles_dir(home: &Path) -> PathBuf {
    home.join(".arize").join("profiles")
}

/// The names of the profiles in `~/.arize/profiles`, sorted.
pub fn known_profiles(home: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(profiles_dir(home)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".toml")?;
            valid_name(stem).then(|| stem.to_owned())
        })
        .collect();
    names.sort();
    names
}

/// The active profile's name, from `~/.arize/.active_profile`.
pub fn active_profile(home: &Path) -> Option<String> {
    let text = std::fs::read_to_string(home.join(".arize").join(".active_profile")).ok()?;
    let name = text.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// A profile name that names a file in the profiles folder and nothing
/// else: letters, digits, `-`, `_` and `.`, not starting with `.`.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Which profile applies, and why: `--profile`, `ARIZE_PROFILE`, the active
/// profile, or none.
pub fn selected(flag: Option<&str>) -> Option<(String, Source)> {
    if let Some(name) = flag {
        return Some((name.to_owned(), Source::Flag("--profile")));
    }
    if let Some(name) = std::env::var(PROFILE_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        return Some((name.trim().to_owned(), Source::Env(PROFILE_VAR)));
    }
    let home = home()?;
    active_profile(&home).map(|name| {
        (
            name,
            Source::Profile("active (~/.arize/.active_profile)".into()),
        )
    })
}

fn unknown_profile(name: &str, why: &Source, home: &Path) -> Failure {
    let known = known_profiles(home);
    let list = if known.is_empty() {
        format!("there are none in {}", profiles_dir(home).display())
    } else {
        format!("known profiles: {}", known.join(", "))
    };
    Failure::usage(format!(
        "no profile named {name:?} (chosen by {}); {list}",
        describe_choice(why)
    ))
}

fn describe_choice(why: &Source) -> String {
    match why {
        Source::Profile(_) => "~/.arize/.active_profile".into(),
        other => other.to_string(),
    }
}

/// Loads the profile `name`, chosen by `why`.
pub fn load(name: &str, why: &Source) -> Result<Profile, Failure> {
    let Some(home) = home() else {
        return Err(Failure::usage(format!(
            "profile {name:?} was asked for, but HOME is not set, so there is no ~/.arize"
        )));
    };
    if !valid_name(name) {
        return Err(Failure::usage(format!(
            "invalid profile name {name:?} (chosen by {}): use letters, digits, -, _ and . \
             (not first)",
            describe_choice(why)
        )));
    }
    let path = profiles_dir(&home).join(format!("{name}.toml"));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(unknown_profile(name, why, &home));
        }
        Err(e) => {
            return Err(Failure::usage(format!(
                "cannot read profile {name:?} ({}): {e}",
                path.display()
            )));
        }
    };
    warn_if_readable_by_others(&path);
    parse(name, &path, &text, &|var| std::env::var(var).ok())
}

/// Like ssh: a key file others can read is worth a warning.
fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                eprintln!(
                    "warning: profile {} is readable by others (mode {mode:03o}); it may hold an \
                     API key: chmod 600 it",
                    crate::terminal::printable(&path.display().to_string())
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Parses a profile's text. `env` reads the variables `${VAR}` names.
///
/// A file that is not TOML is an error at once; a value that cannot be used
/// (an unset variable, a bad region) is kept as a problem and only fails a
/// command that would use it, so a flag or variable that wins over it makes
/// it harmless.
pub fn parse(
    name: &str,
    path: &Path,
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Profile, Failure> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        // The parser's message may quote the text, and the text may be a
        // key: only the line is named.
        let line = e.span().map_or(0, |span| {
            text[..span.start.min(text.len())].matches('\n').count() + 1
        });
        Failure::usage(format!(
            "profile {name:?} ({}): not valid TOML (line {line})",
            path.display()
        ))
    })?;
    let problems = std::cell::RefCell::new(BTreeMap::new());
    let get = |section: &str, key: &str, var: &'static str| -> Option<String> {
        let value = table.get(section).and_then(|s| s.get(key))?;
        let text = match value {
            toml::Value::String(s) => match expand(s, env) {
                Ok(text) => text,
                Err(missing) => {
                    problems.borrow_mut().insert(
                        var,
                        format!(
                            "[{section}] {key} uses ${{{missing}}}, which is not set (give a \
                             default with ${{{missing}:default}})"
                        ),
                    );
                    return None;
                }
            },
            toml::Value::Integer(n) if key != "api_key" => n.to_string(),
            toml::Value::Boolean(b) if key != "api_key" => b.to_string(),
            _ => {
                problems
                    .borrow_mut()
                    .insert(var, format!("[{section}] {key} must be a string"));
                return None;
            }
        };
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    };
    let legacy_oauth = table
        .get("auth")
        .and_then(|a| a.get("oauth"))
        .is_some_and(toml::Value::is_table);
    let method = get("auth", "auth_method", "auth_method");
    let auth = match method.as_deref() {
        None if legacy_oauth => Auth::OAuth,
        None | Some("api-key" | "api_key" | "apikey") => {
            Auth::ApiKey(get("auth", "api_key", env::API_KEY))
        }
        Some(m) if m.eq_ignore_ascii_case("oauth") => Auth::OAuth,
        Some(other) => {
            problems.borrow_mut().insert(
                env::API_KEY,
                format!("[auth] auth_method {other:?} is not api-key or oauth"),
            );
            Auth::ApiKey(None)
        }
    };
    let mut values = BTreeMap::new();
    let region = get("routing", "region", env::REGION).map(|r| region_id(&r));
    if let Some(bad) = region
        .as_ref()
        .filter(|r| !arize_ax::REGIONS.contains(&r.as_str()))
    {
        problems.borrow_mut().insert(
            env::REGION,
            format!(
                "[routing] region {bad:?} is not a known region; use one of {} (or US, EU, CA)",
                arize_ax::REGIONS.join(", ")
            ),
        );
    }
    let single_host = get("routing", "single_host", env::SINGLE_HOST);
    let single_port = get("routing", "single_port", env::SINGLE_PORT);
    let base_domain = get("routing", "base_domain", env::BASE_DOMAIN);
    let mut api_host = get("routing", "api_host", env::API_HOST);
    let chosen: Vec<&str> = [
        ("region", region.is_some()),
        (
            "single_host",
            single_host.is_some() || single_port.is_some(),
        ),
        ("base_domain", base_domain.is_some()),
    ]
    .into_iter()
    .filter_map(|(key, set)| set.then_some(key))
    .collect();
    if chosen.len() > 1 {
        problems.borrow_mut().insert(
            ROUTING,
            format!(
                "[routing] {} are mutually exclusive; keep one",
                chosen.join(" and ")
            ),
        );
    }
    if single_port.is_some() && single_host.is_none() {
        problems
            .borrow_mut()
            .insert(ROUTING, "[routing] single_port needs single_host".into());
    }
    // `ax` writes its default host beside a region; only another host is a
    // choice (and then it wins, as ARIZE_API_HOST does).
    if api_host.as_deref() == Some(arize_ax::DEFAULT_HOST) && !chosen.is_empty() {
        api_host = None;
    }
    let verify = get("security", "request_verify", env::REQUEST_VERIFY).and_then(|v| {
        match v.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => Some("true".to_owned()),
            "false" | "no" | "0" | "off" => Some("false".to_owned()),
            _ => {
                problems.borrow_mut().insert(
                    env::REQUEST_VERIFY,
                    format!("[security] request_verify must be true or false (got {v:?})"),
                );
                None
            }
        }
    });
    for (var, value) in [
        (env::REGION, region),
        (env::SINGLE_HOST, single_host),
        (env::SINGLE_PORT, single_port),
        (env::BASE_DOMAIN, base_domain),
        (env::API_HOST, api_host),
        (
            env::API_SCHEME,
            get("routing", "api_scheme", env::API_SCHEME),
        ),
        (env::REQUEST_VERIFY, verify),
    ] {
        if let Some(value) = value {
            values.insert(var, value);
        }
    }
    Ok(Profile {
        name: name.to_owned(),
        path: path.to_owned(),
        auth,
        values,
        problems: problems.into_inner(),
    })
}

/// The problem key of the routing section as a whole.
pub(crate) const ROUTING: &str = "routing";

impl Profile {
    /// Fails when a value this command uses could not be read: `vars` are
    /// the variables the profile stands in for here.
    pub(crate) fn check(&self, vars: &[&str]) -> Result<(), Failure> {
        match vars.iter().find_map(|v| self.problems.get(v)) {
            None => Ok(()),
            Some(problem) => Err(Failure::usage(format!(
                "profile {:?} ({}): {problem}",
                self.name,
                self.path.display()
            ))),
        }
    }
}

/// Replaces `${VAR}` and `${VAR:default}` in `text`; the error is the name
/// of a variable that is unset and has no default. Text without `${` is
/// kept as it is.
pub fn expand(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            // No closing brace: literal text.
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let inner = &after[..end];
        let (var, default) = match inner.split_once(':') {
            Some((var, default)) => (var, Some(default)),
            None => (inner, None),
        };
        let identifier = var
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !identifier {
            // Not a variable reference (`${}`, or a key typed in braces):
            // kept as text, never quoted in an error.
            out.push_str(&rest[start..start + 2 + end + 1]);
            rest = &after[end + 1..];
            continue;
        }
        match (env(var), default) {
            (Some(value), _) => out.push_str(&value),
            (None, Some(default)) => out.push_str(default),
            (None, None) => return Err(var.to_owned()),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
