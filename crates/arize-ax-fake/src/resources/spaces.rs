//! Spaces inside organizations: `/v2/spaces` and `/v2/spaces/{space_id}`
//! (their members are `space_members`'), and seeding.

use arize_ax_api::open::Patch;
use arize_ax_api::types::{self, Id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::{
    Answer, Call, Directory, Event, Ids, Problem, Record, Reply, Table, null_field, pagination,
};

/// Longest space name (from the spec).
pub const MAX_NAME: usize = 255;
/// Longest space description (from the spec).
pub const MAX_DESCRIPTION: usize = 1000;

/// A space inside an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Space {
    /// Its ID.
    pub id: String,
    /// Its name, unique within its organization.
    pub name: String,
    /// What it is for; empty when unset.
    pub description: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Whether only its members can see it.
    pub is_private: bool,
    /// The organization it belongs to.
    pub organization_id: String,
    /// Whether machine-learning models are turned on (on unless changed).
    #[serde(default = "on")]
    pub ml_models_enabled: bool,
    /// First colour of its avatar's gradient; empty when unset.
    #[serde(default)]
    pub gradient_start_color: String,
    /// Second colour of its avatar's gradient; empty when unset.
    #[serde(default)]
    pub gradient_end_color: String,
    /// Its default LLM integration and model, if any.
    #[serde(default)]
    pub default_llm_integration: Option<LlmDefault>,
    /// The integration ID of its default agent runtime, if any.
    #[serde(default)]
    pub default_agent_runtime: Option<String>,
}

fn on() -> bool {
    true
}

/// A space's default LLM integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LlmDefault {
    /// The integration's ID.
    pub integration_id: String,
    /// The model within it.
    pub model_name: String,
}

impl Record for Space {
    fn id(&self) -> &str {
        &self.id
    }
    fn unique_name(&self) -> Option<(&str, &str)> {
        Some((&self.organization_id, &self.name))
    }
}

/// Every space.
pub type Spaces = Table<Space>;

/// Adds a space to an organization (as the Arize UI would); returns it. Its
/// ID does not use the shared sequence. The name check is one look-up in the
/// table's name index.
///
/// # Errors
///
/// 404 for an unknown organization, 409 for a name its organization already
/// has.
pub fn insert(
    spaces: &mut Spaces,
    ids: &Ids,
    directory: &dyn Directory,
    org_id: &str,
    name: &str,
    is_private: bool,
) -> Answer<Space> {
    let n = spaces.last_key().unwrap_or(0) + 1;
    add(spaces, directory, org_id, name, is_private, n, |spare| {
        ids.plain_id("Space", n + spare)
    })
}

/// Adds a space under the next key with the first ID `id(0)`, `id(1)`, …
/// no space has, created at the time of `seq`.
fn add(
    spaces: &mut Spaces,
    directory: &dyn Directory,
    org_id: &str,
    name: &str,
    is_private: bool,
    seq: u64,
    mut id: impl FnMut(u64) -> String,
) -> Answer<Space> {
    if !directory.organization_exists(org_id) {
        return Err(Problem::new(
            404,
            format!("No organization has the ID {org_id}."),
        ));
    }
    let key = spaces.last_key().unwrap_or(0) + 1;
    let mut spare = 0;
    let mut chosen = id(spare);
    while spaces.get(&chosen).is_some() {
        spare += 1;
        chosen = id(spare);
    }
    let space = Space {
        id: chosen,
        name: name.into(),
        description: String::new(),
        created_at: Ids::timestamp(seq),
        is_private,
        organization_id: org_id.into(),
        ml_models_enabled: true,
        gradient_start_color: String::new(),
        gradient_end_color: String::new(),
        default_llm_integration: None,
        default_agent_runtime: None,
    };
    spaces
        .insert(key, space)
        .cloned()
        .map_err(|s| taken(&s.name))
}

fn taken(name: &str) -> Problem {
    Problem::new(
        409,
        format!("The organization already has a space named {name}."),
    )
}

/// 404 for an unknown space.
pub fn not_found(id: &str) -> Problem {
    Problem::new(404, format!("No space has the ID {id}."))
}

/// The seeded name and privacy of an organization's `i`-th space (from 1):
/// `default`, then `restricted` (private), then `space-3`, `space-4`, ….
pub fn seeded(i: usize) -> (String, bool) {
    match i {
        1 => ("default".to_owned(), false),
        2 => ("restricted".to_owned(), true),
        n => (format!("space-{n}"), false),
    }
}

/// Follows a change elsewhere: a deleted organization takes its spaces.
pub fn follow(spaces: &mut Spaces, event: &Event) {
    if let Event::OrganizationDeleted(org) = event {
        spaces.retain(|s| s.organization_id != *org);
    }
}

/// The organization holding a space.
pub fn organization_of(spaces: &Spaces, id: &str) -> Option<String> {
    spaces.get(id).map(|s| s.organization_id.clone())
}

/// A space as the API returns it.
pub fn wire(space: &Space) -> types::Space {
    types::Space {
        id: Some(Id(space.id.clone())),
        organization_id: Some(Id(space.organization_id.clone())),
        name: Some(space.name.clone()),
        description: Some(space.description.clone()),
        created_at: Some(space.created_at),
        is_private: Some(space.is_private),
        ml_models_enabled: Some(space.ml_models_enabled),
        default_llm_integration: space.default_llm_integration.as_ref().map(|d| {
            types::DefaultLlmIntegrationResponse {
                integration_id: Some(Id(d.integration_id.clone())),
                model_name: Some(d.model_name.clone()),
            }
        }),
        default_agent_runtime: space.default_agent_runtime.as_ref().map(|id| {
            types::DefaultAgentRuntimeResponse {
                integration_id: Some(Id(id.clone())),
            }
        }),
        gradient_start_color: Some(space.gradient_start_color.clone()),
        gradient_end_color: Some(space.gradient_end_color.clone()),
    }
}

/// One page of spaces.
pub fn wire_page(spaces: &[&Space], next_cursor: Option<String>) -> types::ListSpacesResponse {
    types::ListSpacesResponse {
        spaces: spaces.iter().map(|s| wire(s)).collect(),
        pagination: Some(pagination(next_cursor)),
    }
}

/// `GET /v2/spaces`: by organization (404 for an unknown one, not an empty
/// page) and a case-insensitive substring of the name.
pub fn list(spaces: &Spaces, directory: &dyn Directory, call: &Call) -> Answer<Reply> {
    let name = call.filter("name", arize_ax_api::limits::NAME_FILTER_MAX_LEN)?;
    let org_id = call.single("org_id")?;
    let limit = call.limit()?;
    let cursor = call.single("cursor")?;
    if let Some(org_id) = &org_id
        && !directory.organization_exists(org_id)
    {
        return Err(Problem::new(
            404,
            format!("No organization has the ID {org_id}."),
        ));
    }
    let needle = name.map(|n| n.to_lowercase());
    let (page, next) = spaces.page(cursor.as_deref(), limit, |space| {
        org_id.as_deref().is_none_or(|o| space.organization_id == o)
            && needle
                .as_deref()
                .is_none_or(|n| space.name.to_lowercase().contains(n))
    })?;
    Ok(Reply::json(200, &wire_page(&page, next)))
}

/// `POST /v2/spaces`: 404 for an unknown organization, 409 for a name it
/// already has; `description` empty and `is_private` false when left out.
pub fn create(
    spaces: &mut Spaces,
    ids: &mut Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let (body, raw) = call.typed::<types::CreateSpaceRequest>(diagnose_create)?;
    null_field(&raw, "description", "a string")?;
    null_field(&raw, "is_private", "a boolean")?;
    let name = String::from(body.name);
    check_name(&name)?;
    let org_id = body.organization_id.0;
    // Created through the API: an ID from the shared sequence, never one
    // a deleted space had.
    let seq = ids.next_seq();
    let mut space = add(
        spaces,
        directory,
        &org_id,
        &name,
        body.is_private.unwrap_or(false),
        seq,
        |spare| {
            let seq = if spare == 0 { seq } else { ids.next_seq() };
            ids.make_id("Space", seq)
        },
    )?;
    if let Some(description) = body.description {
        space = spaces
            .update(&space.id, |s| {
                s.description = String::from(description);
                s.clone()
            })
            .expect("just added");
    }
    Ok(Reply::json(201, &wire(&space)).changed())
}

/// `GET /v2/spaces/{space_id}`.
pub fn get(spaces: &Spaces, call: &Call) -> Answer<Reply> {
    let id = call.param("space_id");
    let space = spaces.get(id).ok_or_else(|| not_found(id))?;
    Ok(Reply::json(200, &wire(space)))
}

/// `PATCH /v2/spaces/{space_id}`: a field left out keeps its value, `null`
/// clears the description and the defaults, an empty description is
/// refused (422), and a new name must be free in the organization (409).
pub fn update(spaces: &mut Spaces, call: &Call) -> Answer<Reply> {
    let (body, raw) = call.typed::<types::UpdateSpaceRequest>(diagnose_update)?;
    if raw.is_empty() {
        return Err(Problem::new(
            400,
            "At least one field of the space must be provided.",
        ));
    }
    for (field, wanted) in [
        ("name", "a string"),
        ("is_private", "a boolean"),
        ("ml_models_enabled", "a boolean"),
        ("gradient_start_color", "a string"),
        ("gradient_end_color", "a string"),
    ] {
        null_field(&raw, field, wanted)?;
    }
    let id = call.param("space_id");
    let key = spaces.key_of(id).ok_or_else(|| not_found(id))?;
    let org = spaces.get(id).expect("found").organization_id.clone();
    let name = body.name.map(String::from);
    if let Some(name) = &name {
        check_name(name)?;
        if spaces.key_of_name(&org, name).is_some_and(|k| k != key) {
            return Err(taken(name));
        }
    }
    let description = match body.description {
        Patch::Keep => None,
        Patch::Clear => Some(String::new()),
        Patch::Set(d) if d.is_empty() => {
            return Err(Problem::new(
                422,
                "description cannot be an empty string; send null to clear it.",
            ));
        }
        Patch::Set(d) => Some(String::from(d)),
    };
    let llm = match body.default_llm_integration {
        Patch::Keep => None,
        Patch::Clear => Some(None),
        Patch::Set(d) => Some(Some(LlmDefault {
            integration_id: d.integration_id.0,
            model_name: d.model_name,
        })),
    };
    let runtime = match body.default_agent_runtime {
        Patch::Keep => None,
        Patch::Clear => Some(None),
        Patch::Set(d) => Some(Some(d.integration_id.0)),
    };
    let space = spaces
        .update(id, |s| {
            if let Some(name) = name {
                s.name = name;
            }
            if let Some(description) = description {
                s.description = description;
            }
            if let Some(private) = body.is_private {
                s.is_private = private;
            }
            if let Some(enabled) = body.ml_models_enabled {
                s.ml_models_enabled = enabled;
            }
            if let Some(color) = body.gradient_start_color {
                s.gradient_start_color = color;
            }
            if let Some(color) = body.gradient_end_color {
                s.gradient_end_color = color;
            }
            if let Some(llm) = llm {
                s.default_llm_integration = llm;
            }
            if let Some(runtime) = runtime {
                s.default_agent_runtime = runtime;
            }
            s.clone()
        })
        .expect("found above");
    Ok(Reply::json(200, &wire(&space)).changed())
}

/// `DELETE /v2/spaces/{space_id}`: its members (and, with issue 34, its
/// role bindings) follow through the event.
pub fn delete(spaces: &mut Spaces, call: &Call) -> Answer<(Reply, Event)> {
    let id = call.param("space_id");
    let space = spaces.remove(id).ok_or_else(|| not_found(id))?;
    Ok((Reply::no_content(), Event::SpaceDeleted(space.id)))
}

/// The document sets only a longest name (clients refuse an empty one
/// before sending; the fake holds to the document).
fn check_name(name: &str) -> Answer<()> {
    if name.chars().count() > MAX_NAME {
        return Err(Problem::new(
            422,
            format!("name must be at most {MAX_NAME} characters long."),
        ));
    }
    Ok(())
}

fn check_description(value: Option<&Value>, nullable: bool) -> Answer<()> {
    match value {
        None => Ok(()),
        Some(Value::Null) if nullable => Ok(()),
        Some(Value::String(s)) if s.chars().count() <= MAX_DESCRIPTION => Ok(()),
        Some(Value::String(_)) => Err(Problem::new(
            422,
            format!("description must be at most {MAX_DESCRIPTION} characters long."),
        )),
        Some(_) => Err(Problem::new(422, "description must be a string.")),
    }
}

fn check_fields(body: &Map<String, Value>, verb: &str) -> Answer<()> {
    for field in ["id", "created_at"] {
        if body.contains_key(field) {
            return Err(Problem::new(422, format!("{field} {verb}.")));
        }
    }
    match body.get("name") {
        None => {}
        Some(Value::String(s)) => check_name(s)?,
        Some(_) => return Err(Problem::new(422, "name must be a string.")),
    }
    Ok(())
}

/// Why a create body does not fit its schema, in Arize's words.
fn diagnose_create(body: &Map<String, Value>) -> Answer<()> {
    check_fields(body, "is assigned by the server and cannot be set")?;
    if !body.contains_key("name") {
        return Err(Problem::new(422, "name is required."));
    }
    match body.get("organization_id") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(Problem::new(422, "organization_id must be a string.")),
        None => return Err(Problem::new(422, "organization_id is required.")),
    }
    check_description(body.get("description"), false)?;
    match body.get("is_private") {
        None | Some(Value::Bool(_)) => Ok(()),
        Some(_) => Err(Problem::new(422, "is_private must be a boolean.")),
    }
}

/// Why an update body does not fit its schema, in Arize's words.
fn diagnose_update(body: &Map<String, Value>) -> Answer<()> {
    check_fields(body, "cannot be changed")?;
    check_description(body.get("description"), true)?;
    for field in ["is_private", "ml_models_enabled"] {
        if body.get(field).is_some_and(|v| !v.is_boolean()) {
            return Err(Problem::new(422, format!("{field} must be a boolean.")));
        }
    }
    for field in ["gradient_start_color", "gradient_end_color"] {
        if body.get(field).is_some_and(|v| !v.is_string()) {
            return Err(Problem::new(422, format!("{field} must be a string.")));
        }
    }
    match body.get("default_llm_integration") {
        None | Some(Value::Null) => {}
        Some(Value::Object(d))
            if d.get("integration_id").is_some_and(Value::is_string)
                && d.get("model_name").is_some_and(Value::is_string) => {}
        Some(_) => {
            return Err(Problem::new(
                422,
                "default_llm_integration must be null or an object with integration_id and model_name.",
            ));
        }
    }
    match body.get("default_agent_runtime") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(d)) if d.get("integration_id").is_some_and(Value::is_string) => Ok(()),
        Some(_) => Err(Problem::new(
            422,
            "default_agent_runtime must be null or an object with integration_id.",
        )),
    }
}
