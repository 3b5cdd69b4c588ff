//! The route table: every operation of the spec has a handler here or is
//! listed as unserved (answered 501 naming it). A test compares the two
//! lists with the spec's.

use arize_ax_api::{Operation, ops};

use crate::core::{Answer, Call, Problem, Reply};
use crate::resources::{memberships, organizations, roles, space_members, spaces, users};
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
        let (reply, event) = organizations::delete(&mut s.orgs, c)?;
        s.follow(&event);
        Ok(reply)
    }),
    (ops::ADD_ORGANIZATION_USER, |s, c| {
        s.with(
            |s| &mut s.memberships,
            |t, ids, dir| memberships::add(t, ids, dir, c),
        )
    }),
    (ops::REMOVE_ORGANIZATION_USER, |s, c| {
        let (reply, event) = s.with(
            |s| &mut s.memberships,
            |t, _, dir| memberships::remove(t, dir, c),
        )?;
        s.follow(&event);
        Ok(reply)
    }),
    (ops::LIST_USERS, |s, c| users::list(&s.users, c)),
    (ops::CREATE_USER, |s, c| {
        users::create(&mut s.users, &mut s.ids, &mut s.caller, c)
    }),
    (ops::GET_USER, |s, c| users::get(&s.users, c)),
    (ops::UPDATE_USER, |s, c| users::update(&mut s.users, c)),
    (ops::DELETE_USER, |s, c| {
        let (reply, event) = users::delete(&mut s.users, s.caller.as_deref(), c)?;
        s.follow(&event);
        Ok(reply)
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
        let (reply, event) = spaces::delete(&mut s.spaces, c)?;
        s.follow(&event);
        Ok(reply)
    }),
    (ops::ADD_SPACE_USER, |s, c| {
        s.with(
            |s| &mut s.space_members,
            |t, ids, dir| space_members::add(t, ids, dir, c),
        )
    }),
    (ops::REMOVE_SPACE_USER, |s, c| {
        let (reply, event) = s.with(
            |s| &mut s.space_members,
            |t, _, dir| space_members::remove(t, dir, c),
        )?;
        s.follow(&event);
        Ok(reply)
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
];

/// The operations of the spec the fake does not serve yet.
pub(crate) const UNSERVED: &[&Operation] = &[
    ops::LIST_ROLE_BINDINGS,
    ops::CREATE_ROLE_BINDING,
    ops::GET_ROLE_BINDING,
    ops::UPDATE_ROLE_BINDING,
    ops::DELETE_ROLE_BINDING,
    ops::LIST_API_KEYS,
    ops::CREATE_API_KEY,
    ops::REFRESH_API_KEY,
    ops::REVOKE_API_KEY,
    ops::LIST_AUDIT_LOGS,
    ops::LIST_RESOURCE_RESTRICTIONS,
    ops::CREATE_RESOURCE_RESTRICTION,
    ops::DELETE_RESOURCE_RESTRICTION,
];

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

    #[test]
    fn an_unserved_operation_answers_501_naming_it() {
        let mut state = State::new(0);
        let problem = dispatch(&mut state, ops::LIST_ROLE_BINDINGS, &Call::default()).unwrap_err();
        assert_eq!(problem.status, 501);
        assert!(
            problem.detail.contains("list_role_bindings"),
            "{}",
            problem.detail
        );
    }
}
