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

/// String enums of the spec that Arize may extend (role names, statuses,
/// kinds, permissions). Each becomes an open type in `src/open.rs`
/// (`crate::open::<Name>`), generated from the spec's values and their
/// descriptions: a value this version does not know decodes into `Other`.
const OPEN_ENUMS: &[&str] = &[
    "OrganizationRole",
    "UserRole",
    "UserStatus",
    "InviteMode",
    "UserSpaceRole",
    "Permission",
    "RoleBindingResourceType",
    "ApiKeyType",
    "ApiKeyStatus",
    "AuditLogOperationType",
    "ResourceRestrictionType",
];

/// String enums kept closed (none today: the tags of discriminated unions
/// are one-value enums in the synced spec, see `openapi/README.md`). An
/// enum listed here is generated as a closed Rust enum.
const CLOSED_ENUMS: &[&str] = &[];

/// Discriminated unions (`oneOf` + `discriminator`) of responses, replaced by
/// the hand-written open unions of `src/open.rs`, which decode by the tag
/// (progenitor ignores discriminators; typify's untagged enum would decode a
/// CUSTOM assignment without `name` as PREDEFINED) and keep a tag this
/// version does not know in an `Other` variant.
const OPEN_UNIONS: &[&str] = &[
    "OrganizationRoleAssignment",
    "UserRoleAssignment",
    "SpaceRoleAssignment",
    "ApiKey",
    "CreateApiKeyResponse",
];

/// Discriminated unions of request bodies, left to typify: each variant
/// carries its own required tag, so the untagged enum serialises exactly
/// what the document accepts, and the client only sends kinds it knows.
const STRICT_UNIONS: &[&str] = &[
    "OrganizationRoleAssignmentRequest",
    "UserRoleAssignmentRequest",
    "SpaceRoleAssignmentRequest",
    "CreateApiKeyRequest",
];

/// Secret string properties the document types as plain strings (the
/// secrets of API keys, returned once). They are generated as
/// `crate::open::Secret`, like `format: password` strings, so `Debug` never
/// shows them; build.rs marks them `format: password` in memory (the
/// checked-in spec stays as derived).
const SECRET_FIELDS: &[(&str, &str)] = &[
    ("CreatedUserApiKey", "key"),
    ("CreatedServiceApiKey", "key"),
    ("RefreshApiKeyResponse", "key"),
];

/// Write operations that are idempotent although their method is not: the
/// add-user POST is an upsert, and the update PATCHes set absolute values.
/// (`create_user` is keyed by email, but a repeat may lose a temporary
/// password, so only the facade, which knows the invite mode, repeats it.)
/// Every other operation's idempotency follows from its method (GET safe;
/// PUT and DELETE idempotent; POST and PATCH not).
///
/// Of the operations the facade does not wrap yet: `add_space_user` is an
/// upsert like its organization twin; the update PATCHes of spaces, roles and
/// role bindings set absolute values; `create_resource_restriction` answers
/// 200 for a resource that is already restricted. `refresh_api_key` is not
/// (each call makes a new secret).
const IDEMPOTENT_BY_DESIGN: &[&str] = &[
    "update_organization",
    "add_organization_user",
    "update_user",
    "update_space",
    "add_space_user",
    "update_role",
    "update_role_binding",
    "create_resource_restriction",
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
        "SPACE_NAME_MAX_LEN",
        "/components/schemas/CreateSpaceRequest/properties/name",
        "maxLength",
        "Longest space name, in characters.",
    ),
    (
        "SPACE_DESCRIPTION_MAX_LEN",
        "/components/schemas/CreateSpaceRequest/properties/description",
        "maxLength",
        "Longest space description, in characters.",
    ),
    (
        "ROLE_NAME_MAX_LEN",
        "/components/schemas/CreateRoleRequest/properties/name",
        "maxLength",
        "Longest role name, in characters.",
    ),
    (
        "ROLE_DESCRIPTION_MAX_LEN",
        "/components/schemas/CreateRoleRequest/properties/description",
        "maxLength",
        "Longest role description, in characters.",
    ),
    (
        "API_KEY_NAME_MAX_LEN",
        "/components/schemas/CreateUserApiKeyRequest/properties/name",
        "maxLength",
        "Longest API key name, in characters.",
    ),
    (
        "API_KEY_DESCRIPTION_MAX_LEN",
        "/components/schemas/CreateUserApiKeyRequest/properties/description",
        "maxLength",
        "Longest API key description, in characters.",
    ),
    (
        "SERVICE_KEY_ORGANIZATIONS_MAX",
        "/components/schemas/CreateServiceApiKeyRequest/properties/organizations",
        "maxItems",
        "Most organizations a service key may reach.",
    ),
    (
        "REFRESH_GRACE_PERIOD_MAX_SECONDS",
        "/components/schemas/RefreshApiKeyRequest/properties/grace_period_seconds",
        "maximum",
        "Longest grace period of a refresh, in seconds.",
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
        "AUDIT_OPERATION_NAMES_MAX",
        "/components/parameters/OperationNameQueryParam/schema",
        "maxItems",
        "Most operation names one audit-log listing filters by.",
    ),
    (
        "AUDIT_OPERATION_NAME_MIN_LEN",
        "/components/parameters/OperationNameQueryParam/schema/items",
        "minLength",
        "Shortest operation name an audit-log listing filters by.",
    ),
    (
        "AUDIT_OPERATION_NAME_MAX_LEN",
        "/components/parameters/OperationNameQueryParam/schema/items",
        "maxLength",
        "Longest operation name an audit-log listing filters by, in characters.",
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
    let mut generated = raw.clone();
    for (schema, property) in SECRET_FIELDS {
        let pointer = format!("/components/schemas/{schema}/properties/{property}");
        match generated.pointer_mut(&pointer) {
            Some(serde_json::Value::Object(p)) if p.get("type") == Some(&"string".into()) => {
                p.insert("format".into(), "password".into());
            }
            _ => fail(&format!(
                "{SPEC}: SECRET_FIELDS of build.rs names {pointer}, which is not a string property"
            )),
        }
    }
    let spec: openapiv3::OpenAPI = serde_json::from_value(generated)
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
    check_unions_and_enums(&raw);
    for schema in OPEN_ENUMS {
        settings.with_replacement(
            schema,
            format!("crate::open::{schema}"),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    for schema in OPEN_UNIONS {
        settings.with_replacement(schema, format!("crate::open::{schema}"), std::iter::empty());
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
    let patches = patch_fields(&raw);
    write_client(&out_dir.join("client.rs"), tokens, &patches);
    fs::write(out_dir.join("open_enums.rs"), open_enums(&raw))
        .unwrap_or_else(|e| fail(&format!("cannot write open_enums.rs: {e}")));

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

/// Fails the build unless every string enum of the spec is classified as
/// open or closed and every discriminated union as open (responses) or
/// strict (requests), so a new one upstream is a decision, not an accident.
fn check_unions_and_enums(spec: &serde_json::Value) {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
    else {
        return;
    };
    for (name, schema) in schemas {
        let is_enum = schema.get("enum").is_some();
        let is_union = schema.get("discriminator").is_some();
        if is_enum && !OPEN_ENUMS.contains(&name.as_str()) && !CLOSED_ENUMS.contains(&name.as_str())
        {
            fail(&format!(
                "{SPEC}: enum schema `{name}` is neither in OPEN_ENUMS nor in CLOSED_ENUMS of build.rs; \
                 decide whether Arize may extend it"
            ));
        }
        if is_union
            && !OPEN_UNIONS.contains(&name.as_str())
            && !STRICT_UNIONS.contains(&name.as_str())
        {
            fail(&format!(
                "{SPEC}: discriminated union `{name}` is neither in OPEN_UNIONS (responses; add its \
                 open type to src/open.rs) nor in STRICT_UNIONS (requests) of build.rs"
            ));
        }
    }
    // Anywhere else (inline in a property, a parameter, a response, an
    // item): an enum of more than one value or a union of more than one
    // branch could not be classified, so it is refused too. (A named
    // discriminated union is checked above; a one-value enum is a tag,
    // closed by nature.)
    let mut inline = Vec::new();
    for (name, schema) in schemas {
        let is_undiscriminated_union = ["oneOf", "anyOf"].iter().any(|k| {
            schema[*k].as_array().is_some_and(|v| v.len() > 1)
                && schema.get("discriminator").is_none()
        });
        if is_undiscriminated_union {
            inline.push(format!("/components/schemas/{name}"));
        }
        for (key, child) in schema.as_object().into_iter().flatten() {
            if key != "enum" {
                find_inline(
                    child,
                    &format!("/components/schemas/{name}/{key}"),
                    &mut inline,
                );
            }
        }
    }
    find_inline(&spec["paths"], "/paths", &mut inline);
    for (section, node) in spec["components"].as_object().into_iter().flatten() {
        if section != "schemas" {
            find_inline(node, &format!("/components/{section}"), &mut inline);
        }
    }
    if let Some(place) = inline.first() {
        fail(&format!(
            "{SPEC}: {place} is an enum of several values or a union of several branches that \
             build.rs cannot classify (open or closed; only named component schemas are listed \
             in OPEN_ENUMS, CLOSED_ENUMS, OPEN_UNIONS and STRICT_UNIONS): ask for it to be named \
             upstream, or extend build.rs"
        ));
    }
    for name in OPEN_ENUMS
        .iter()
        .chain(CLOSED_ENUMS)
        .chain(OPEN_UNIONS)
        .chain(STRICT_UNIONS)
    {
        if !schemas.contains_key(*name) {
            fail(&format!(
                "build.rs names schema `{name}`, but {SPEC} has no such schema (remove it, and its open type)"
            ));
        }
    }
}

/// Collects the places of inline multi-value enums and of inline unions of
/// several branches (a discriminated union must be a named component).
fn find_inline(node: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match node {
        serde_json::Value::Object(map) => {
            if map
                .get("enum")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|v| v.len() > 1)
            {
                out.push(at.to_owned());
            }
            for key in ["oneOf", "anyOf"] {
                if map
                    .get(key)
                    .and_then(serde_json::Value::as_array)
                    .is_some_and(|v| v.len() > 1)
                {
                    out.push(at.to_owned());
                }
            }
            for (key, child) in map {
                find_inline(child, &format!("{at}/{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                find_inline(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Renders one `open_enum!` invocation per schema of [`OPEN_ENUMS`]: its
/// values in the spec's order, each documented by the line "- `VALUE`: …"
/// of the schema's description when there is one.
fn open_enums(spec: &serde_json::Value) -> String {
    let mut out = String::from(
        "// Generated by build.rs from the spec's enum schemas; see OPEN_ENUMS there.\n",
    );
    for name in OPEN_ENUMS {
        let pointer = format!("/components/schemas/{name}");
        let schema = spec
            .pointer(&pointer)
            .unwrap_or_else(|| fail(&format!("{SPEC}: no schema at {pointer}")));
        let description = schema
            .get("description")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        let values = schema
            .get("enum")
            .and_then(serde_json::Value::as_array)
            .unwrap_or_else(|| fail(&format!("{SPEC}: {pointer} has no `enum`")));
        let summary: Vec<&str> = description
            .lines()
            .take_while(|line| !line.trim_start().starts_with("- `") && !line.trim().is_empty())
            .collect();
        let summary = if summary.is_empty() {
            format!("The spec's `{name}`.")
        } else {
            summary.join(" ")
        };
        out.push_str(&format!(
            "open_enum! {{\n    #[doc = {summary:?}]\n    {name} {{\n"
        ));
        let mut seen = Vec::new();
        for value in values {
            let wire = value.as_str().unwrap_or_else(|| {
                fail(&format!(
                    "{SPEC}: {pointer} has a value that is not a string: {value}"
                ))
            });
            let variant = pascal_case(wire);
            if variant == "Other" || seen.contains(&variant) {
                fail(&format!(
                    "{SPEC}: {pointer} value `{wire}` makes the variant name `{variant}`, which is taken"
                ));
            }
            let doc = value_doc(description, wire).unwrap_or_else(|| format!("`{wire}`."));
            out.push_str(&format!(
                "        #[doc = {doc:?}]\n        {variant} = {wire:?},\n"
            ));
            seen.push(variant);
        }
        out.push_str("    }\n}\n\n");
    }
    out
}

/// The text after "- `VALUE`:" in a description, continued over the
/// indented lines that follow it, with a capital first letter.
fn value_doc(description: &str, wire: &str) -> Option<String> {
    let marker = format!("- `{wire}`:");
    let mut lines = description
        .lines()
        .skip_while(|l| !l.trim_start().starts_with(&marker));
    let first = lines.next()?.trim_start()[marker.len()..].trim().to_owned();
    let mut text = first;
    for line in lines {
        if line.trim_start().starts_with("- `") || line.trim().is_empty() || !line.starts_with(' ')
        {
            break;
        }
        text.push(' ');
        text.push_str(line.trim());
    }
    let mut chars = text.chars();
    Some(match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => text,
    })
}

/// `MEMBER_UI_ONLY` → `MemberUiOnly`; a leading digit gets a `V`.
fn pascal_case(wire: &str) -> String {
    let mut out = String::new();
    for part in wire
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// The tri-state fields of request bodies: (struct, field) for every
/// property of a request-body schema that is nullable and not required. Left
/// out keeps the value, `null` clears it, a value sets it: three states that
/// typify's `Option` cannot tell apart, so [`write_client`] types them as
/// `crate::open::Patch`.
fn patch_fields(spec: &serde_json::Value) -> Vec<(String, String)> {
    let mut bodies = Vec::new();
    for item in spec["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        for op in item.as_object().into_iter().flatten().map(|(_, o)| o) {
            let Some(body) = op.get("requestBody") else {
                continue;
            };
            let body = resolve(spec, body);
            if let Some(name) = body
                .pointer("/content/application~1json/schema/$ref")
                .and_then(serde_json::Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                && !bodies.contains(&name.to_owned())
            {
                bodies.push(name.to_owned());
            }
        }
    }
    let mut fields = Vec::new();
    for name in bodies {
        let schema = &spec["components"]["schemas"][&name];
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_str)
            .collect();
        for (property, sub) in schema["properties"].as_object().into_iter().flatten() {
            let sub = resolve(spec, sub);
            if sub.get("nullable") == Some(&serde_json::Value::Bool(true))
                && !required.contains(&property.as_str())
            {
                fields.push((name.clone(), property.clone()));
            }
        }
    }
    fields
}

fn resolve<'a>(spec: &'a serde_json::Value, node: &'a serde_json::Value) -> &'a serde_json::Value {
    node.get("$ref")
        .and_then(serde_json::Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| spec.pointer(p))
        .unwrap_or(node)
}

/// Writes progenitor's client with the tri-state fields of [`patch_fields`]
/// typed `crate::open::Patch<T>` instead of `Option<T>`, in the struct (with
/// `#[serde(default, skip_serializing_if = "…::is_keep")]`), in typify's
/// builder struct and in the builder's setter.
fn write_client(path: &Path, tokens: proc_macro2::TokenStream, patches: &[(String, String)]) {
    let mut file: syn::File = syn::parse2(tokens)
        .unwrap_or_else(|e| fail(&format!("generated client does not parse: {e}")));
    for (name, field) in patches {
        let mut done = 0;
        for item in &mut file.items {
            if let syn::Item::Mod(types) = item
                && types.ident == "types"
            {
                done += patch_in_module(types, name, field, false);
            }
        }
        if done < 3 {
            fail(&format!(
                "build.rs: could not type `{name}.{field}` as a tri-state Patch in the generated \
                 client (found {done} of its struct, builder field and setter)"
            ));
        }
    }
    fs::write(path, prettyplease::unparse(&file))
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
}

fn patch_in_module(module: &mut syn::ItemMod, name: &str, field: &str, builder: bool) -> usize {
    let mut done = 0;
    let Some((_, items)) = module.content.as_mut() else {
        return 0;
    };
    for item in items {
        match item {
            syn::Item::Mod(inner) if inner.ident == "builder" && !builder => {
                done += patch_in_module(inner, name, field, true);
            }
            syn::Item::Struct(s) if s.ident == name => {
                for f in &mut s.fields {
                    if f.ident.as_ref().is_some_and(|i| i == field) && option_to_patch(&mut f.ty) {
                        if !builder {
                            f.attrs.retain(|a| {
                                !a.path().is_ident("serde")
                                    || !quote_string(a).contains("skip_serializing_if")
                            });
                            f.attrs.push(syn::parse_quote!(
                                #[serde(default, skip_serializing_if = "crate::open::Patch::is_keep")]
                            ));
                        }
                        done += 1;
                    }
                }
            }
            syn::Item::Impl(imp) if builder && type_is(&imp.self_ty, name) => {
                for member in &mut imp.items {
                    if let syn::ImplItem::Fn(method) = member
                        && method.sig.ident == field
                        && let Some(clause) = method.sig.generics.where_clause.as_mut()
                    {
                        for predicate in &mut clause.predicates {
                            if let syn::WherePredicate::Type(bound) = predicate {
                                for b in &mut bound.bounds {
                                    if let syn::TypeParamBound::Trait(t) = b
                                        && path_option_to_patch(&mut t.path)
                                    {
                                        done += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    done
}

fn quote_string(attr: &syn::Attribute) -> String {
    match &attr.meta {
        syn::Meta::List(list) => list.tokens.to_string(),
        _ => String::new(),
    }
}

fn type_is(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// Replaces the first `Option<…>` in a type (the type itself, or inside
/// `Result<Option<…>, _>`) by `crate::open::Patch<…>`.
fn option_to_patch(ty: &mut syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) => path_option_to_patch(&mut p.path),
        _ => false,
    }
}

fn path_option_to_patch(path: &mut syn::Path) -> bool {
    if path.segments.last().is_some_and(|s| s.ident == "Option") {
        let args = path.segments.last().map(|s| s.arguments.clone());
        let mut patch: syn::Path = syn::parse_quote!(crate::open::Patch);
        if let (Some(last), Some(args)) = (patch.segments.last_mut(), args) {
            last.arguments = args;
        }
        *path = patch;
        return true;
    }
    for segment in &mut path.segments {
        if let syn::PathArguments::AngleBracketed(args) = &mut segment.arguments {
            for arg in &mut args.args {
                if let syn::GenericArgument::Type(ty) = arg
                    && option_to_patch(ty)
                {
                    return true;
                }
            }
        }
    }
    false
}
