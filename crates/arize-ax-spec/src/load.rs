//! Reading OpenAPI documents from YAML or JSON text.

use serde_json::{Map, Value};

use crate::error::SpecError;

/// Parses an OpenAPI document given as JSON or YAML text.
///
/// JSON is tried first when the text starts with `{`; anything else is read as
/// YAML (which also accepts JSON). `source` names the input in error messages.
///
/// # Errors
///
/// [`SpecError::Parse`] when the text is neither valid JSON nor valid YAML, or
/// when a YAML mapping uses a key that cannot be a JSON object key.
///
/// # Examples
///
/// ```
/// let doc = arize_ax_spec::parse("openapi: 3.1.1\ninfo: {title: t, version: '1'}\n", "inline").unwrap();
/// assert_eq!(doc["openapi"], "3.1.1");
/// ```
pub fn parse(text: &str, source: &str) -> Result<Value, SpecError> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| SpecError::Parse {
            source_name: source.to_owned(),
            reason: format!("invalid JSON: {e}"),
        });
    }
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| SpecError::Parse {
        source_name: source.to_owned(),
        reason: format!("invalid YAML: {e}"),
    })?;
    yaml_to_json(yaml, "").map_err(|reason| SpecError::Parse {
        source_name: source.to_owned(),
        reason,
    })
}

/// Converts a YAML value to JSON, turning scalar mapping keys into strings
/// (YAML allows `200:` as an integer key; OpenAPI means the string `"200"`).
fn yaml_to_json(value: serde_norway::Value, at: &str) -> Result<Value, String> {
    use serde_norway::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("{at}: number {f} cannot be represented in JSON"))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{at}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("{at}: unsupported mapping key {other:?}")),
                };
                let child = yaml_to_json(v, &format!("{at}/{key}"))?;
                out.insert(key, child);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integer_keys_become_strings() {
        let doc = parse("responses:\n  200: {description: ok}\n", "t").unwrap();
        assert_eq!(doc["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn json_and_yaml_give_the_same_value() {
        let y = parse("a: [1, 2.5, true, null]\nb: {c: x}\n", "y").unwrap();
        let j = parse(r#"{"a": [1, 2.5, true, null], "b": {"c": "x"}}"#, "j").unwrap();
        assert_eq!(y, j);
    }

    #[test]
    fn errors_name_the_source() {
        let err = parse("a: [unclosed", "upstream.yaml").unwrap_err();
        assert!(err.to_string().contains("upstream.yaml"), "{err}");
        let err = parse("{\"a\":", "upstream.json").unwrap_err();
        assert!(err.to_string().contains("upstream.json"), "{err}");
    }
}
