//! Generates the Arize AX client from the checked-in OpenAPI spec.
//!
//! Output goes to `OUT_DIR` (never into git):
//! - `client.rs`: progenitor's client and types;
//! - `operations.rs`: the table of operations (id, method, path, stage);
//! - `httpmock.rs`: progenitor's typed httpmock helpers, with the `mock` feature.

use std::path::{Path, PathBuf};
use std::{env, fs};

use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};

const SPEC: &str = "openapi/arize-v2-organizations.openapi.json";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

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
        // progenitor's path encoding leaves `+` and `=` alone; IDs are base64
        // and contain both, so the hook in `src/hooks.rs` encodes them too.
        .with_pre_hook_async(quote_path("crate::hooks::encode_reserved_in_path"));
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

    fs::write(out_dir.join("operations.rs"), operations_table(&raw))
        .unwrap_or_else(|e| fail(&format!("cannot write operations.rs: {e}")));
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

/// Renders `OPERATIONS`: one entry per operation, in document order, with the
/// `x-stage` extension (alpha/beta/stable) that drives the facade's
/// pre-release warning.
fn operations_table(spec: &serde_json::Value) -> String {
    let mut rows = String::new();
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
            rows.push_str(&format!(
                "    Operation {{ id: {id:?}, method: {:?}, path: {path:?}, stage: Stage::{stage} }},\n",
                method.to_uppercase()
            ));
        }
    }
    format!(
        "/// Every operation in the embedded spec, in document order.\npub const OPERATIONS: &[Operation] = &[\n{rows}];\n"
    )
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    panic!("arize-ax-api build script: {message}");
}
