//! The upstream OpenAPI document (v0.29.6) as a response-schema oracle.
//!
//! The document is OpenAPI 3.1, whose schema dialect is JSON Schema 2020-12,
//! so a response schema can be validated as is once the document's
//! `components` travel with it: every `$ref` in the document is a local
//! `#/components/...` pointer, which then resolves inside the same root.

use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

/// The folder of the reference documents: `CONCLAVE_REFERENCE_DIR`, else
/// `<CARGO_MANIFEST_DIR>/../../shared/reference` (as in `openapi_contract.rs`).
pub fn reference_dir() -> PathBuf {
    std::env::var_os("CONCLAVE_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference"))
}

/// The path of the upstream OpenAPI document.
pub fn document_path() -> PathBuf {
    reference_dir().join("opentalk-v0.29.6-openapi.yaml")
}

/// What the document declares for one (operation, status).
#[derive(Debug, Clone, PartialEq)]
pub enum Declared {
    /// The operation does not exist in the document.
    UnknownOperation,
    /// The operation exists but does not list the status.
    UndocumentedStatus,
    /// The status is listed without an `application/json` schema.
    NoSchema,
    /// The status has a JSON schema; `name` is the component it refers to
    /// (`inline` when it is written in place).
    Schema {
        /// Component name or `inline`.
        name: String,
        /// The schema as written in the document (may be a bare `$ref`).
        schema: Value,
    },
}

/// One schema violation: where in the body, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the response body (`""` = the whole body).
    pub pointer: String,
    /// The validator's message.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "at {pointer}: {}", self.message)
    }
}

/// The parsed upstream document.
#[derive(Debug, Clone)]
pub struct OpenApiDoc {
    doc: Value,
}

impl OpenApiDoc {
    /// Reads and parses the document from [`document_path`].
    pub fn load() -> Result<OpenApiDoc, String> {
        let path = document_path();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "cannot read the reference document {}: {e} (set CONCLAVE_REFERENCE_DIR)",
                path.display()
            )
        })?;
        let doc: Value = serde_yaml_ng::from_str(&text)
            .map_err(|e| format!("{} is not valid YAML: {e}", path.display()))?;
        if doc.pointer("/components/schemas").is_none() {
            return Err(format!("{} has no components/schemas", path.display()));
        }
        Ok(OpenApiDoc { doc })
    }

    /// The operation object of `method` (any case) on the document path
    /// `path` (relative to `/v1`, with upstream's `{param}` names).
    pub fn operation(&self, method: &str, path: &str) -> Option<&Value> {
        self.doc
            .get("paths")?
            .get(path)?
            .get(method.to_ascii_lowercase())
    }

    /// What the document declares for `status` of the operation.
    pub fn declared(&self, method: &str, path: &str, status: u16) -> Declared {
        let Some(operation) = self.operation(method, path) else {
            return Declared::UnknownOperation;
        };
        let Some(response) = operation
            .get("responses")
            .and_then(|r| r.get(status.to_string()))
        else {
            return Declared::UndocumentedStatus;
        };
        let response = self.resolve(response);
        match response.pointer("/content/application~1json/schema") {
            None => Declared::NoSchema,
            Some(schema) => Declared::Schema {
                name: component_name(schema).unwrap_or("inline").to_owned(),
                schema: schema.clone(),
            },
        }
    }

    /// A named schema of `components/schemas` as a `$ref` schema.
    pub fn component(&self, name: &str) -> Option<Value> {
        self.doc
            .pointer(&format!("/components/schemas/{name}"))
            .map(|_| serde_json::json!({"$ref": format!("#/components/schemas/{name}")}))
    }

    /// Validates `body` against `schema` (a schema of this document) as JSON
    /// Schema 2020-12 with format assertions on. `Err` when the schema
    /// itself cannot be compiled.
    pub fn validate(&self, schema: &Value, body: &Value) -> Result<Vec<Violation>, String> {
        let mut root = match schema {
            Value::Object(_) => schema.clone(),
            other => return Err(format!("not a schema object: {other}")),
        };
        if let Value::Object(map) = &mut root {
            map.insert("components".to_owned(), self.doc["components"].clone());
        }
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("cannot compile the schema: {e}"))?;
        Ok(validator
            .iter_errors(body)
            .map(|error| Violation {
                pointer: error.instance_path().to_string(),
                message: error.to_string(),
            })
            .collect())
    }

    /// Properties of `body` that `schema` does not declare (the document
    /// never sets `additionalProperties: false`, so plain validation lets
    /// any extra field through). Objects are closed by the union of the
    /// `properties` of the schema and its `allOf`/`oneOf`/`anyOf` branches;
    /// an object schema with `additionalProperties` or without any
    /// `properties` is open.
    pub fn undeclared(&self, schema: &Value, body: &Value) -> Vec<Violation> {
        let mut out = Vec::new();
        self.walk_undeclared(schema, body, String::new(), &mut out, 0);
        out
    }

    fn walk_undeclared(
        &self,
        schema: &Value,
        body: &Value,
        pointer: String,
        out: &mut Vec<Violation>,
        depth: usize,
    ) {
        // The document's schemas are not recursive; the cap only guards
        // against a malformed one.
        if depth > 32 {
            return;
        }
        let schema = self.deref_schema(schema);
        match body {
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        let at = format!("{pointer}/{i}");
                        self.walk_undeclared(item_schema, item, at, out, depth + 1);
                    }
                }
            }
            Value::Object(map) => {
                let mut declared: Vec<(&String, &Value)> = Vec::new();
                let mut open = None;
                self.gather_properties(schema, &mut declared, &mut open, depth);
                for (key, value) in map {
                    let at = format!("{pointer}/{key}");
                    match declared.iter().find(|(name, _)| *name == key) {
                        Some((_, sub)) => self.walk_undeclared(sub, value, at, out, depth + 1),
                        // A map: its values follow `additionalProperties`.
                        None if open.is_some() => {
                            if let Some(values) = open.filter(|v| v.is_object()) {
                                self.walk_undeclared(values, value, at, out, depth + 1);
                            }
                        }
                        None if declared.is_empty() => {}
                        None => out.push(Violation {
                            pointer: at,
                            message: format!("property {key:?} is not declared by the schema"),
                        }),
                    }
                }
            }
            _ => {}
        }
    }

    fn gather_properties<'a>(
        &'a self,
        schema: &'a Value,
        declared: &mut Vec<(&'a String, &'a Value)>,
        open: &mut Option<&'a Value>,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        let schema = self.deref_schema(schema);
        if let Some(additional) = schema.get("additionalProperties") {
            *open = Some(additional);
        }
        if let Some(Value::Object(props)) = schema.get("properties") {
            declared.extend(props.iter());
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = schema.get(keyword) {
                for branch in branches {
                    self.gather_properties(branch, declared, open, depth + 1);
                }
            }
        }
    }

    /// Follows `$ref`s of a schema (bounded) to the schema they name.
    fn deref_schema<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..8 {
            let next = self.resolve(schema);
            if std::ptr::eq(next, schema) {
                break;
            }
            schema = next;
        }
        schema
    }

    /// Follows a `$ref` to `#/components/...` (one level; the document
    /// never chains response references).
    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| self.doc.pointer(pointer))
            .unwrap_or(value)
    }
}

/// `X` of a bare `{"$ref": "#/components/schemas/X"}`.
fn component_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// Everything wrong with `body` against `schema` of `doc`: validation
/// errors and undeclared properties, as `Debug` texts.
pub fn problems_against(doc: &OpenApiDoc, schema: &Value, body: &Value) -> Vec<String> {
    let mut found = doc.validate(schema, body).expect("schema compiles");
    found.extend(doc.undeclared(schema, body));
    found.into_iter().map(|p| format!("{p:?}")).collect()
}

/// Everything wrong with `body` against the schema the upstream document
/// declares for `status` of `method path` (upstream's `{param}` names);
/// panics when the document declares none.
pub fn problems(method: &str, path: &str, status: u16, body: &Value) -> Vec<String> {
    let doc = OpenApiDoc::load().unwrap_or_else(|e| panic!("{e}"));
    let Declared::Schema { schema, .. } = doc.declared(method, path, status) else {
        panic!("{method} {path} declares no schema for {status}");
    };
    problems_against(&doc, &schema, body)
}

/// Asserts that [`problems`] finds nothing.
pub fn assert_conforms(method: &str, path: &str, status: u16, body: &Value) {
    let found = problems(method, path, status, body);
    assert!(
        found.is_empty(),
        "{method} {path} {status}: {found:?}\n{body}"
    );
}
