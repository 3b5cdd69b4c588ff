//! Organizations: `/v2/organizations` and `/v2/organizations/{org_id}`.

use arize_ax_api::types::{self, Id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::{
    Answer, Call, Event, Ids, Problem, Record, Reply, Table, null_field, pagination,
};

/// Longest organization name (from the spec).
pub const MAX_NAME: usize = arize_ax_api::limits::ORGANIZATION_NAME_MAX_LEN;
/// Longest description (from the spec).
pub const MAX_DESCRIPTION: usize = arize_ax_api::limits::ORGANIZATION_DESCRIPTION_MAX_LEN;

/// An organization as stored (and as the API returns it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Org {
    /// Its ID.
    pub id: String,
    /// Its name, unique (exactly, case-sensitively) within the account.
    pub name: String,
    /// Its description, empty when unset.
    pub description: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl Record for Org {
    fn id(&self) -> &str {
        &self.id
    }
    fn unique_name(&self) -> Option<(&str, &str)> {
        Some(("", &self.name))
    }
}

/// Every organization.
pub type Orgs = Table<Org>;

fn taken(name: &str) -> Problem {
    Problem::new(
        409,
        format!("Another organization of this account is already named {name}."),
    )
}

/// 404 for an unknown organization.
pub fn not_found(id: &str) -> Problem {
    Problem::new(404, format!("No organization has the ID {id}."))
}

/// Adds an organization (409 for a taken name).
pub fn insert(orgs: &mut Orgs, ids: &mut Ids, name: String, description: String) -> Answer<Org> {
    if orgs.key_of_name("", &name).is_some() {
        return Err(taken(&name));
    }
    let seq = ids.next_seq();
    let org = Org {
        id: ids.make_id("Organization", seq),
        name,
        description,
        created_at: Ids::timestamp(seq),
    };
    orgs.insert(seq, org).cloned().map_err(|o| taken(&o.name))
}

/// The organization with this ID (404 when none).
pub fn get_org(orgs: &Orgs, id: &str) -> Answer<Org> {
    orgs.get(id).cloned().ok_or_else(|| not_found(id))
}

/// An organization as the API returns it.
pub fn wire(org: &Org) -> types::Organization {
    types::Organization {
        id: Some(Id(org.id.clone())),
        name: Some(org.name.clone()),
        description: Some(org.description.clone()),
        created_at: Some(org.created_at),
    }
}

/// One page of organizations.
pub fn wire_page(orgs: &[&Org], next_cursor: Option<String>) -> types::ListOrganizationsResponse {
    types::ListOrganizationsResponse {
        organizations: orgs.iter().map(|o| wire(o)).collect(),
        pagination: Some(pagination(next_cursor)),
    }
}

/// `GET /v2/organizations`: a case-insensitive substring filter on names.
pub fn list(orgs: &Orgs, call: &Call) -> Answer<Reply> {
    let name = call.filter("name", arize_ax_api::limits::NAME_FILTER_MAX_LEN)?;
    let limit = call.limit()?;
    let cursor = call.single("cursor")?;
    let needle = name.map(|n| n.to_lowercase());
    let (page, next) = orgs.page(cursor.as_deref(), limit, |org| {
        needle
            .as_deref()
            .is_none_or(|n| org.name.to_lowercase().contains(n))
    })?;
    Ok(Reply::json(200, &wire_page(&page, next)))
}

/// `POST /v2/organizations`.
pub fn create(orgs: &mut Orgs, ids: &mut Ids, call: &Call) -> Answer<Reply> {
    let org = create_org(orgs, ids, call)?;
    Ok(Reply::json(201, &wire(&org)).changed())
}

/// The rules of `POST /v2/organizations`: the organization created.
pub fn create_org(orgs: &mut Orgs, ids: &mut Ids, call: &Call) -> Answer<Org> {
    let (body, raw) = call.typed::<types::CreateOrganizationRequest>(diagnose_create)?;
    null_field(&raw, "description", "a string")?;
    let description = body.description.map(String::from).unwrap_or_default();
    insert(orgs, ids, String::from(body.name), description)
}

/// `GET /v2/organizations/{org_id}`.
pub fn get(orgs: &Orgs, call: &Call) -> Answer<Reply> {
    Ok(Reply::json(
        200,
        &wire(&get_org(orgs, call.param("org_id"))?),
    ))
}

/// `PATCH /v2/organizations/{org_id}`.
pub fn update(orgs: &mut Orgs, call: &Call) -> Answer<Reply> {
    let (body, raw) = call.typed::<types::UpdateOrganizationRequest>(diagnose_update)?;
    if body.name.is_none() && body.description.is_keep() && !raw.contains_key("name") {
        return Err(Problem::new(
            400,
            "At least one of name or description must be provided.",
        ));
    }
    null_field(&raw, "name", "a string")?;
    let id = call.param("org_id");
    let key = orgs.key_of(id).ok_or_else(|| not_found(id))?;
    let name = body.name.map(String::from);
    if let Some(name) = &name
        && orgs.key_of_name("", name).is_some_and(|other| other != key)
    {
        return Err(taken(name));
    }
    let description = body.description.as_set().map(|d| (**d).clone());
    let clear = matches!(body.description, arize_ax_api::open::Patch::Clear);
    let org = orgs
        .update(id, |org| {
            if let Some(name) = name {
                org.name = name;
            }
            if let Some(description) = description {
                org.description = description;
            } else if clear {
                org.description.clear();
            }
            org.clone()
        })
        .expect("found above");
    Ok(Reply::json(200, &wire(&org)).changed())
}

/// `DELETE /v2/organizations/{org_id}`: its spaces and memberships follow
/// through the event.
pub fn delete(orgs: &mut Orgs, call: &Call) -> Answer<(Reply, Event)> {
    let id = call.param("org_id");
    let org = orgs.remove(id).ok_or_else(|| not_found(id))?;
    Ok((Reply::no_content(), Event::OrganizationDeleted(org.id)))
}

fn check_name(name: &str) -> Answer<()> {
    let len = name.chars().count();
    if !(1..=MAX_NAME).contains(&len) {
        return Err(Problem::new(
            422,
            format!("name must be between 1 and {MAX_NAME} characters long."),
        ));
    }
    Ok(())
}

fn check_description(description: &str) -> Answer<()> {
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(Problem::new(
            422,
            format!("description must be at most {MAX_DESCRIPTION} characters long."),
        ));
    }
    Ok(())
}

/// Why a create body does not fit its schema, in Arize's words.
fn diagnose_create(body: &Map<String, Value>) -> Answer<()> {
    for field in ["id", "created_at"] {
        if body.contains_key(field) {
            return Err(Problem::new(
                422,
                format!("{field} is assigned by the server and cannot be set."),
            ));
        }
    }
    match body.get("name") {
        Some(Value::String(s)) => check_name(s)?,
        Some(_) => return Err(Problem::new(422, "name must be a string.")),
        None => return Err(Problem::new(422, "name is required.")),
    }
    match body.get("description") {
        None => Ok(()),
        Some(Value::String(s)) => check_description(s),
        Some(_) => Err(Problem::new(422, "description must be a string.")),
    }
}

/// Why an update body does not fit its schema, in Arize's words.
fn diagnose_update(body: &Map<String, Value>) -> Answer<()> {
    for field in ["id", "created_at"] {
        if body.contains_key(field) {
            return Err(Problem::new(422, format!("{field} cannot be changed.")));
        }
    }
    match body.get("name") {
        None => {}
        Some(Value::String(s)) => check_name(s)?,
        Some(_) => return Err(Problem::new(422, "name must be a string.")),
    }
    match body.get("description") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) => check_description(s),
        Some(_) => Err(Problem::new(422, "description must be a string or null.")),
    }
}
