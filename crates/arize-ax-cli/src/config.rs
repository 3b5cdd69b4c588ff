//! Where the settings of the commands that call the API come from: the API
//! flags, the `ARIZE_*` variables, and the profiles of Arize's own `ax` CLI
//! (read, never written), in that order of precedence; then the defaults.
//!
//! A profile is `~/.arize/profiles/<name>.toml`; the active one is named in
//! `~/.arize/.active_profile`. Which profile: `--profile NAME`, else
//! `ARIZE_PROFILE`, else the active one, else none. Its values stand in for
//! the variables of the same meaning (`[auth] api_key` for `ARIZE_API_KEY`,
//! `[routing] region` for `ARIZE_REGION`, …), so one set of rules checks
//! them all. The endpoint is one choice: when any endpoint variable is set
//! (`ARIZE_REGION`, `ARIZE_SINGLE_HOST`, `ARIZE_BASE_DOMAIN`,
//! `ARIZE_API_HOST`), the profile's routing is not used.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use arize_ax::{ClientBuilder, env};

/// The variable that names the `ax` profile to use (as the `ax` CLI reads it).
pub const PROFILE_VAR: &str = "ARIZE_PROFILE";

use std::io::{Read, Write};

use crate::args::{ApiArgs, Global};
use crate::failure::Failure;
use crate::failure::exit;
use crate::output::{self, Format, Record};
use clap::Subcommand;

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

fn profiles_dir(home: &Path) -> PathBuf {
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
fn valid_name(name: &str) -> bool {
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
const ROUTING: &str = "routing";

impl Profile {
    /// Fails when a value this command uses could not be read: `vars` are
    /// the variables the profile stands in for here.
    fn check(&self, vars: &[&str]) -> Result<(), Failure> {
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

/// The API key, and where it came from.
pub enum Key {
    Given(String, Source),
    /// The profile signs in with OAuth and nothing else gave a key.
    OAuth(String),
    None,
}

/// Every setting the commands that call the API use, resolved.
pub struct Resolved {
    /// The client's settings (the key included, when there is one).
    pub builder: ClientBuilder,
    pub key: Key,
    pub profile: Option<(Profile, Source)>,
    /// Where the endpoint came from.
    pub endpoint_source: Source,
    pub region: Option<(String, Source)>,
    pub verify: (String, Source),
    pub ca_cert: Option<(String, Source)>,
    pub proxy: Option<Source>,
    pub timeout: (std::time::Duration, Source),
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The variables that choose the API host, in the order the client lets
/// them win.
const HOST_VARS: &[&str] = &[
    env::API_HOST,
    env::SINGLE_HOST,
    env::REGION,
    env::BASE_DOMAIN,
];

/// Everything the routing of a profile stands in for.
const ROUTING_VARS: &[&str] = &[
    env::API_HOST,
    env::SINGLE_HOST,
    env::REGION,
    env::BASE_DOMAIN,
    env::SINGLE_PORT,
    env::API_PORT,
    env::API_SCHEME,
];

/// Resolves flags, variables and the profile into a client's settings.
///
/// The endpoint is one choice: `--base-url`, else `--region`, else a host
/// variable (`ARIZE_API_HOST`, `ARIZE_SINGLE_HOST`, `ARIZE_REGION`,
/// `ARIZE_BASE_DOMAIN`), else the profile's routing, else the default. When
/// a flag or a host variable chooses, nothing of the profile's routing is
/// used (not its scheme, not its port); the scheme and port variables apply
/// to whichever host wins.
pub fn resolve(api: &ApiArgs) -> Result<Resolved, Failure> {
    let profile = match selected(api.profile.as_deref()) {
        Some((name, why)) => Some((load(&name, &why)?, why)),
        None => None,
    };
    let env_host = HOST_VARS.iter().copied().find(|v| env(v).is_some());
    let profile_routing = profile.as_ref().is_some_and(|(p, _)| {
        env_host.is_none()
            && api.region.is_none()
            && api.base_url.is_none()
            && (ROUTING_VARS.iter().any(|v| p.values.contains_key(v))
                || p.problems.contains_key(ROUTING)
                || ROUTING_VARS.iter().any(|v| p.problems.contains_key(v)))
    });
    if let (true, Some((p, _))) = (profile_routing, &profile) {
        p.check(&[ROUTING])?;
        p.check(ROUTING_VARS)?;
    }
    let from_profile = |var: &str| {
        profile
            .as_ref()
            .and_then(|(p, _)| p.values.get(var).cloned())
    };
    let layered = |var: &str| -> Option<String> {
        if let Some(value) = env(var) {
            return Some(value);
        }
        if var == env::API_KEY || (ROUTING_VARS.contains(&var) && !profile_routing) {
            return None;
        }
        from_profile(var)
    };
    let mut builder = ClientBuilder::from_lookup(layered);
    let profile_source = || {
        profile
            .as_ref()
            .map_or(Source::Default, |(p, _)| Source::Profile(p.name.clone()))
    };

    // The key: flag, variable, profile.
    let key = match (&api.api_key, &api.api_key_file) {
        (Some(key), _) => Key::Given(key.clone(), Source::Flag("--api-key")),
        (None, Some(path)) => Key::Given(read_key(path)?, Source::Flag("--api-key-file")),
        (None, None) => match (env(env::API_KEY), &profile) {
            (Some(key), _) => Key::Given(key, Source::Env(env::API_KEY)),
            (None, Some((p, _))) => match &p.auth {
                Auth::ApiKey(key) => {
                    p.check(&[env::API_KEY])?;
                    match key {
                        Some(key) => Key::Given(key.clone(), profile_source()),
                        None => Key::None,
                    }
                }
                Auth::OAuth => Key::OAuth(p.name.clone()),
            },
            (None, None) => Key::None,
        },
    };
    if let Key::Given(key, _) = &key {
        builder = builder.api_key(key.as_str());
    }

    // The endpoint, and the region when a region chose it.
    let port_vars: Vec<Source> = [env::API_SCHEME, env::API_PORT, env::SINGLE_PORT]
        .into_iter()
        .filter(|v| env(v).is_some())
        .map(Source::Env)
        .collect();
    let with_ports = |main: Source| {
        if port_vars.is_empty() {
            main
        } else {
            let mut all = vec![main];
            all.extend(port_vars.iter().cloned());
            Source::Combined(all)
        }
    };
    let (mut endpoint_source, mut region) = match (env_host, profile_routing) {
        (Some(var), _) => (
            with_ports(Source::Env(var)),
            (var == env::REGION)
                .then(|| env(var).map(|r| (r, Source::Env(var))))
                .flatten(),
        ),
        (None, true) => {
            let by_region = ![env::API_HOST, env::SINGLE_HOST]
                .iter()
                .any(|v| from_profile(v).is_some());
            (
                with_ports(profile_source()),
                from_profile(env::REGION)
                    .filter(|_| by_region)
                    .map(|r| (r, profile_source())),
            )
        }
        (None, false) if !port_vars.is_empty() => (Source::Combined(port_vars.clone()), None),
        (None, false) => (Source::Default, None),
    };
    if let Some(flag) = &api.region {
        let id = region_id(flag);
        builder = builder.region(id.as_str());
        region = Some((id, Source::Flag("--region")));
        endpoint_source = with_ports(Source::Flag("--region"));
    }
    if let Some(url) = &api.base_url {
        builder = builder.base_url(url.as_str());
        endpoint_source = Source::Flag("--base-url");
        region = None;
    }

    let verify = match (env(env::REQUEST_VERIFY), &profile) {
        (Some(v), _) => (v, Source::Env(env::REQUEST_VERIFY)),
        (None, Some((p, _))) => {
            p.check(&[env::REQUEST_VERIFY])?;
            match from_profile(env::REQUEST_VERIFY) {
                Some(v) => (v, profile_source()),
                None => ("true".into(), Source::Default),
            }
        }
        (None, None) => ("true".into(), Source::Default),
    };
    let ca_cert = match (env(env::SSL_CA_CERT), env(env::SSL_CERT_FILE)) {
        (Some(path), _) => Some((path, Source::Env(env::SSL_CA_CERT))),
        (None, Some(path)) => Some((path, Source::Env(env::SSL_CERT_FILE))),
        (None, None) => None,
    };
    // The HTTP client also honours the usual proxy variables.
    let proxy = [
        env::PROXY_URL,
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ]
    .into_iter()
    .find(|v| env(v).is_some())
    .map(Source::Env);
    let timeout = match api.timeout {
        Some(t) => {
            builder = builder.timeout(t);
            (t, Source::Flag("--timeout"))
        }
        None => (arize_ax::DEFAULT_TIMEOUT, Source::Default),
    };
    Ok(Resolved {
        builder,
        key,
        profile,
        endpoint_source,
        region,
        verify,
        ca_cert,
        proxy,
        timeout,
    })
}

/// What may be shown of a key: at most its last four characters, and
/// nothing of a short one.
pub fn key_hint(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 16 {
        "(set; too short to show any of it)".into()
    } else {
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("…{tail}")
    }
}

/// The exit code and message for an OAuth profile where a key is needed.
pub fn oauth_failure(profile: &str) -> Failure {
    Failure {
        code: exit::AUTH,
        error: anyhow::anyhow!(
            "profile {profile:?} signs in with OAuth, which arize-ax does not use: it needs an \
             API key. Use an API-key profile (--profile NAME), or set ARIZE_API_KEY (in Arize: \
             Settings > API Keys)"
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn variables_expand_with_and_without_defaults() {
        let env = env_of(&[("KEY", "ak-1"), ("EMPTY", "")]);
        assert_eq!(expand("${KEY}", &env).unwrap(), "ak-1");
        assert_eq!(expand("pre-${KEY}-post", &env).unwrap(), "pre-ak-1-post");
        assert_eq!(expand("${NOPE:fallback}", &env).unwrap(), "fallback");
        assert_eq!(expand("${EMPTY:d}", &env).unwrap(), "", "set, though empty");
        assert_eq!(expand("${EMPTY}", &env).unwrap(), "");
        assert_eq!(expand("${}", &env).unwrap(), "${}");
        assert_eq!(expand("${ak-secret/x}", &env).unwrap(), "${ak-secret/x}");
        assert_eq!(expand("${KEY:unused}", &env).unwrap(), "ak-1");
        assert_eq!(expand("${NOPE:}", &env).unwrap(), "");
        assert_eq!(expand("${NOPE}", &env).unwrap_err(), "NOPE");
        assert_eq!(expand("plain $KEY {x}", &env).unwrap(), "plain $KEY {x}");
        assert_eq!(expand("open ${KEY", &env).unwrap(), "open ${KEY");
        // A value is not expanded twice.
        let env = env_of(&[("A", "${B}"), ("B", "no")]);
        assert_eq!(expand("${A}", &env).unwrap(), "${B}");
    }

    fn parsed(text: &str) -> Result<Profile, String> {
        parse(
            "p",
            Path::new("/h/.arize/profiles/p.toml"),
            text,
            &env_of(&[("K", "ak-env")]),
        )
        .map_err(|f| format!("{:#}", f.error))
    }

    #[test]
    fn profiles_map_onto_the_variables() {
        let p = parsed(
            "[profile]\nname = \"p\"\n[auth]\nauth_method = \"api-key\"\napi_key = \"${K}\"\n\
             [routing]\nregion = \"EU\"\napi_host = \"api.arize.com\"\n[security]\n\
             request_verify = false\n[output]\nformat = \"json\"\n[weird]\nx = 1\n",
        )
        .unwrap();
        assert_eq!(p.auth, Auth::ApiKey(Some("ak-env".into())));
        assert_eq!(p.values["ARIZE_REGION"], "eu-west-1a");
        assert_eq!(p.values["ARIZE_REQUEST_VERIFY"], "false");
        assert!(
            !p.values.contains_key("ARIZE_API_HOST"),
            "the default host beside a region"
        );
        assert!(!format!("{p:?}").contains("ak-env"), "{p:?}");

        let p = parsed(
            "[routing]\nsingle_host = \"127.0.0.1\"\nsingle_port = 8080\napi_scheme = \"http\"\n",
        )
        .unwrap();
        assert_eq!(p.values["ARIZE_SINGLE_PORT"], "8080");
        assert_eq!(p.auth, Auth::ApiKey(None));
        assert_eq!(
            parsed("[auth]\nauth_method = \"oauth\"\n").unwrap().auth,
            Auth::OAuth
        );
    }

    #[test]
    fn bad_values_are_problems_for_the_commands_that_use_them() {
        for (text, var, needle) in [
            (
                "[routing]\nregion = \"US\"\nbase_domain = \"x.io\"\n",
                ROUTING,
                "region and base_domain are mutually exclusive",
            ),
            (
                "[routing]\nsingle_port = 1\n",
                ROUTING,
                "single_port needs single_host",
            ),
            (
                "[routing]\nregion = \"mars\"\n",
                "ARIZE_REGION",
                "\"mars\" is not a known region",
            ),
            (
                "[auth]\nauth_method = \"saml\"\n",
                "ARIZE_API_KEY",
                "not api-key or oauth",
            ),
            (
                "[auth]\napi_key = \"${UNSET_VAR}\"\n",
                "ARIZE_API_KEY",
                "${UNSET_VAR}, which is not set",
            ),
            (
                "[auth]\napi_key = [1]\n",
                "ARIZE_API_KEY",
                "must be a string",
            ),
            (
                "[auth]\napi_key = 12345678901234\n",
                "ARIZE_API_KEY",
                "must be a string",
            ),
            (
                "[security]\nrequest_verify = \"maybe\"\n",
                "ARIZE_REQUEST_VERIFY",
                "true or false",
            ),
        ] {
            let p = parsed(text).unwrap();
            let problem = p
                .problems
                .get(var)
                .unwrap_or_else(|| panic!("{text:?}: {:?}", p.problems));
            assert!(problem.contains(needle), "{text:?}: {problem}");
            let err = format!("{:#}", p.check(&[var]).unwrap_err().error);
            assert!(err.contains("p.toml") && err.contains(needle), "{err}");
            assert!(
                !err.contains("12345678901234"),
                "a key is never quoted: {err}"
            );
        }
        // Only a file that is not TOML fails at once, naming the line only.
        let err = parsed("[auth]\napi_key = \"ak-secret\"\n[auth\n").unwrap_err();
        assert!(err.contains("not valid TOML (line 3)"), "{err}");
        assert!(!err.contains("ak-secret"), "{err}");
        let err = parsed("[auth]\napi_key = 98765432109876543210987\n").unwrap_err();
        assert!(!err.contains("98765"), "{err}");
        // ax's spellings of a boolean, a key with spaces, a legacy OAuth
        // profile, a host beside a region (the host wins, as with variables).
        let p =
            parsed("[auth]\napi_key = \" ak-1 \"\n[security]\nrequest_verify = \"no\"\n").unwrap();
        assert_eq!(p.auth, Auth::ApiKey(Some("ak-1".into())));
        assert_eq!(p.values["ARIZE_REQUEST_VERIFY"], "false");
        let p = parsed("[auth.oauth]\naccess_token = \"t\"\n").unwrap();
        assert_eq!(p.auth, Auth::OAuth);
        let p = parsed("[routing]\nregion = \"EU\"\napi_host = \"h.example\"\n").unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.values["ARIZE_API_HOST"], "h.example");
    }

    #[test]
    fn names_cannot_leave_the_folder_and_aliases_map() {
        for bad in ["", "../x", "a/b", ".hidden", "a b"] {
            assert!(!valid_name(bad), "{bad:?}");
        }
        assert!(valid_name("prod-eu_2.old"));
        assert_eq!(region_id("us"), "us-east-1b");
        assert_eq!(region_id("ca-central-1a"), "ca-central-1a");
        assert_eq!(key_hint("ak-0123456789abcdef"), "…cdef");
        assert!(!key_hint("short-key").contains("key"));
    }
}
