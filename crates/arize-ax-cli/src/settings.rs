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

use std::io::Read;
use std::path::Path;

use arize_ax::{ClientBuilder, env};

use crate::args::ApiArgs;
use crate::failure::{Failure, exit};
use crate::profiles::{Auth, Profile, ROUTING, Source, load, region_id, selected};

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
    use crate::profiles::*;

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
