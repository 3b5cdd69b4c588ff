//! The route table: every operation of the spec has a handler here or is
//! listed as unserved (answered 501 naming it). A test compares the two
//! lists with the spec's.

use arize_ax_api::{Operation, ops};

use crate::core::{Answer, Call, Problem, Reply};
use crate::resources::{
    api_keys, audit_logs, memberships, organizations, resource_restrictions, role_bindings, roles,
    space_members, spaces, users,
};
use crate::state::State;

/// A handler: the state and the request in, the reply out.
pub(crate) type Handler = fn(&mut State, &Call) -> Answer<Reply>;

/// The operations the fake serves, each with its handler.
pub(crate) const ROUTES: &[(&Operation, Handler)] = &[
    (ops::LIST_ORGANIZATIONS, |s, c| {
        organizations::list(&s.orgs, c)
    }),
    (ops::CREATE_ORGANIZATION, |s, c| {
        organizations::create(&mut s.orgs, &mut s.ids, c)
    }),
    (ops::GET_ORGANIZATION, |s, c| organizations::get(&s.orgs, c)),
    (ops::UPDATE_ORGANIZATION, |s, c| {
        organizations::update(&mut s.orgs, c)
    }),
    (ops::DELETE_ORGANIZATION, |s, c| {
        let outcome = organizations::delete(&mut s.orgs, c);
        s.settle(outcome)
    }),
    (ops::ADD_ORGANIZATION_USER, |s, c| {
        s.with(
            |s| &mut s.memberships,
            |t, ids, dir| memberships::add(t, ids, dir, c),
        )
    }),
    (ops::REMOVE_ORGANIZATION_USER, |s, c| {
        let outcome = s.with(
            |s| &mut s.memberships,
            |t, _, dir| memberships::remove(t, dir, c),
        );
        s.settle(outcome)
    }),
    (ops::LIST_USERS, |s, c| users::list(&s.users, c)),
    (ops::CREATE_USER, |s, c| {
        users::create(&mut s.users, &mut s.ids, &mut s.caller, c)
    }),
    (ops::GET_USER, |s, c| users::get(&s.users, c)),
    (ops::UPDATE_USER, |s, c| users::update(&mut s.users, c)),
    (ops::DELETE_USER, |s, c| {
        let outcome = users::delete(&mut s.users, s.caller.as_deref(), c);
        s.settle(outcome)
    }),
    (ops::RESEND_USER_INVITATION, |s, c| {
        users::resend_invitation(&mut s.users, c)
    }),
    (ops::RESET_USER_PASSWORD, |s, c| {
        users::reset_password(&mut s.users, c)
    }),
    (ops::LIST_SPACES, |s, c| {
        s.with(|s| &mut s.spaces, |t, _, dir| spaces::list(t, dir, c))
    }),
    (ops::CREATE_SPACE, |s, c| {
        s.with(
            |s| &mut s.spaces,
            |t, ids, dir| spaces::create(t, ids, dir, c),
        )
    }),
    (ops::GET_SPACE, |s, c| spaces::get(&s.spaces, c)),
    (ops::UPDATE_SPACE, |s, c| spaces::update(&mut s.spaces, c)),
    (ops::DELETE_SPACE, |s, c| {
        let outcome = spaces::delete(&mut s.spaces, c);
        s.settle(outcome)
    }),
    (ops::ADD_SPACE_USER, |s, c| {
        s.with(
            |s| &mut s.space_members,
            |t, ids, dir| space_members::add(t, ids, dir, c),
        )
    }),
    (ops::REMOVE_SPACE_USER, |s, c| {
        let outcome = s.with(
            |s| &mut s.space_members,
            |t, _, dir| space_members::remove(t, dir, c),
        );
        s.settle(outcome)
    }),
    (ops::LIST_ROLES, |s, c| {
        roles::list(&s.custom_roles, &s.ids, c)
    }),
    (ops::CREATE_ROLE, |s, c| {
        roles::create(&mut s.custom_roles, &mut s.ids, c)
    }),
    (ops::GET_ROLE, |s, c| roles::get(&s.custom_roles, &s.ids, c)),
    (ops::UPDATE_ROLE, |s, c| {
        roles::update(&mut s.custom_roles, &mut s.ids, c)
    }),
    (ops::DELETE_ROLE, |s, c| {
        s.with(
            |s| &mut s.custom_roles,
            |t, ids, dir| roles::delete(t, ids, dir, c),
        )
    }),
    (ops::LIST_ROLE_BINDINGS, |s, c| {
        s.with(
            |s| &mut s.role_bindings,
            |t, _, dir| role_bindings::list(t, dir, c),
        )
    }),
    (ops::CREATE_ROLE_BINDING, |s, c| {
        s.with(
            |s| &mut s.role_bindings,
            |t, ids, dir| role_bindings::create(t, ids, dir, c),
        )
    }),
    (ops::GET_ROLE_BINDING, |s, c| {
        role_bindings::get(&s.role_bindings, c)
    }),
    (ops::UPDATE_ROLE_BINDING, |s, c| {
        s.with(
            |s| &mut s.role_bindings,
            |t, ids, dir| role_bindings::update(t, ids, dir, c),
        )
    }),
    (ops::DELETE_ROLE_BINDING, |s, c| {
        role_bindings::delete(&mut s.role_bindings, c)
    }),
    (ops::LIST_API_KEYS, |s, c| {
        s.with(|s| &mut s.api_keys, |t, _, dir| api_keys::list(t, dir, c))
    }),
    (ops::CREATE_API_KEY, |s, c| {
        s.with(
            |s| &mut s.api_keys,
            |t, ids, dir| api_keys::create(t, ids, dir, c),
        )
    }),
    (ops::REFRESH_API_KEY, |s, c| {
        s.with(
            |s| &mut s.api_keys,
            |t, ids, dir| api_keys::refresh(t, ids, dir, c),
        )
    }),
    (ops::REVOKE_API_KEY, |s, c| {
        s.with(|s| &mut s.api_keys, |t, _, dir| api_keys::revoke(t, dir, c))
    }),
    (ops::LIST_AUDIT_LOGS, |s, c| {
        s.with(
            |s| &mut s.audit_log,
            |t, _, dir| audit_logs::list(t, dir, c),
        )
    }),
    (ops::LIST_RESOURCE_RESTRICTIONS, |s, c| {
        s.with(
            |s| &mut s.resource_restrictions,
            |t, _, dir| resource_restrictions::list(t, dir, c),
        )
    }),
    (ops::CREATE_RESOURCE_RESTRICTION, |s, c| {
        s.with(
            |s| &mut s.resource_restrictions,
            |t, ids, dir| resource_restrictions::create(t, ids, dir, c),
        )
    }),
    (ops::DELETE_RESOURCE_RESTRICTION, |s, c| {
        s.with(
            |s| &mut s.resource_restrictions,
            |t, _, dir| resource_restrictions::delete(t, dir, c),
        )
    }),
];

/// The operations of the spec the fake does not serve yet.
pub(crate) const UNSERVED: &[&Operation] = &[];

/// Runs one operation of the spec against the state: its handler, or 501
/// naming it.
pub(crate) fn dispatch(state: &mut State, op: &'static Operation, call: &Call) -> Answer<Reply> {
    match ROUTES.iter().find(|(served, _)| served.id == op.id) {
        Some((_, handler)) => handler(state, call),
        None => {
            debug_assert!(
                UNSERVED.iter().any(|u| u.id == op.id),
                "{} is neither routed nor listed as unserved",
                op.id
            );
            Err(Problem::new(
                501,
                format!("The fake does not implement {} yet.", op.id),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use arize_ax_api::OPERATIONS;
    use serde_json::{Value, json};

    use super::*;

    /// Runs an operation as a request would (without the HTTP layer's
    /// unknown-field check); the reply's body, or the problem.
    fn run(
        s: &mut State,
        op: &'static Operation,
        params: &[(&'static str, &str)],
        query: &[(&str, &str)],
        body: Value,
    ) -> Answer<Value> {
        let call = Call {
            op: None,
            params: params.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            query: query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: serde_json::to_vec(&body).unwrap(),
            caller: s.caller.clone(),
        };
        dispatch(s, op, &call).map(|r| r.body.unwrap_or(Value::Null))
    }

    fn status(result: Answer<Value>) -> u16 {
        result.unwrap_err().status
    }

    fn create_org(s: &mut State, body: Value) -> Answer<Value> {
        run(s, ops::CREATE_ORGANIZATION, &[], &[], body)
    }

    fn id(v: &Value) -> &str {
        v["id"].as_str().unwrap()
    }

    #[test]
    fn pages_follow_cursors_and_filter_case_insensitively() {
        let mut s = State::new(1);
        for name in ["Alpha", "beta", "ALPHABET", "gamma", "alpha-2"] {
            create_org(&mut s, json!({"name": name})).unwrap();
        }
        let list = |s: &mut State, query: &[(&str, &str)]| {
            run(s, ops::LIST_ORGANIZATIONS, &[], query, Value::Null)
        };
        let first = list(&mut s, &[("name", "alpha"), ("limit", "2")]).unwrap();
        let names: Vec<&str> = first["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Alpha", "ALPHABET"]);
        assert_eq!(first["pagination"]["has_more"], true);
        let cursor = first["pagination"]["next_cursor"].as_str().unwrap();
        let query = [("name", "alpha"), ("limit", "2"), ("cursor", cursor)];
        let second = list(&mut s, &query).unwrap();
        assert_eq!(second["organizations"][0]["name"], "alpha-2");
        assert_eq!(second["pagination"], json!({"has_more": false}));
        assert_eq!(status(list(&mut s, &[("cursor", "bogus")])), 400);
    }

    #[test]
    fn create_rules() {
        let mut s = State::new(1);
        let cases = [
            (json!({}), 422),
            (json!({"name": ""}), 422),
            (json!({"name": "x".repeat(256)}), 422),
            (json!({"name": 5}), 422),
            (json!({"name": "ok", "description": "d".repeat(1001)}), 422),
            (json!({"name": "ok", "id": "x"}), 422),
            (json!({"name": "ok", "created_at": "x"}), 422),
            (json!({"name": "ok", "description": null}), 422),
            (json!([1]), 400),
        ];
        for (b, expected) in cases {
            assert_eq!(status(create_org(&mut s, b.clone())), expected, "{b}");
        }
        let org = create_org(&mut s, json!({"name": "ok"})).unwrap();
        assert_eq!(org["description"], "");
        assert_eq!(status(create_org(&mut s, json!({"name": "ok"}))), 409);
        // Names are unique exactly: a case variant is another organization.
        create_org(&mut s, json!({"name": "OK"})).unwrap();
    }

    #[test]
    fn update_rules() {
        let mut s = State::new(1);
        let a = create_org(&mut s, json!({"name": "a", "description": "x"})).unwrap();
        let a = id(&a).to_owned();
        create_org(&mut s, json!({"name": "b"})).unwrap();
        let mut update = |id: &str, body: Value| {
            run(
                &mut s,
                ops::UPDATE_ORGANIZATION,
                &[("org_id", id)],
                &[],
                body,
            )
        };
        assert_eq!(status(update(&a, json!({}))), 400);
        assert_eq!(status(update(&a, json!({"name": null}))), 422);
        assert_eq!(status(update(&a, json!({"name": 5}))), 422);
        assert_eq!(status(update(&a, json!({"description": 5}))), 422);
        assert_eq!(status(update(&a, json!({"name": "b"}))), 409);
        assert_eq!(status(update("nope", json!({"name": "c"}))), 404);
        let renamed = update(&a, json!({"name": "a"})).unwrap();
        assert_eq!(renamed["name"], "a", "renaming to its own name is fine");
        let cleared = update(&a, json!({"description": null})).unwrap();
        assert_eq!(cleared["description"], "");
        update(&a, json!({"description": "y"})).unwrap();
        let cleared = update(&a, json!({"description": ""})).unwrap();
        assert_eq!(cleared["description"], "");
        let renamed = update(&a, json!({"name": "c"})).unwrap();
        assert_eq!(renamed["name"], "c");
        create_org(&mut s, json!({"name": "a"})).unwrap();
    }

    #[test]
    fn memberships_upsert_cascade_and_the_annotator_rule() {
        let mut s = State::new(1);
        let org = create_org(&mut s, json!({"name": "o"})).unwrap();
        let org = id(&org).to_owned();
        let member = s.add_account_user("M", "m@example.com", "MEMBER").id;
        let annotator = s.add_account_user("A", "a@example.com", "ANNOTATOR").id;
        let role = s.add_custom_role("Reviewer").id;
        let params = [("org_id", org.as_str())];
        let add = |s: &mut State, user: &str, role: Value| {
            run(
                s,
                ops::ADD_ORGANIZATION_USER,
                &params,
                &[],
                json!({"user_id": user, "role": role}),
            )
        };
        let predefined = |name: &str| json!({"type": "PREDEFINED", "name": name});
        let m1 = add(&mut s, &member, predefined("MEMBER")).unwrap();
        let m2 = add(&mut s, &member, predefined("ADMIN")).unwrap();
        assert_eq!(m1["id"], m2["id"], "upsert");
        assert_eq!(m2["role"]["name"], "ADMIN");
        assert_eq!(s.memberships().len(), 1);
        assert_eq!(status(add(&mut s, &member, predefined("ANNOTATOR"))), 400);
        assert_eq!(status(add(&mut s, &annotator, predefined("MEMBER"))), 400);
        add(&mut s, &annotator, predefined("ANNOTATOR")).unwrap();
        assert_eq!(status(add(&mut s, "nope", predefined("MEMBER"))), 404);
        let custom = json!({"type": "CUSTOM", "id": "x"});
        assert_eq!(status(add(&mut s, &member, custom)), 404);
        let custom = add(&mut s, &member, json!({"type": "CUSTOM", "id": role})).unwrap();
        assert_eq!(custom["role"]["name"], "Reviewer");
        assert_eq!(status(add(&mut s, &member, predefined("OWNER"))), 422);
        assert_eq!(status(add(&mut s, &member, json!({"type": "CUSTOM"}))), 422);
        let remove = |s: &mut State, user: &str| {
            let params = [("org_id", org.as_str()), ("user_id", user)];
            run(s, ops::REMOVE_ORGANIZATION_USER, &params, &[], Value::Null)
        };
        remove(&mut s, &annotator).unwrap();
        assert_eq!(status(remove(&mut s, &annotator)), 404);
        run(&mut s, ops::DELETE_ORGANIZATION, &params, &[], Value::Null).unwrap();
        assert!(s.memberships().is_empty(), "delete cascades");
        let get = run(&mut s, ops::GET_ORGANIZATION, &params, &[], Value::Null);
        assert_eq!(status(get), 404);
    }

    #[test]
    fn users_filter_by_email_and_status() {
        let mut s = State::new(1);
        s.add_account_user("J", "jane@example.com", "MEMBER");
        s.add_account_user("K", "kim@example.com", "ADMIN");
        s.add_account_user("É", "Éva@Example.com", "MEMBER");
        let mut list =
            |query: &[(&str, &str)]| run(&mut s, ops::LIST_USERS, &[], query, Value::Null).unwrap();
        assert_eq!(
            list(&[("email", "JANE@")])["users"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // Unicode case folding, as the facade's exact match does.
        assert_eq!(
            list(&[("email", "éVA@")])["users"][0]["email"],
            "Éva@Example.com"
        );
        assert!(
            list(&[("status", "INVITED")])["users"]
                .as_array()
                .is_none_or(Vec::is_empty)
        );
    }

    #[test]
    fn user_bodies_keep_arizes_statuses() {
        let mut s = State::new(1);
        let mut create = |body: Value| run(&mut s, ops::CREATE_USER, &[], &[], body);
        let ok = json!({"name": "N", "email": "n@example.com", "invite_mode": "NONE",
                        "role": {"type": "PREDEFINED", "name": "MEMBER"}});
        let with = |field: &str, value: Value| {
            let mut body = ok.clone();
            body[field] = value;
            body
        };
        let cases = [
            (with("name", json!("")), 400),
            (with("name", json!("   ")), 400),
            (with("name", json!(5)), 422),
            (with("email", json!("not-an-address")), 400),
            (with("email", json!(5)), 422),
            (
                with("role", json!({"type": "PREDEFINED", "name": "OWNER"})),
                422,
            ),
            (with("role", json!({"type": "CUSTOM", "id": "x"})), 400),
            (with("role", json!("MEMBER")), 422),
            (with("invite_mode", json!("SMOKE_SIGNAL")), 422),
            (with("status", json!("ACTIVE")), 422),
        ];
        for (body, expected) in cases {
            assert_eq!(status(create(body.clone())), expected, "{body}");
        }
        let padded = json!({"name": format!("  {}  ", "p".repeat(254)), "email": "p@example.com",
                            "invite_mode": "NONE", "role": {"type": "PREDEFINED", "name": "MEMBER"}});
        assert_eq!(create(padded).unwrap()["name"], "p".repeat(254));
        let created = create(ok.clone()).unwrap();
        assert_eq!(created["status"], "ACTIVE");
        assert_eq!(status(create(ok)), 409);
        let user = created["id"].as_str().unwrap().to_owned();
        let mut update =
            |body: Value| run(&mut s, ops::UPDATE_USER, &[("user_id", &user)], &[], body);
        assert_eq!(status(update(json!({}))), 400);
        assert_eq!(status(update(json!({"is_developer": null}))), 422);
        assert_eq!(status(update(json!({"is_developer": "yes"}))), 422);
        assert_eq!(status(update(json!({"name": " "}))), 400);
        let renamed = update(json!({"name": " Nia "})).unwrap();
        assert_eq!(renamed["name"], "Nia");
        // The length counts once trimmed: padding past 255 is not refused.
        let padded = format!("{}{}", " ".repeat(10), "a".repeat(250));
        assert_eq!(
            update(json!({ "name": padded })).unwrap()["name"],
            "a".repeat(250)
        );
        assert_eq!(status(update(json!({"name": "a".repeat(256)}))), 400);
    }

    /// An organization `o` and, in it, the member `m@example.com`; their
    /// IDs.
    fn org_with_member(s: &mut State) -> (String, String) {
        let org = create_org(s, json!({"name": "o"})).unwrap();
        let org = id(&org).to_owned();
        let user = s.add_account_user("M", "m@example.com", "MEMBER").id;
        join_org(s, &org, &user, "MEMBER");
        (org, user)
    }

    fn join_org(s: &mut State, org: &str, user: &str, role: &str) {
        run(
            s,
            ops::ADD_ORGANIZATION_USER,
            &[("org_id", org)],
            &[],
            json!({"user_id": user, "role": {"type": "PREDEFINED", "name": role}}),
        )
        .unwrap();
    }

    fn create_space(s: &mut State, body: Value) -> Answer<Value> {
        run(s, ops::CREATE_SPACE, &[], &[], body)
    }

    fn add_space_user(s: &mut State, space: &str, user: &str, role: Value) -> Answer<Value> {
        run(
            s,
            ops::ADD_SPACE_USER,
            &[("space_id", space)],
            &[],
            json!({"user_id": user, "role": role}),
        )
    }

    fn predefined(name: &str) -> Value {
        json!({"type": "PREDEFINED", "name": name})
    }

    #[test]
    fn spaces_are_created_with_the_documents_defaults_and_unique_names() {
        let mut s = State::new(1);
        let (org, _) = org_with_member(&mut s);
        let other = create_org(&mut s, json!({"name": "p"})).unwrap();
        let other = id(&other).to_owned();
        let space =
            create_space(&mut s, json!({"name": "ranking", "organization_id": org})).unwrap();
        assert_eq!(space["description"], "");
        assert_eq!(space["is_private"], false);
        assert_eq!(space["ml_models_enabled"], true);
        assert_eq!(space["organization_id"], org.as_str());
        let got = run(
            &mut s,
            ops::GET_SPACE,
            &[("space_id", id(&space))],
            &[],
            Value::Null,
        )
        .unwrap();
        assert_eq!(got, space);
        let clash = json!({"name": "ranking", "organization_id": org});
        assert_eq!(status(create_space(&mut s, clash)), 409);
        // Unique within the organization only.
        let elsewhere = json!({"name": "ranking", "organization_id": other, "is_private": true,
                               "description": "d"});
        let elsewhere = create_space(&mut s, elsewhere).unwrap();
        assert_eq!(elsewhere["is_private"], true);
        assert_eq!(elsewhere["description"], "d");
        let unknown = json!({"name": "x", "organization_id": "nope"});
        assert_eq!(status(create_space(&mut s, unknown)), 404);
        let cases = [
            json!({"name": "x"}),
            json!({"organization_id": org}),
            json!({"name": "x".repeat(256), "organization_id": org}),
            json!({"name": "x", "organization_id": org, "description": "d".repeat(1001)}),
            json!({"name": "x", "organization_id": org, "id": "i"}),
            json!({"name": "x", "organization_id": org, "is_private": "yes"}),
            json!({"name": "x", "organization_id": org, "description": null}),
        ];
        for body in cases {
            assert_eq!(status(create_space(&mut s, body.clone())), 422, "{body}");
        }
        let get = run(
            &mut s,
            ops::GET_SPACE,
            &[("space_id", "nope")],
            &[],
            Value::Null,
        );
        assert_eq!(status(get), 404);
        // Created spaces are listed after the seeded ones, under new IDs.
        let listed = run(
            &mut s,
            ops::LIST_SPACES,
            &[],
            &[("org_id", &org)],
            Value::Null,
        )
        .unwrap();
        assert_eq!(listed["spaces"][0]["id"], space["id"]);
        assert_ne!(space["id"], elsewhere["id"]);
    }

    #[test]
    fn a_space_update_keeps_what_it_omits_and_clears_what_it_nulls() {
        let mut s = State::new(1);
        let (org, _) = org_with_member(&mut s);
        let a = create_space(
            &mut s,
            json!({"name": "a", "organization_id": org,
                                               "description": "first"}),
        )
        .unwrap();
        let a = id(&a).to_owned();
        create_space(&mut s, json!({"name": "b", "organization_id": org})).unwrap();
        let mut update =
            |id: &str, body: Value| run(&mut s, ops::UPDATE_SPACE, &[("space_id", id)], &[], body);
        let set = update(
            &a,
            json!({"is_private": true, "ml_models_enabled": false,
                   "gradient_start_color": "#000000", "gradient_end_color": "#ffffff",
                   "default_llm_integration": {"integration_id": "SW50OjE=", "model_name": "gpt-4o"},
                   "default_agent_runtime": {"integration_id": "SW50OjI="}}),
        )
        .unwrap();
        assert_eq!(set["description"], "first", "omitted, kept");
        assert_eq!(set["name"], "a");
        assert_eq!(set["is_private"], true);
        assert_eq!(set["ml_models_enabled"], false);
        assert_eq!(set["gradient_start_color"], "#000000");
        assert_eq!(set["gradient_end_color"], "#ffffff");
        assert_eq!(
            set["default_llm_integration"],
            json!({"integration_id": "SW50OjE=", "model_name": "gpt-4o"})
        );
        assert_eq!(
            set["default_agent_runtime"],
            json!({"integration_id": "SW50OjI="})
        );
        let renamed = update(&a, json!({"name": "c"})).unwrap();
        assert_eq!(
            renamed["default_llm_integration"],
            set["default_llm_integration"]
        );
        assert_eq!(renamed["is_private"], true);
        let cleared = update(
            &a,
            json!({"description": null, "default_llm_integration": null,
                   "default_agent_runtime": null}),
        )
        .unwrap();
        assert_eq!(cleared["description"], "");
        assert!(
            cleared.get("default_llm_integration").is_none(),
            "{cleared}"
        );
        assert!(cleared.get("default_agent_runtime").is_none(), "{cleared}");
        assert_eq!(cleared["gradient_start_color"], "#000000", "kept");
        assert_eq!(status(update(&a, json!({"description": ""}))), 422);
        assert_eq!(status(update(&a, json!({}))), 400);
        assert_eq!(status(update(&a, json!({"name": "b"}))), 409);
        assert_eq!(update(&a, json!({"name": "c"})).unwrap()["name"], "c");
        assert_eq!(status(update(&a, json!({"name": null}))), 422);
        assert_eq!(status(update(&a, json!({"is_private": null}))), 422);
        assert_eq!(status(update(&a, json!({"created_at": "x"}))), 422);
        let half = json!({"default_llm_integration": {"integration_id": "SW50OjE="}});
        assert_eq!(status(update(&a, half)), 422);
        assert_eq!(status(update("nope", json!({"name": "z"}))), 404);
        // The old name is free again.
        create_space(&mut s, json!({"name": "a", "organization_id": org})).unwrap();
    }

    #[test]
    fn space_members_upsert_for_organization_members_only_and_the_annotator_rule() {
        let mut s = State::new(1);
        let (org, member) = org_with_member(&mut s);
        let annotator = s.add_account_user("A", "a@example.com", "ANNOTATOR").id;
        join_org(&mut s, &org, &annotator, "ANNOTATOR");
        let outsider = s.add_account_user("O", "o@example.com", "MEMBER").id;
        let role = s.add_custom_role("Reviewer").id;
        let space = create_space(&mut s, json!({"name": "sp", "organization_id": org})).unwrap();
        let space = id(&space).to_owned();
        let m1 = add_space_user(&mut s, &space, &member, predefined("READ_ONLY")).unwrap();
        assert_eq!(m1["space_id"], space.as_str());
        assert_eq!(m1["role"], predefined("READ_ONLY"));
        let m2 = add_space_user(&mut s, &space, &member, predefined("ADMIN")).unwrap();
        assert_eq!(m1["id"], m2["id"], "upsert");
        assert_eq!(m2["role"]["name"], "ADMIN");
        assert_eq!(s.members_of_space(&space).len(), 1);
        let custom = json!({"type": "CUSTOM", "id": role});
        let m3 = add_space_user(&mut s, &space, &member, custom).unwrap();
        assert_eq!(
            m3["role"],
            json!({"type": "CUSTOM", "id": role, "name": "Reviewer"})
        );
        let refused = add_space_user(&mut s, &space, &outsider, predefined("MEMBER")).unwrap_err();
        assert_eq!(refused.status, 400);
        assert!(
            refused.detail.contains("not a member of organization"),
            "{}",
            refused.detail
        );
        let annotator_role = predefined("ANNOTATOR");
        assert_eq!(
            status(add_space_user(
                &mut s,
                &space,
                &member,
                annotator_role.clone()
            )),
            400
        );
        assert_eq!(
            status(add_space_user(
                &mut s,
                &space,
                &annotator,
                predefined("MEMBER")
            )),
            400
        );
        add_space_user(&mut s, &space, &annotator, annotator_role).unwrap();
        let unknown_role = json!({"type": "CUSTOM", "id": "nope"});
        assert_eq!(
            status(add_space_user(&mut s, &space, &member, unknown_role)),
            404
        );
        assert_eq!(
            status(add_space_user(
                &mut s,
                "nope",
                &member,
                predefined("MEMBER")
            )),
            404
        );
        assert_eq!(
            status(add_space_user(&mut s, &space, "nope", predefined("MEMBER"))),
            404
        );
        assert_eq!(
            status(add_space_user(&mut s, &space, &member, predefined("OWNER"))),
            422
        );
        let named = json!({"type": "CUSTOM", "id": role, "name": "x"});
        assert_eq!(status(add_space_user(&mut s, &space, &member, named)), 422);
        let remove = |s: &mut State, user: &str| {
            let params = [("space_id", space.as_str()), ("user_id", user)];
            run(s, ops::REMOVE_SPACE_USER, &params, &[], Value::Null)
        };
        remove(&mut s, &annotator).unwrap();
        assert_eq!(status(remove(&mut s, &annotator)), 404);
        assert_eq!(status(remove(&mut s, &outsider)), 404);
        assert_eq!(s.members_of_space(&space).len(), 1);
    }

    #[test]
    fn space_memberships_follow_deletes_and_departures() {
        let mut s = State::new(1);
        let (org, member) = org_with_member(&mut s);
        let other = s.add_account_user("N", "n@example.com", "MEMBER").id;
        join_org(&mut s, &org, &other, "MEMBER");
        let mut spaces = Vec::new();
        for name in ["s1", "s2", "s3"] {
            let space =
                create_space(&mut s, json!({"name": name, "organization_id": org})).unwrap();
            let space = id(&space).to_owned();
            for user in [&member, &other] {
                add_space_user(&mut s, &space, user, predefined("MEMBER")).unwrap();
            }
            spaces.push(space);
        }
        assert_eq!(s.space_members().len(), 6);
        // Deleting a space takes its members.
        let params = [("space_id", spaces[0].as_str())];
        run(&mut s, ops::DELETE_SPACE, &params, &[], Value::Null).unwrap();
        assert!(s.members_of_space(&spaces[0]).is_empty());
        assert!(s.space(&spaces[0]).is_none());
        assert_eq!(
            status(run(&mut s, ops::DELETE_SPACE, &params, &[], Value::Null)),
            404
        );
        assert_eq!(s.space_members().len(), 4);
        // Leaving the organization leaves its spaces.
        let params = [("org_id", org.as_str()), ("user_id", other.as_str())];
        run(
            &mut s,
            ops::REMOVE_ORGANIZATION_USER,
            &params,
            &[],
            Value::Null,
        )
        .unwrap();
        assert!(s.space_members().iter().all(|m| m.user_id != other));
        assert_eq!(s.space_members().len(), 2);
        // Once out of the organization, they cannot come back to a space.
        let back = add_space_user(&mut s, &spaces[1], &other, predefined("MEMBER"));
        assert_eq!(status(back), 400);
        // A user removed from the account leaves every space.
        run(
            &mut s,
            ops::DELETE_USER,
            &[("user_id", &member)],
            &[],
            Value::Null,
        )
        .unwrap();
        assert!(s.space_members().is_empty());
        // Deleting the organization takes its spaces and their members.
        let third = s.add_account_user("T", "t@example.com", "MEMBER").id;
        join_org(&mut s, &org, &third, "MEMBER");
        add_space_user(&mut s, &spaces[2], &third, predefined("MEMBER")).unwrap();
        let kept_org = create_org(&mut s, json!({"name": "kept"})).unwrap();
        let kept_org = id(&kept_org).to_owned();
        join_org(&mut s, &kept_org, &third, "MEMBER");
        let kept = create_space(&mut s, json!({"name": "k", "organization_id": kept_org})).unwrap();
        let kept = id(&kept).to_owned();
        add_space_user(&mut s, &kept, &third, predefined("MEMBER")).unwrap();
        run(
            &mut s,
            ops::DELETE_ORGANIZATION,
            &[("org_id", &org)],
            &[],
            Value::Null,
        )
        .unwrap();
        assert!(s.spaces().iter().all(|sp| sp.organization_id != org));
        assert_eq!(s.spaces().len(), 1);
        let left: Vec<String> = s.space_members().into_iter().map(|m| m.space_id).collect();
        assert_eq!(left, [kept]);
    }

    fn list_roles(s: &mut State, query: &[(&str, &str)]) -> Answer<Value> {
        run(s, ops::LIST_ROLES, &[], query, Value::Null)
    }

    fn names(page: &Value) -> Vec<String> {
        page["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn roles_list_the_predefined_ones_first_and_page_with_one_cursor() {
        let mut s = State::new(1);
        s.add_custom_role("Reviewer");
        let create = |s: &mut State, name: &str| {
            run(
                s,
                ops::CREATE_ROLE,
                &[],
                &[],
                json!({"name": name, "permissions": ["PROJECT_READ"]}),
            )
        };
        create(&mut s, "Curator").unwrap();
        let all = list_roles(&mut s, &[]).unwrap();
        assert_eq!(
            names(&all),
            [
                "ADMIN",
                "MEMBER",
                "READ_ONLY",
                "ANNOTATOR",
                "Reviewer",
                "Curator"
            ]
        );
        assert_eq!(all["roles"][0]["is_predefined"], true);
        assert_eq!(all["roles"][4]["is_predefined"], false);
        assert!(
            all["roles"][0]["permissions"].as_array().unwrap().len()
                > all["roles"][2]["permissions"].as_array().unwrap().len()
        );
        assert_eq!(all["pagination"], json!({"has_more": false}));
        let first = list_roles(&mut s, &[("limit", "3")]).unwrap();
        assert_eq!(names(&first), ["ADMIN", "MEMBER", "READ_ONLY"]);
        let cursor = first["pagination"]["next_cursor"]
            .as_str()
            .unwrap()
            .to_owned();
        let second = list_roles(&mut s, &[("limit", "2"), ("cursor", &cursor)]).unwrap();
        assert_eq!(names(&second), ["ANNOTATOR", "Reviewer"]);
        let cursor = second["pagination"]["next_cursor"]
            .as_str()
            .unwrap()
            .to_owned();
        let third = list_roles(&mut s, &[("limit", "2"), ("cursor", &cursor)]).unwrap();
        assert_eq!(names(&third), ["Curator"]);
        assert_eq!(third["pagination"]["has_more"], false);
        let custom = list_roles(&mut s, &[("is_predefined", "false")]).unwrap();
        assert_eq!(names(&custom), ["Reviewer", "Curator"]);
        let built_in = list_roles(&mut s, &[("is_predefined", "true"), ("limit", "3")]).unwrap();
        assert_eq!(names(&built_in), ["ADMIN", "MEMBER", "READ_ONLY"]);
        assert_eq!(built_in["pagination"]["has_more"], true);
        assert_eq!(
            status(list_roles(&mut s, &[("is_predefined", "maybe")])),
            400
        );
        assert_eq!(status(list_roles(&mut s, &[("cursor", "bogus")])), 400);
        // Get finds either kind.
        for role in all["roles"].as_array().unwrap() {
            let got = run(
                &mut s,
                ops::GET_ROLE,
                &[("role_id", id(role))],
                &[],
                Value::Null,
            );
            assert_eq!(&got.unwrap(), role);
        }
        let missing = run(
            &mut s,
            ops::GET_ROLE,
            &[("role_id", "nope")],
            &[],
            Value::Null,
        );
        assert_eq!(status(missing), 404);
    }

    #[test]
    fn custom_roles_validate_names_and_permissions() {
        let mut s = State::new(1);
        let mut create = |body: Value| run(&mut s, ops::CREATE_ROLE, &[], &[], body);
        let made = create(
            json!({"name": "Dataset Curator", "description": "Datasets.",
                                 "permissions": ["PROJECT_READ", "DATASET_READ", "PROJECT_READ"]}),
        )
        .unwrap();
        assert_eq!(made["is_predefined"], false);
        assert_eq!(made["permissions"], json!(["PROJECT_READ", "DATASET_READ"]));
        assert_eq!(made["description"], "Datasets.");
        assert_eq!(made["created_at"], made["updated_at"]);
        let plain = create(json!({"name": "Plain", "permissions": ["PROJECT_READ"]})).unwrap();
        assert!(
            plain.get("description").is_none(),
            "empty, left out: {plain}"
        );
        let ok = |name: &str| json!({"name": name, "permissions": ["PROJECT_READ"]});
        assert_eq!(status(create(ok("Dataset Curator"))), 409);
        assert_eq!(status(create(ok("ADMIN"))), 409, "a predefined name");
        let cases = [
            json!({"name": "X", "permissions": ["NOT_A_PERMISSION"]}),
            json!({"name": "X", "permissions": []}),
            json!({"name": "X"}),
            json!({"permissions": ["PROJECT_READ"]}),
            ok(""),
            ok("bad<name>"),
            ok(&"x".repeat(256)),
            json!({"name": "X", "permissions": ["PROJECT_READ"], "is_predefined": true}),
            json!({"name": "X", "permissions": ["PROJECT_READ"], "description": null}),
        ];
        for body in cases {
            assert_eq!(status(create(body.clone())), 422, "{body}");
        }
    }

    #[test]
    fn role_updates_replace_permissions_and_spare_predefined_roles() {
        let mut s = State::new(1);
        let made = run(
            &mut s,
            ops::CREATE_ROLE,
            &[],
            &[],
            json!({"name": "R", "description": "d", "permissions": ["PROJECT_READ", "DATASET_READ"]}),
        )
        .unwrap();
        let role = id(&made).to_owned();
        s.add_custom_role("Taken");
        let admin = s.predefined_roles()[0].id.clone();
        let mut update =
            |id: &str, body: Value| run(&mut s, ops::UPDATE_ROLE, &[("role_id", id)], &[], body);
        let replaced = update(&role, json!({"permissions": ["DATASET_CREATE"]})).unwrap();
        assert_eq!(
            replaced["permissions"],
            json!(["DATASET_CREATE"]),
            "replaced, not merged"
        );
        assert_eq!(replaced["description"], "d", "omitted, kept");
        assert_eq!(replaced["name"], "R");
        assert_ne!(replaced["updated_at"], made["updated_at"]);
        assert_eq!(replaced["created_at"], made["created_at"]);
        let cleared = update(&role, json!({"description": null})).unwrap();
        assert!(cleared.get("description").is_none(), "{cleared}");
        assert_eq!(cleared["permissions"], json!(["DATASET_CREATE"]), "kept");
        let renamed = update(&role, json!({"name": "R2"})).unwrap();
        assert_eq!(renamed["name"], "R2");
        assert_eq!(status(update(&role, json!({"name": "Taken"}))), 409);
        assert_eq!(status(update(&role, json!({"name": "MEMBER"}))), 409);
        assert_eq!(update(&role, json!({"name": "R2"})).unwrap()["name"], "R2");
        assert_eq!(status(update(&role, json!({}))), 400);
        assert_eq!(status(update(&role, json!({"permissions": []}))), 422);
        assert_eq!(status(update(&role, json!({"permissions": ["NOPE"]}))), 422);
        assert_eq!(status(update(&role, json!({"name": null}))), 422);
        assert_eq!(status(update(&role, json!({"id": "x"}))), 422);
        assert_eq!(status(update("nope", json!({"name": "Z"}))), 404);
        let refused = update(&admin, json!({"name": "Boss"})).unwrap_err();
        assert_eq!(refused.status, 403);
        assert!(refused.detail.contains("predefined"), "{}", refused.detail);
        assert_eq!(s.predefined_roles()[0].name, "ADMIN");
    }

    #[test]
    fn roles_in_use_and_predefined_roles_cannot_be_deleted() {
        let mut s = State::new(1);
        let (org, member) = org_with_member(&mut s);
        let space = create_space(&mut s, json!({"name": "sp", "organization_id": org})).unwrap();
        let space = id(&space).to_owned();
        let held = s.add_custom_role("Held").id;
        let free = s.add_custom_role("Free").id;
        let admin = s.predefined_roles()[0].id.clone();
        add_space_user(
            &mut s,
            &space,
            &member,
            json!({"type": "CUSTOM", "id": held}),
        )
        .unwrap();
        let delete = |s: &mut State, id: &str| {
            run(s, ops::DELETE_ROLE, &[("role_id", id)], &[], Value::Null)
        };
        assert_eq!(status(delete(&mut s, &admin)), 403);
        assert_eq!(status(delete(&mut s, &held)), 409);
        assert_eq!(status(delete(&mut s, "nope")), 404);
        delete(&mut s, &free).unwrap();
        assert!(s.custom_role(&free).is_none());
        assert_eq!(status(delete(&mut s, &free)), 404);
        // Once no membership holds it, the role can go.
        let params = [("space_id", space.as_str()), ("user_id", member.as_str())];
        run(&mut s, ops::REMOVE_SPACE_USER, &params, &[], Value::Null).unwrap();
        delete(&mut s, &held).unwrap();
        // A custom role an organization membership holds is in use too.
        let org_role = s.add_custom_role("OrgRole").id;
        run(
            &mut s,
            ops::ADD_ORGANIZATION_USER,
            &[("org_id", &org)],
            &[],
            json!({"user_id": member, "role": {"type": "CUSTOM", "id": org_role}}),
        )
        .unwrap();
        assert_eq!(status(delete(&mut s, &org_role)), 409);
    }

    #[test]
    fn role_bindings_one_per_user_and_resource_with_the_documents_statuses() {
        let mut s = State::new(1);
        let (org, member) = org_with_member(&mut s);
        let space = create_space(&mut s, json!({"name": "sp", "organization_id": org})).unwrap();
        let space = id(&space).to_owned();
        let custom = s.add_custom_role("Curator").id;
        let admin = s.predefined_roles()[0].id.clone();
        let project = "UHJvamVjdDoyNDY4"; // base64 of "Project:2468"
        let create = |s: &mut State, body: Value| run(s, ops::CREATE_ROLE_BINDING, &[], &[], body);
        let body = |role: &str, kind: &str, resource: &str| json!({"role_id": role, "user_id": member, "resource_type": kind, "resource_id": resource});
        let made = create(&mut s, body(&custom, "SPACE", &space)).unwrap();
        assert_eq!(made["resource_type"], "SPACE");
        assert_eq!(made["role_id"], custom.as_str());
        assert_eq!(status(create(&mut s, body(&admin, "SPACE", &space))), 409);
        assert_eq!(
            status(create(&mut s, body("nope", "PROJECT", project))),
            404
        );
        assert_eq!(status(create(&mut s, body(&admin, "PROJECT", &space))), 403);
        assert_eq!(status(create(&mut s, body(&admin, "SPACE", project))), 403);
        assert_eq!(status(create(&mut s, body(&admin, "FOLDER", project))), 400);
        assert_eq!(status(create(&mut s, json!({"role_id": admin}))), 422);
        let on_project = create(&mut s, body(&admin, "PROJECT", project)).unwrap();
        assert_eq!(s.role_bindings.len(), 2);
        // The custom role is in use while a binding holds it.
        let delete_role = |s: &mut State, id: &str| {
            run(s, ops::DELETE_ROLE, &[("role_id", id)], &[], Value::Null)
        };
        assert_eq!(status(delete_role(&mut s, &custom)), 409);

        let list = |s: &mut State, query: &[(&str, &str)]| {
            run(s, ops::LIST_ROLE_BINDINGS, &[], query, Value::Null)
        };
        assert_eq!(status(list(&mut s, &[])), 400, "resource_type is required");
        let spaces = list(&mut s, &[("resource_type", "SPACE")]).unwrap();
        assert_eq!(spaces["role_bindings"].as_array().unwrap().len(), 1);
        assert_eq!(spaces["role_bindings"][0]["id"], made["id"]);
        let mine = list(
            &mut s,
            &[("resource_type", "PROJECT"), ("user_id", &member)],
        )
        .unwrap();
        assert_eq!(mine["role_bindings"][0]["id"], on_project["id"]);
        assert_eq!(
            status(list(
                &mut s,
                &[("resource_type", "SPACE"), ("user_id", "nobody")]
            )),
            404
        );

        let binding = id(&made).to_owned();
        let update = |s: &mut State, id: &str, body: Value| {
            run(
                s,
                ops::UPDATE_ROLE_BINDING,
                &[("binding_id", id)],
                &[],
                body,
            )
        };
        let changed = update(&mut s, &binding, json!({"role_id": admin})).unwrap();
        assert_eq!(changed["role_id"], admin.as_str());
        assert_eq!(changed["user_id"], member.as_str());
        assert_ne!(changed["updated_at"], made["updated_at"]);
        assert_eq!(
            status(update(&mut s, &binding, json!({"role_id": "nope"}))),
            404
        );
        assert_eq!(
            status(update(&mut s, "nope", json!({"role_id": admin}))),
            404
        );
        assert_eq!(status(update(&mut s, &binding, json!({}))), 422);
        assert!(
            delete_role(&mut s, &custom).is_ok(),
            "no binding holds it any more"
        );

        let get = |s: &mut State, id: &str| {
            run(
                s,
                ops::GET_ROLE_BINDING,
                &[("binding_id", id)],
                &[],
                Value::Null,
            )
        };
        assert_eq!(get(&mut s, &binding).unwrap()["role_id"], admin.as_str());
        let delete = |s: &mut State, id: &str| {
            run(
                s,
                ops::DELETE_ROLE_BINDING,
                &[("binding_id", id)],
                &[],
                Value::Null,
            )
        };
        delete(&mut s, &binding).unwrap();
        assert_eq!(status(delete(&mut s, &binding)), 404);
        assert_eq!(status(get(&mut s, &binding)), 404);
    }

    #[test]
    fn role_bindings_follow_the_space_the_member_and_the_user() {
        let mut s = State::new(2);
        let (org, member) = org_with_member(&mut s);
        let admin = s.predefined_roles()[0].id.clone();
        let bind = |s: &mut State, user: &str, space: &str| {
            run(
                s,
                ops::CREATE_ROLE_BINDING,
                &[],
                &[],
                json!({"role_id": admin, "user_id": user, "resource_type": "SPACE", "resource_id": space}),
            )
            .unwrap();
        };
        let a = id(&create_space(&mut s, json!({"name": "a", "organization_id": org})).unwrap())
            .to_owned();
        let b = id(&create_space(&mut s, json!({"name": "b", "organization_id": org})).unwrap())
            .to_owned();
        let other = s.add_account_user("O", "o@example.com", "MEMBER").id;
        join_org(&mut s, &org, &other, "MEMBER");
        for space in [&a, &b] {
            bind(&mut s, &member, space);
            bind(&mut s, &other, space);
        }
        add_space_user(&mut s, &a, &member, predefined("MEMBER")).unwrap();
        run(
            &mut s,
            ops::REMOVE_SPACE_USER,
            &[("space_id", &a), ("user_id", &member)],
            &[],
            Value::Null,
        )
        .unwrap();
        let held = |s: &State| -> Vec<(String, String)> {
            s.role_bindings
                .values()
                .map(|b| (b.user_id.clone(), b.resource_id.clone()))
                .collect()
        };
        assert!(!held(&s).contains(&(member.clone(), a.clone())));
        assert_eq!(held(&s).len(), 3);
        run(
            &mut s,
            ops::DELETE_SPACE,
            &[("space_id", &b)],
            &[],
            Value::Null,
        )
        .unwrap();
        assert_eq!(held(&s), vec![(other.clone(), a.clone())]);
        run(
            &mut s,
            ops::DELETE_USER,
            &[("user_id", &other)],
            &[],
            Value::Null,
        )
        .unwrap();
        assert!(held(&s).is_empty());
        bind(&mut s, &member, &a);
        run(
            &mut s,
            ops::DELETE_ORGANIZATION,
            &[("org_id", &org)],
            &[],
            Value::Null,
        )
        .unwrap();
        assert!(
            held(&s).is_empty(),
            "the organization took its spaces' bindings"
        );
    }

    #[test]
    fn api_keys_follow_the_documents_rules() {
        let mut s = State::new(3);
        s.add_account_user("Admin", "admin@example.com", "ADMIN");
        let (org, _) = org_with_member(&mut s);
        let space = create_space(&mut s, json!({"name": "sp", "organization_id": org})).unwrap();
        let space = id(&space).to_owned();
        let other_org = id(&create_org(&mut s, json!({"name": "o2"})).unwrap()).to_owned();
        let create = |s: &mut State, body: Value| run(s, ops::CREATE_API_KEY, &[], &[], body);
        let service =
            |orgs: Value| json!({"key_type": "SERVICE", "name": "bot", "organizations": orgs});
        let personal = create(&mut s, json!({"key_type": "USER", "name": "laptop"})).unwrap();
        assert_eq!(personal["key_type"], "USER");
        let secret = personal["key"].as_str().unwrap().to_owned();
        assert!(personal["redacted_key"].as_str().unwrap().contains("..."));
        assert!(
            !personal["redacted_key"]
                .as_str()
                .unwrap()
                .contains(&secret[6..30])
        );

        let made = create(
            &mut s,
            service(json!([{"org_id": org, "spaces": [{"space_id": space}]}])),
        )
        .unwrap();
        let bot = &made["bot_user"];
        assert_eq!(bot["account_role"]["name"], "MEMBER");
        assert_eq!(bot["organizations"][0]["role"]["name"], "READ_ONLY");
        assert_eq!(
            bot["organizations"][0]["spaces"][0]["role"]["name"],
            "MEMBER"
        );
        // The bot user can be bound roles like any user.
        let admin = s.predefined_roles()[0].id.clone();
        run(
            &mut s,
            ops::CREATE_ROLE_BINDING,
            &[],
            &[],
            json!({"role_id": admin, "user_id": bot["id"], "resource_type": "SPACE", "resource_id": space}),
        )
        .unwrap();

        for (body, want) in [
            (service(json!([])), 422),
            (service(json!([{"org_id": org, "spaces": []}])), 422),
            (
                service(json!([{"org_id": other_org, "spaces": [{"space_id": space}]}])),
                400,
            ),
            (
                service(json!([{"org_id": org, "spaces": [{"space_id": space,
                "role": {"type": "PREDEFINED", "name": "ANNOTATOR"}}]}])),
                422,
            ),
            (
                service(
                    json!([{"org_id": org, "role": {"type": "CUSTOM", "id": admin},
                "spaces": [{"space_id": space}]}]),
                ),
                422,
            ),
            (
                json!({"key_type": "SERVICE", "name": "b", "account_role": {"type": "PREDEFINED", "name": "ANNOTATOR"},
                "organizations": [{"org_id": org, "spaces": [{"space_id": space}]}]}),
                400,
            ),
            (
                json!({"key_type": "USER", "name": "old", "expires_at": "2020-01-01T00:00:00Z"}),
                422,
            ),
            (json!({"key_type": "USER", "name": "x".repeat(257)}), 422),
            (json!({"key_type": "ROBOT", "name": "r"}), 422),
        ] {
            assert_eq!(status(create(&mut s, body.clone())), want, "{body}");
        }

        let list = |s: &mut State, query: &[(&str, &str)]| {
            run(s, ops::LIST_API_KEYS, &[], query, Value::Null).map(|v| v["api_keys"].clone())
        };
        let mine = list(&mut s, &[]).unwrap();
        assert_eq!(
            mine.as_array().unwrap().len(),
            1,
            "personal keys by default: {mine}"
        );
        assert!(mine[0].get("key").is_none(), "no secret in a listing");
        let of_space = list(&mut s, &[("space_id", &space)]).unwrap();
        assert_eq!(of_space[0]["key_type"], "SERVICE");
        assert!(
            of_space[0]["bot_user"].get("organizations").is_none(),
            "{of_space}"
        );
        assert_eq!(status(list(&mut s, &[("key_type", "SERVICE")])), 400);

        // Refresh: the expiry rules, then a new secret.
        let key_id = id(&personal).to_owned();
        let refresh = |s: &mut State, id: &str, body: Value| {
            run(s, ops::REFRESH_API_KEY, &[("api_key_id", id)], &[], body)
        };
        assert_eq!(
            status(refresh(
                &mut s,
                &key_id,
                json!({"grace_period_seconds": 86401})
            )),
            422
        );
        let refreshed = refresh(&mut s, &key_id, json!({})).unwrap();
        assert_eq!(refreshed["id"], personal["id"]);
        assert_ne!(refreshed["key"], personal["key"]);
        let soon = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
        let later = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
        refresh(&mut s, &key_id, json!({"expires_at": soon})).unwrap();
        assert_eq!(
            status(refresh(&mut s, &key_id, json!({}))),
            422,
            "an expiring key needs one"
        );
        assert_eq!(
            status(refresh(&mut s, &key_id, json!({"expires_at": later}))),
            422
        );
        assert_eq!(status(refresh(&mut s, "nope", json!({}))), 404);

        let revoke = |s: &mut State, id: &str| {
            run(
                s,
                ops::REVOKE_API_KEY,
                &[("api_key_id", id)],
                &[],
                Value::Null,
            )
        };
        revoke(&mut s, &key_id).unwrap();
        revoke(&mut s, &key_id).unwrap();
        assert_eq!(status(revoke(&mut s, "nope")), 404);
        assert_eq!(status(refresh(&mut s, &key_id, json!({}))), 400);
        let revoked = list(&mut s, &[("status", "REVOKED")]).unwrap();
        assert_eq!(revoked[0]["id"], personal["id"]);
    }

    #[test]
    fn only_its_creator_or_an_account_admin_refreshes_or_revokes_a_key() {
        let mut s = State::new(5);
        s.add_account_user("Admin", "admin@example.com", "ADMIN");
        let member = s.add_account_user("M", "m@example.com", "MEMBER").id;
        let as_user =
            |s: &mut State, caller: &str, op, params: &[(&'static str, &str)], body: Value| {
                let call = Call {
                    op: None,
                    params: params.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
                    query: Vec::new(),
                    body: serde_json::to_vec(&body).unwrap(),
                    caller: Some(caller.to_owned()),
                };
                dispatch(s, op, &call).map(|r| r.body.unwrap_or(Value::Null))
            };
        let admins = run(
            &mut s,
            ops::CREATE_API_KEY,
            &[],
            &[],
            json!({"key_type": "USER", "name": "a"}),
        )
        .unwrap();
        let admins = id(&admins).to_owned();
        let mine = as_user(
            &mut s,
            &member,
            ops::CREATE_API_KEY,
            &[],
            json!({"key_type": "USER", "name": "m"}),
        )
        .unwrap();
        let mine = id(&mine).to_owned();
        let revoke = |s: &mut State, caller: &str, key: &str| {
            as_user(
                s,
                caller,
                ops::REVOKE_API_KEY,
                &[("api_key_id", key)],
                Value::Null,
            )
        };
        assert_eq!(
            status(revoke(&mut s, &member, &admins)),
            404,
            "not probeable"
        );
        assert_eq!(
            status(as_user(
                &mut s,
                &member,
                ops::REFRESH_API_KEY,
                &[("api_key_id", &admins)],
                json!({})
            )),
            404
        );
        revoke(&mut s, &member, &mine).unwrap();
        let admin = s.caller.clone().unwrap();
        revoke(&mut s, &admin, &mine).unwrap();
        revoke(&mut s, &admin, &admins).unwrap();
    }

    #[test]
    fn issued_keys_authenticate_until_revoked_or_refreshed_away() {
        let mut s = State::new(4);
        s.add_account_user("Admin", "admin@example.com", "ADMIN");
        let made = run(
            &mut s,
            ops::CREATE_API_KEY,
            &[],
            &[],
            json!({"key_type": "USER", "name": "k"}),
        )
        .unwrap();
        let secret = made["key"].as_str().unwrap().to_owned();
        let me = s.caller.clone();
        assert_eq!(s.authenticate(&secret, false), Some(me.clone()));
        assert_eq!(s.authenticate("ak-guess", false), None);
        let key = id(&made).to_owned();
        let fresh = run(
            &mut s,
            ops::REFRESH_API_KEY,
            &[("api_key_id", &key)],
            &[],
            json!({"grace_period_seconds": 3600}),
        )
        .unwrap();
        let new = fresh["key"].as_str().unwrap().to_owned();
        assert_eq!(
            s.authenticate(&secret, false),
            Some(me.clone()),
            "within the grace period"
        );
        assert_eq!(s.authenticate(&new, false), Some(me.clone()));
        run(
            &mut s,
            ops::REFRESH_API_KEY,
            &[("api_key_id", &key)],
            &[],
            json!({}),
        )
        .unwrap();
        assert_eq!(s.authenticate(&new, false), None, "no grace: gone at once");
        assert_eq!(s.authenticate(&secret, false), None);
        run(
            &mut s,
            ops::REVOKE_API_KEY,
            &[("api_key_id", &key)],
            &[],
            Value::Null,
        )
        .unwrap();
        assert!(s.api_keys().iter().all(|k| {
            s.clone()
                .authenticate(k.secret.expose_secret(), false)
                .is_none()
        }));
        let shown = format!("{:?}", s.api_keys());
        assert!(
            !shown.contains(&secret) && !shown.contains(&new),
            "Debug never shows a secret"
        );
    }

    #[test]
    fn the_audit_log_is_for_admins_with_logging_on_and_checks_its_filters() {
        let mut s = State::new(3);
        s.add_account_user("Admin", "admin@example.com", "ADMIN");
        let member = s.add_account_user("M", "m@example.com", "MEMBER").id;
        let admin = s.caller.clone().unwrap();
        create_org(&mut s, json!({"name": "logged"})).unwrap();
        let call = Call {
            params: Vec::new(),
            query: Vec::new(),
            body: Vec::new(),
            caller: Some(member.clone()),
            op: None,
        };
        s.audit(ops::CREATE_ORGANIZATION, &call);
        let list = |s: &mut State, query: &[(&str, &str)]| {
            run(s, ops::LIST_AUDIT_LOGS, &[], query, Value::Null)
        };
        // Two entries: the member's, recorded by hand; `run` skips the
        // server, which records the calls it serves.
        let all = list(&mut s, &[]).unwrap();
        assert_eq!(all["logs"].as_array().unwrap().len(), 1, "{all}");
        assert_eq!(all["logs"][0]["user_id"], member.as_str());
        let none = list(&mut s, &[("user_id", &admin)]).unwrap();
        assert!(none.get("logs").is_none(), "{none}");
        let kinds = list(&mut s, &[("operation_type", "QUERY")]).unwrap();
        assert!(kinds.get("logs").is_none(), "{kinds}");
        for bad in [
            vec![("operation_type", "WRITE")],
            vec![("operation_name", "")],
            vec![("start_time", "yesterday")],
            vec![
                ("start_time", "2026-02-01T00:00:00Z"),
                ("end_time", "2026-01-01T00:00:00Z"),
            ],
            vec![("cursor", "bogus")],
        ] {
            assert_eq!(status(list(&mut s, &bad)), 400, "{bad:?}");
        }
        let names: Vec<(&str, &str)> = (0..21).map(|_| ("operation_name", "x")).collect();
        assert_eq!(status(list(&mut s, &names)), 400);

        let as_member = Call {
            caller: Some(member),
            ..Call::default()
        };
        let refused = dispatch(&mut s, ops::LIST_AUDIT_LOGS, &as_member).unwrap_err();
        assert_eq!(refused.status, 403);
        s.set_audit_logging(false);
        assert_eq!(status(list(&mut s, &[])), 403);
        s.audit(ops::CREATE_ORGANIZATION, &call);
        assert_eq!(s.audit_log().len(), 1, "nothing recorded while off");
    }

    #[test]
    fn restriction_pages_are_filtered_after_reading_and_members_see_their_own() {
        let mut s = State::new(3);
        s.add_account_user("Admin", "admin@example.com", "ADMIN");
        let member = s.add_account_user("M", "m@example.com", "MEMBER").id;
        let restrict = |s: &mut State, caller: Option<String>, id: &str| {
            let call = Call {
                op: None,
                params: Vec::new(),
                query: Vec::new(),
                body: serde_json::to_vec(&json!({"resource_id": id})).unwrap(),
                caller,
            };
            dispatch(s, ops::CREATE_RESOURCE_RESTRICTION, &call)
                .map(|r| r.body.unwrap_or(Value::Null))
        };
        let admin = s.caller.clone();
        restrict(&mut s, admin.clone(), "UHJvamVjdDox").unwrap(); // Project:1
        s.add_hidden_restrictions(3);
        restrict(&mut s, Some(member.clone()), "UHJvbXB0OjI=").unwrap(); // Prompt:2
        assert_eq!(
            status(restrict(&mut s, admin.clone(), "U3BhY2U6MQ==")),
            400,
            "a space cannot be restricted"
        );
        let page = |s: &mut State, caller: Option<String>, cursor: Option<&str>| {
            let mut query = vec![("limit".to_owned(), "2".to_owned())];
            if let Some(c) = cursor {
                query.push(("cursor".to_owned(), c.to_owned()));
            }
            let call = Call {
                query,
                caller,
                ..Call::default()
            };
            dispatch(s, ops::LIST_RESOURCE_RESTRICTIONS, &call)
                .unwrap()
                .body
                .unwrap()
        };
        // Reads 2 a page: [Project:1, hidden], [hidden, hidden], [Prompt:2].
        let first = page(&mut s, admin.clone(), None);
        assert_eq!(first["resource_restrictions"].as_array().unwrap().len(), 1);
        let cursor = first["pagination"]["next_cursor"]
            .as_str()
            .unwrap()
            .to_owned();
        let second = page(&mut s, admin.clone(), Some(&cursor));
        assert!(
            second.get("resource_restrictions").is_none(),
            "empty, with more: {second}"
        );
        assert_eq!(second["pagination"]["has_more"], true);
        let cursor = second["pagination"]["next_cursor"]
            .as_str()
            .unwrap()
            .to_owned();
        let third = page(&mut s, admin.clone(), Some(&cursor));
        assert_eq!(third["resource_restrictions"][0]["resource_type"], "PROMPT");
        assert_eq!(third["pagination"]["has_more"], false);
        // A member sees (and lifts) only what they restricted.
        let first = page(&mut s, Some(member.clone()), None);
        assert!(first.get("resource_restrictions").is_none(), "{first}");
        let lift = |s: &mut State, caller: Option<String>, id: &str| {
            let call = Call {
                params: vec![("resource_id", id.to_owned())],
                caller,
                ..Call::default()
            };
            dispatch(s, ops::DELETE_RESOURCE_RESTRICTION, &call).map(|r| r.status)
        };
        assert_eq!(
            lift(&mut s, Some(member.clone()), "UHJvamVjdDox")
                .unwrap_err()
                .status,
            404
        );
        assert_eq!(lift(&mut s, Some(member), "UHJvbXB0OjI=").unwrap(), 204);
        assert_eq!(lift(&mut s, admin, "UHJvbXB0OjI=").unwrap_err().status, 404);
    }

    #[test]
    fn every_operation_of_the_spec_is_routed_or_listed_as_unserved_once() {
        let served: Vec<&str> = ROUTES.iter().map(|(op, _)| op.id).collect();
        let unserved: Vec<&str> = UNSERVED.iter().map(|op| op.id).collect();
        let mut all: Vec<&str> = served.iter().chain(&unserved).copied().collect();
        all.sort_unstable();
        let spec: Vec<&str> = {
            let mut ids: Vec<&str> = OPERATIONS.iter().map(|op| op.id).collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(all, spec, "served {served:?}, unserved {unserved:?}");
        let distinct: BTreeSet<&str> = all.iter().copied().collect();
        assert_eq!(distinct.len(), all.len(), "an operation is listed twice");
    }
}
