//! Creating, changing and deleting spaces.

use arize_ax_api::limits::{SPACE_DESCRIPTION_MAX_LEN, SPACE_NAME_MAX_LEN};
use arize_ax_api::open::Patch;
use arize_ax_api::ops;
use arize_ax_api::types::{self, Id};

use crate::core::checks::{check_free_text, check_id, check_len, check_text, request_value};
use crate::core::client::Client;
use crate::core::create::{Created, create_named};
use crate::core::error::{Error, Kind, Result};
use crate::core::future::awaitable;
use crate::core::removal::Removal;
use crate::refs::OrgRef;
use crate::spaces::{SpaceRef, Spaces, Target};
use crate::types::{Space, decode};

impl Spaces {
    /// Starts creating a space in an organization (by name or ID); names
    /// are unique within the organization. The space is public unless
    /// made [`private`](CreateSpace::private).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let space = client
    ///     .spaces()
    ///     .create("research", "ranking")
    ///     .description("Ranking models")
    ///     .private(true)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, org: impl Into<OrgRef>, name: impl Into<String>) -> CreateSpace {
        CreateSpace {
            client: self.client.clone(),
            org: org.into(),
            name: name.into(),
            description: None,
            private: None,
            exist_ok: false,
        }
    }

    /// Starts changing a space's settings; at least one must be set. A
    /// setting left alone keeps its value.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let space = client
    ///     .spaces()
    ///     .update("ranking")
    ///     .organization("research")
    ///     .name("ranking-archive")
    ///     .private(true)
    ///     .clear_default_llm_integration()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, space: impl Into<SpaceRef>) -> UpdateSpace {
        UpdateSpace {
            client: self.client.clone(),
            target: Target::new(space),
            name: None,
            description: None,
            private: None,
            ml_models: None,
            gradient_start: None,
            gradient_end: None,
            llm: Patch::Keep,
            agent_runtime: Patch::Keep,
        }
    }

    /// Deletes a space **and everything it holds** (models, monitors,
    /// dashboards, datasets, custom metrics and the rest). There is no
    /// undo. A name is resolved to exactly one ID first; an ambiguous or
    /// unknown name deletes nothing.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.spaces().delete("ranking").organization("research").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn delete(&self, space: impl Into<SpaceRef>) -> DeleteSpace {
        DeleteSpace {
            client: self.client.clone(),
            target: Target::new(space),
        }
    }
}

fn check_name(name: &str) -> Result<()> {
    check_text("name", name)?;
    Ok(check_len("name", name, SPACE_NAME_MAX_LEN)?)
}

fn check_description(description: &str) -> Result<()> {
    Ok(check_free_text(
        "description",
        description,
        SPACE_DESCRIPTION_MAX_LEN,
    )?)
}

/// A request to create a space; see [`Spaces::create`].
#[derive(Debug, Clone)]
#[must_use = "a create request does nothing until awaited"]
pub struct CreateSpace {
    client: Client,
    org: OrgRef,
    name: String,
    description: Option<String>,
    private: Option<bool>,
    exist_ok: bool,
}

impl CreateSpace {
    /// What the space is for (at most 1000 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether the space starts private: seen only by its members and by
    /// account, organization and space administrators (default: public).
    pub fn private(mut self, private: bool) -> Self {
        self.private = Some(private);
        self
    }

    /// With `true`, a space of that name already in the organization is
    /// returned instead of an error (its settings are left as they are).
    /// This also makes the create safe to repeat, so it is then retried
    /// after a server error or a lost answer like any idempotent call.
    pub fn exist_ok(mut self, exist_ok: bool) -> Self {
        self.exist_ok = exist_ok;
        self
    }

    /// Creates it.
    ///
    /// Without [`exist_ok`](Self::exist_ok), never retried after a server
    /// error or a lost answer, so an error never hides a duplicate; such an
    /// error is [`Error::MaybeCreated`], which says how to check.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a name that is empty, whitespace, over
    /// 255 characters or has control characters, or a description over 1000
    /// characters (nothing is sent); the organization's resolution errors;
    /// [`Error::Api`] with 409 when the organization has a space of that
    /// name.
    pub async fn send(self) -> Result<Space> {
        const METHOD: &str = "spaces.create";
        self.org.validate()?;
        check_name(&self.name)?;
        if let Some(d) = &self.description {
            check_description(d)?;
        }
        self.client.warn_prerelease(METHOD, ops::CREATE_SPACE);
        let org_id = self
            .client
            .organizations()
            .resolve(METHOD, self.org)
            .await?;
        let body = types::CreateSpaceRequest {
            name: request_value("name", self.name.clone())?,
            organization_id: Id(org_id.clone()),
            description: self
                .description
                .map(|d| request_value("description", d))
                .transpose()?,
            is_private: self.private,
        };
        let call = self.client.raw().create_space().body(body).send();
        let kind = Kind::Space;
        match create_named(&self.client, METHOD, kind, &self.name, self.exist_ok, call).await? {
            Created::New(space) => decode(METHOD, space),
            Created::Taken(_) => {
                let target = Target {
                    space: SpaceRef::Name(self.name),
                    org: Some(OrgRef::Id(org_id)),
                };
                Spaces::new(self.client).fetch(METHOD, target).await
            }
        }
    }
}

awaitable!(CreateSpace => Space);

/// A request to change a space; see [`Spaces::update`].
#[derive(Debug, Clone)]
#[must_use = "an update request does nothing until awaited"]
pub struct UpdateSpace {
    client: Client,
    target: Target,
    name: Option<String>,
    description: Option<String>,
    private: Option<bool>,
    ml_models: Option<bool>,
    gradient_start: Option<String>,
    gradient_end: Option<String>,
    llm: Patch<(String, String)>,
    agent_runtime: Patch<String>,
}

impl UpdateSpace {
    /// Looks for a space name in this organization only (by name or ID).
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.target.org = Some(org.into());
        self
    }

    /// The new name (at most 255 characters, unique within the
    /// organization).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The new description (at most 1000 characters). An empty string
    /// clears it (sent as `null`: the API refuses an empty description).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Clears the description.
    pub fn clear_description(self) -> Self {
        self.description(String::new())
    }

    /// Makes the space private (`true`) or public (`false`).
    pub fn private(mut self, private: bool) -> Self {
        self.private = Some(private);
        self
    }

    /// Turns machine-learning models on or off.
    pub fn ml_models(mut self, enabled: bool) -> Self {
        self.ml_models = Some(enabled);
        self
    }

    /// The first colour of the avatar's gradient (such as `#1f77b4`).
    pub fn gradient_start_color(mut self, color: impl Into<String>) -> Self {
        self.gradient_start = Some(color.into());
        self
    }

    /// The second colour of the avatar's gradient.
    pub fn gradient_end_color(mut self, color: impl Into<String>) -> Self {
        self.gradient_end = Some(color.into());
        self
    }

    /// The default LLM integration (by ID) and the model within it.
    pub fn default_llm_integration(
        mut self,
        integration_id: impl Into<String>,
        model_name: impl Into<String>,
    ) -> Self {
        self.llm = Patch::Set((integration_id.into(), model_name.into()));
        self
    }

    /// Clears the default LLM integration.
    pub fn clear_default_llm_integration(mut self) -> Self {
        self.llm = Patch::Clear;
        self
    }

    /// The default agent runtime (an integration, by ID).
    pub fn default_agent_runtime(mut self, integration_id: impl Into<String>) -> Self {
        self.agent_runtime = Patch::Set(integration_id.into());
        self
    }

    /// Clears the default agent runtime.
    pub fn clear_default_agent_runtime(mut self) -> Self {
        self.agent_runtime = Patch::Clear;
        self
    }

    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.description.is_none()
            && self.private.is_none()
            && self.ml_models.is_none()
            && self.gradient_start.is_none()
            && self.gradient_end.is_none()
            && self.llm.is_keep()
            && self.agent_runtime.is_keep()
    }

    /// The request body, every value checked (nothing is sent on a
    /// failure).
    fn body(&self) -> Result<types::UpdateSpaceRequest> {
        if self.is_empty() {
            return Err(Error::invalid(
                "update",
                "set at least one of name, description, private, ML models, the gradient \
                 colours, the default LLM integration or the default agent runtime",
            ));
        }
        if let Some(name) = &self.name {
            check_name(name)?;
        }
        if let Some(d) = &self.description {
            check_description(d)?;
        }
        for (field, color) in [
            ("gradient_start_color", &self.gradient_start),
            ("gradient_end_color", &self.gradient_end),
        ] {
            if let Some(color) = color {
                check_text(field, color)?;
            }
        }
        let llm = match &self.llm {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set((id, model)) => {
                check_id("default_llm_integration.integration_id", id)?;
                check_text("default_llm_integration.model_name", model)?;
                Patch::Set(types::DefaultLlmIntegration {
                    integration_id: Id(id.clone()),
                    model_name: model.clone(),
                })
            }
        };
        let agent_runtime = match &self.agent_runtime {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(id) => {
                check_id("default_agent_runtime.integration_id", id)?;
                Patch::Set(types::DefaultAgentRuntime {
                    integration_id: Id(id.clone()),
                })
            }
        };
        Ok(types::UpdateSpaceRequest {
            name: self
                .name
                .clone()
                .map(|n| request_value("name", n))
                .transpose()?,
            description: match &self.description {
                None => Patch::Keep,
                Some(d) if d.is_empty() => Patch::Clear,
                Some(d) => Patch::Set(request_value("description", d.clone())?),
            },
            is_private: self.private,
            ml_models_enabled: self.ml_models,
            gradient_start_color: self.gradient_start.clone(),
            gradient_end_color: self.gradient_end.clone(),
            default_llm_integration: llm,
            default_agent_runtime: agent_runtime,
        })
    }

    /// Applies the update (safe to repeat: it sets absolute values).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when nothing is set or a value breaks its
    /// rule (nothing is sent); resolution errors as for [`Spaces::get`];
    /// [`Error::Api`] with 409 for a name another space of the organization
    /// has.
    pub async fn send(self) -> Result<Space> {
        const METHOD: &str = "spaces.update";
        self.target.validate()?;
        let body = self.body()?;
        self.client.warn_prerelease(METHOD, ops::UPDATE_SPACE);
        let id = Spaces::new(self.client.clone())
            .resolve(METHOD, self.target)
            .await?;
        let call = self
            .client
            .raw()
            .update_space()
            .space_id(Id(id))
            .body(body)
            .send();
        self.client
            .call(METHOD, call)
            .await
            .and_then(|space| decode(METHOD, space))
    }
}

awaitable!(UpdateSpace => Space);

/// A request to delete a space; see [`Spaces::delete`].
#[derive(Debug, Clone)]
#[must_use = "a delete request does nothing until awaited"]
pub struct DeleteSpace {
    client: Client,
    target: Target,
}

impl DeleteSpace {
    /// Looks for a space name in this organization only (by name or ID).
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.target.org = Some(org.into());
        self
    }

    /// Deletes it. Safe to repeat: a retry after a lost answer that finds
    /// the space gone is [`Removal::DoneByLostAttempt`].
    ///
    /// # Errors
    ///
    /// As [`Spaces::get`]; a 403 when the key may not delete the space.
    pub async fn send(self) -> Result<Removal> {
        const METHOD: &str = "spaces.delete";
        self.target.validate()?;
        self.client.warn_prerelease(METHOD, ops::DELETE_SPACE);
        let id = Spaces::new(self.client.clone())
            .resolve(METHOD, self.target)
            .await?;
        let call = self
            .client
            .raw()
            .delete_space()
            .space_id(Id(id.clone()))
            .send();
        let (result, report) = self.client.call_reporting(METHOD, call).await;
        Removal::judge_noting(METHOD, result, &report, || format!("deleting space {id}"))
    }
}

awaitable!(DeleteSpace => Removal);
