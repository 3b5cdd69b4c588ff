//! Generates the Arize AX client from the checked-in OpenAPI spec.
//!
//! Output goes to `OUT_DIR` (never into git):
//! - `client.rs`: progenitor's client and types; every call runs through the
//!   hand-written transport hooks of `src/transport.rs`, and the enums the API
//!   may extend are replaced by the open types of `src/open.rs`;
//! - `operations.rs`: the table of operations (id, method, path, stage,
//!   idempotency), one typed constant per operation, and the input limits the
//!   spec declares;
//! - `httpmock.rs`: progenitor's typed httpmock helpers, with the `mock` feature.

use std::path::{Path, PathBuf};
use std::{env, fs};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

const SPEC: &str = "openapi/arize-v2-organizations.openapi.json";

/// Schemas of the spec replaced by the hand-written open types of
/// `src/open.rs` (schema name = type name), and whether the type is a name
/// (with `Display` and `FromStr`) rather than an assignment object.
const OPEN_TYPES: &[(&str, bool)] = &[
    ("OrganizationRole", true),
    ("OrganizationRoleAssignment", false),
    ("UserRole", true),
    ("UserRoleAssignment", false),
    ("UserStatus", true),
    ("InviteMode", true),
];

/// Write operations that are idempotent although their method is not: the
/// add-user POST is an upsert, and the update PATCHes set absolute values.
/// (`create_user` is keyed by email, but a repeat may lose a temporary
/// password, so only the facade, which knows the invite mode, repeats it.)
/// Every other operation's idempotency follows from its method (GET safe;
/// PUT and DELETE idempotent; POST and PATCH not).
const IDEMPOTENT_BY_DESIGN: &[&str] = &[
    "update_organization",
    "add_organization_user",
    "update_user",
];

/// The input limits the SDK validates before sending, each read from one
/// place of the spec: (constant, JSON pointer, keyword, doc).
const LIMITS: &[(&str, &str, &str, &str)] = &[
    (
        "ORGANIZATION_NAME_MIN_LEN",
        "/components/schemas/CreateOrganizationRequest/properties/name",
        "minLength",
        "Shortest organization name.",
    ),
    (
        "ORGANIZATION_NAME_MAX_LEN",
        "/components/schemas/CreateOrganizationRequest/properties/name",
        "maxLength",
        "Longest organization name, in characters.",
    ),
    (
        "ORGANIZATION_DESCRIPTION_MAX_LEN",
        "/components/schemas/CreateOrganizationRequest/properties/description",
        "maxLength",
        "Longest organization description, in characters.",
    ),
    (
        "USER_NAME_MAX_LEN",
        "/components/schemas/CreateUserRequest/properties/name",
        "maxLength",
        "Longest user display name, in characters.",
    ),
    (
        "NAME_FILTER_MAX_LEN",
        "/components/parameters/NameSearchQueryParam/schema",
        "maxLength",
        "Longest `name` filter of `list_organizations`.",
    ),
    (
        "EMAIL_FILTER_MAX_LEN",
        "/components/parameters/EmailSearchQueryParam/schema",
        "maxLength",
        "Longest `email` filter of `list_users`.",
    ),
    (
        "PAGE_LIMIT_MIN",
        "/components/parameters/LimitQueryParamMax100/schema",
        "minimum",
        "Smallest page size (`limit`).",
    ),
    (
        "PAGE_LIMIT_MAX",
        "/components/parameters/LimitQueryParamMax100/schema",
        "maximum",
        "Largest page size (`limit`).",
    ),
];

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
    // The compiler version, for the `language-version` identity header.
    println!("cargo:rustc-env=ARIZE_AX_RUSTC_VERSION={}", rustc_version());

    let text =
        fs::read_to_string(SPEC).unwrap_or_else(|e| fail(&format!("cannot read {SPEC}: {e}")));
    let raw: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| fail(&format!("{SPEC} is not valid JSON: {e}")));
    let spec: openapiv3::OpenAPI = serde_json::from_value(raw.clone())
        .unwrap_or_else(|e| fail(&format!("{SPEC} is not a valid OpenAPI 3.0 document: {e}")));

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // The transport policy (path encoding, identity headers, timeout,
        // retries, error-body normalisation) is `impl ClientHooks for Client`
        // in src/transport.rs; the client carries its settings.
        .with_inner_type(quote_path("crate::transport::Transport"))
        .with_hooks(HooksMode::Expected);
    // Values Arize may add to (role names, statuses, kinds of role
    // assignment) decode into open types instead of failing the call.
    for (schema, is_name) in OPEN_TYPES {
        let impls = if *is_name {
            vec![TypeImpl::Display, TypeImpl::FromStr]
        } else {
            Vec::new()
        };
        settings.with_replacement(schema, format!("crate::open::{schema}"), impls.into_iter());
    }
    // A `format: password` string (the temporary password of a new user) is
    // `crate::open::Secret`, whose `Debug` never shows it.
    settings.with_conversion(
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("password".into()),
            ..Default::default()
        },
        "crate::open::Secret",
        std::iter::empty(),
    );
    let mut generator = Generator::new(&settings);

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    let tokens = generator.generate_tokens(&spec).unwrap_or_else(|e| {
        fail(&format!(
            "progenitor cannot generate a client from {SPEC}: {e}"
        ))
    });
    write_formatted(&out_dir.join("client.rs"), tokens);

    if env::var_os("CARGO_FEATURE_MOCK").is_some() {
        let tokens = generator.httpmock(&spec, "crate").unwrap_or_else(|e| {
            fail(&format!(
                "progenitor cannot generate httpmock helpers from {SPEC}: {e}"
            ))
        });
        write_formatted_with(
            &out_dir.join("httpmock.rs"),
            tokens,
            repeat_array_query_params,
        );
    }

    let generated = format!("{}\n{}", operations_table(&raw), limits(&raw));
    fs::write(out_dir.join("operations.rs"), generated)
        .unwrap_or_else(|e| fail(&format!("cannot write operations.rs: {e}")));
}

fn rustc_version() -> String {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

fn quote_path(path: &str) -> proc_macro2::TokenStream {
    path.parse().expect("a valid Rust path")
}

fn write_formatted(path: &Path, tokens: proc_macro2::TokenStream) {
    write_formatted_with(path, tokens, |text| text);
}

fn write_formatted_with(path: &Path, tokens: proc_macro2::TokenStream, fix: fn(String) -> String) {
    let file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| {
        fail(&format!(
            "generated code for {} does not parse: {e}",
            path.display()
        ))
    });
    fs::write(path, fix(prettyplease::unparse(&file)))
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
}

/// progenitor 0.15's httpmock generator matches an array query parameter
/// (`list_users`' repeatable `status`) with `value.to_string()`, which does
/// not compile for a `Vec`. Rewrite that one call so each element becomes its
/// own `status=` matcher, the way the client sends them (form style, exploded).
/// When progenitor stops emitting the pattern this is a no-op.
fn repeat_array_query_params(text: String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("pub fn ") {
        let next = rest[start + 7..]
            .find("pub fn ")
            .map_or(rest.len(), |i| start + 7 + i);
        let (before, chunk) = rest[..next].split_at(start);
        out.push_str(before);
        if chunk.contains("::std::vec::Vec<") {
            out.push_str(&rewrite_to_string_call(chunk));
        } else {
            out.push_str(chunk);
        }
        rest = &rest[next..];
    }
    out.push_str(rest);
    out
}

fn rewrite_to_string_call(chunk: &str) -> String {
    const OPEN: &str = "Self(self.0.query_param(";
    const CLOSE: &str = ", value.to_string()))";
    let Some(open) = chunk.find(OPEN) else {
        return chunk.to_owned();
    };
    let Some(close) = chunk[open..].find(CLOSE).map(|i| open + i) else {
        return chunk.to_owned();
    };
    let name = &chunk[open + OPEN.len()..close];
    format!(
        "{}Self(value.iter().fold(self.0, |when, v| when.query_param({name}, v.to_string()))){}",
        &chunk[..open],
        &chunk[close + CLOSE.len()..]
    )
}

/// Renders `OPERATIONS` (one entry per operation, in document order, with
/// the `x-stage` extension (alpha/beta/stable) that drives the facade's
/// pre-release warning and the idempotency that drives retries) and one
/// constant per operation in `ops`, named after its `operationId`, so a
/// renamed or removed operation fails the build where it is used.
fn operations_table(spec: &serde_json::Value) -> String {
    let mut consts = String::new();
    let mut names = Vec::new();
    let paths = spec["paths"]
        .as_object()
        .unwrap_or_else(|| fail(&format!("{SPEC}: `paths` is not an object")));
    for (path, item) in paths {
        let item = item
            .as_object()
            .unwrap_or_else(|| fail(&format!("{SPEC}: path item {path} is not an object")));
        for (method, op) in item {
            if ![
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                continue;
            }
            let id = op["operationId"].as_str().unwrap_or_else(|| {
                fail(&format!(
                    "{SPEC}: {} {path} has no operationId",
                    method.to_uppercase()
                ))
            });
            let stage = match op.get("x-stage").and_then(|s| s.as_str()) {
                Some("alpha") => "Alpha",
                Some("beta") => "Beta",
                Some("stable") | None => "Stable",
                Some(other) => fail(&format!(
                    "{SPEC}: operation {id} has x-stage `{other}`; expected alpha, beta or stable"
                )),
            };
            let idempotency = match method.as_str() {
                "get" | "head" | "options" | "trace" => "Safe",
                "put" | "delete" => "Idempotent",
                _ if IDEMPOTENT_BY_DESIGN.contains(&id) => "Idempotent",
                _ => "NotIdempotent",
            };
            let name = id.to_uppercase();
            consts.push_str(&format!(
                "    /// `{method} {path}`\n    pub const {name}: &Operation = &Operation {{ id: {id:?}, method: {:?}, path: {path:?}, stage: Stage::{stage}, idempotency: Idempotency::{idempotency} }};\n",
                method.to_uppercase(),
                method = method.to_uppercase(),
            ));
            names.push(name);
        }
    }
    for id in IDEMPOTENT_BY_DESIGN {
        if !names.contains(&id.to_uppercase()) {
            fail(&format!(
                "build.rs lists `{id}` as idempotent by design, but {SPEC} has no such operation"
            ));
        }
    }
    let rows: String = names.iter().map(|n| format!("    *ops::{n},\n")).collect();
    format!(
        "/// One constant per operation of the embedded spec, named after its `operationId`.\npub mod ops {{\n    use super::{{Idempotency, Operation, Stage}};\n{consts}}}\n\n/// Every operation in the embedded spec, in document order.\npub const OPERATIONS: &[Operation] = &[\n{rows}];\n"
    )
}

/// Renders `limits`: each constant of [`LIMITS`], read from the spec.
fn limits(spec: &serde_json::Value) -> String {
    let mut out = String::from(
        "/// Input limits declared by the embedded spec, validated by the SDK before sending.\npub mod limits {\n",
    );
    for (name, pointer, keyword, doc) in LIMITS {
        let value = spec
            .pointer(pointer)
            .and_then(|schema| schema.get(keyword))
            .and_then(serde_json::Value::as_u64)
            .unwrap_or_else(|| {
                fail(&format!(
                    "{SPEC}: no integer `{keyword}` at {pointer}; the SDK validates {name} from it \
                     (update LIMITS in build.rs and the code that uses {name})"
                ))
            });
        let ty = if name.starts_with("PAGE_") {
            "u32"
        } else {
            "usize"
        };
        out.push_str(&format!(
            "    /// {doc} (spec: `{pointer}` `{keyword}`)\n    pub const {name}: {ty} = {value};\n"
        ));
    }
    out.push_str("}\n");
    out
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    panic!("arize-ax-api build script: {message}");
}
