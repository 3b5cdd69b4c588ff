//! Spaces inside organizations: `GET /v2/spaces` (the rest of `/v2/spaces`
//! is unserved), and seeding.

use arize_ax_api::types::{self, Id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::{Answer, Call, Directory, Event, Ids, Problem, Record, Reply, Table, pagination};

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
    if !directory.organization_exists(org_id) {
        return Err(Problem::new(
            404,
            format!("No organization has the ID {org_id}."),
        ));
    }
    let n = spaces.last_key().unwrap_or(0) + 1;
    let space = Space {
        id: ids.plain_id("Space", n),
        name: name.into(),
        description: String::new(),
        created_at: Ids::timestamp(n),
        is_private,
        organization_id: org_id.into(),
    };
    spaces.insert(n, space).cloned().map_err(|_| {
        Problem::new(
            409,
            format!("The organization already has a space named {name}."),
        )
    })
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

/// A space as the API returns it.
pub fn wire(space: &Space) -> types::Space {
    types::Space {
        id: Some(Id(space.id.clone())),
        organization_id: Some(Id(space.organization_id.clone())),
        name: Some(space.name.clone()),
        description: Some(space.description.clone()),
        created_at: Some(space.created_at),
        is_private: Some(space.is_private),
        // The fake keeps no LLM integrations, agent runtimes or avatars:
        // every space has the document's defaults for them.
        ml_models_enabled: Some(true),
        default_llm_integration: None,
        default_agent_runtime: None,
        gradient_start_color: Some(String::new()),
        gradient_end_color: Some(String::new()),
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
