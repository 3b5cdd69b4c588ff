//! Resource restrictions: `/v2/resource-restrictions` and
//! `/v2/resource-restrictions/{resource_id}`. A project, dashboard or
//! prompt restricted to its own role bindings; restricting one again
//! answers the same restriction (200); lifting one that is not there, 404.
//!
//! The fake keeps no projects, dashboards or prompts: an ID is taken for
//! one when it reads `Project:…`, `Dashboard:…` or `Prompt:…` (base64), and
//! refused with 400 otherwise.
//!
//! **Short pages, deterministically.** Arize filters a page for the
//! caller's rights after reading it, so pages may be short or empty while
//! `has_more` is true. The fake does the same: a page reads `limit`
//! restrictions (of the kind asked for) after the cursor, then keeps those
//! the caller may manage — an account admin every one but the *hidden*
//! ones (restrictions in parts of an account no key here reaches, seeded
//! with [`seed_hidden`]), anyone else only those they made.

use arize_ax_api::open::{ResourceRestrictionType, UserRole};
use arize_ax_api::types::{self, Id};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::{
    Answer, B64, Call, Directory, Ids, Problem, Record, Reply, Table, id_kind, pagination,
};

/// The restriction of one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Restriction {
    /// The restricted resource's ID (restrictions have none of their own).
    pub resource_id: String,
    /// `PROJECT`, `DASHBOARD` or `PROMPT`.
    pub resource_type: ResourceRestrictionType,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Who made it.
    pub created_by: String,
    /// Beyond every caller's reach: read by a page, never shown.
    #[serde(default)]
    pub hidden: bool,
}

impl Record for Restriction {
    fn id(&self) -> &str {
        &self.resource_id
    }
}

/// Every restriction.
pub type Restrictions = Table<Restriction>;

/// A restriction as the API returns it.
pub fn wire(r: &Restriction) -> types::ResourceRestriction {
    types::ResourceRestriction {
        resource_id: Some(Id(r.resource_id.clone())),
        resource_type: Some(r.resource_type.clone()),
        created_at: Some(r.created_at),
    }
}

/// The kind of resource an ID reads as (`Project:…` → `PROJECT`).
fn kind_of(id: &str) -> Option<ResourceRestrictionType> {
    match id_kind(id)?.as_str() {
        "Project" => Some(ResourceRestrictionType::Project),
        "Dashboard" => Some(ResourceRestrictionType::Dashboard),
        "Prompt" => Some(ResourceRestrictionType::Prompt),
        _ => None,
    }
}

/// Whether `caller` may manage `r`.
fn manages(r: &Restriction, caller: &str, directory: &dyn Directory) -> bool {
    !r.hidden
        && (directory.user_account_role(caller) == Some(UserRole::Admin) || r.created_by == caller)
}

/// Adds `count` hidden restrictions of projects (see the module's note).
pub fn seed_hidden(restrictions: &mut Restrictions, ids: &mut Ids, count: usize) {
    for _ in 0..count {
        let seq = ids.next_seq();
        let resource_id = B64.encode(format!("Project:hidden-{}-{seq}", ids.seed()));
        let _ = restrictions.insert(
            seq,
            Restriction {
                resource_id,
                resource_type: ResourceRestrictionType::Project,
                created_at: Ids::timestamp(seq),
                created_by: String::new(),
                hidden: true,
            },
        );
    }
}

/// `GET /v2/resource-restrictions`: see the module's note on short pages.
pub fn list(restrictions: &Restrictions, directory: &dyn Directory, call: &Call) -> Answer<Reply> {
    let kind = call
        .single("resource_type")?
        .map(|text| {
            let kind = ResourceRestrictionType::from(text.clone());
            if kind.is_known() {
                Ok(kind)
            } else {
                Err(Problem::new(
                    400,
                    format!("resource_type must be PROJECT, DASHBOARD or PROMPT (got {text:?})."),
                ))
            }
        })
        .transpose()?;
    let limit = call.limit()?;
    let cursor = call.single("cursor")?;
    let caller = call.caller.as_deref().unwrap_or_default();
    let (read, next) = restrictions.page(cursor.as_deref(), limit, |r| {
        kind.as_ref().is_none_or(|k| r.resource_type == *k)
    })?;
    Ok(Reply::json(
        200,
        &types::ListResourceRestrictionsResponse {
            resource_restrictions: read
                .into_iter()
                .filter(|r| manages(r, caller, directory))
                .map(wire)
                .collect(),
            pagination: Some(pagination(next)),
        },
    ))
}

/// `POST /v2/resource-restrictions`: restricts a project, dashboard or
/// prompt; 200 with the restriction, new or not.
pub fn create(
    restrictions: &mut Restrictions,
    ids: &mut Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let (body, _) = call.typed::<types::CreateResourceRestrictionRequest>(|_| Ok(()))?;
    let id = body.resource_id.0;
    let caller = call.caller.as_deref().unwrap_or_default();
    if let Some(existing) = restrictions.get(&id) {
        if !manages(existing, caller, directory) {
            return Err(Problem::new(403, "You may not restrict this resource."));
        }
        return Ok(Reply::json(200, &wire(existing)));
    }
    let Some(kind) = kind_of(&id) else {
        return Err(Problem::new(
            400,
            format!("{id} is not the ID of a project, dashboard or prompt."),
        ));
    };
    let seq = ids.next_seq();
    let restriction = Restriction {
        resource_id: id,
        resource_type: kind,
        created_at: Utc::now(),
        created_by: caller.to_owned(),
        hidden: false,
    };
    let reply = Reply::json(200, &wire(&restriction)).changed();
    let _ = restrictions.insert(seq, restriction);
    Ok(reply)
}

/// `DELETE /v2/resource-restrictions/{resource_id}`: 204; 404 for a
/// resource that is not restricted (or not one the caller may manage).
pub fn delete(
    restrictions: &mut Restrictions,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let id = call.param("resource_id");
    let caller = call.caller.as_deref().unwrap_or_default();
    match restrictions.get(id) {
        Some(r) if manages(r, caller, directory) => {
            restrictions.remove(id);
            Ok(Reply::no_content())
        }
        _ => Err(Problem::new(
            404,
            format!("The resource {id} is not restricted."),
        )),
    }
}
