//! The bad-input table: every facade entry point with every kind of bad
//! input fails with an error naming the field and the rule, and the fake
//! receives zero requests.

use std::future::Future;
use std::pin::Pin;

use arize_ax::{Client, Error, OrgRef, OrgRole, Organizations};
use arize_ax_fake::FakeArize;

type Call = Pin<Box<dyn Future<Output = Result<(), Error>>>>;
type Entry = Box<dyn FnOnce(Organizations) -> Call>;

const LONG: usize = 256;
const BAD_ID: &str = "bm90LWFuLWlk"; // base64 of "not-an-id": no colon

/// (entry point, bad input, field, rule the message states, the call)
fn table() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Entry,
)> {
    fn long() -> String {
        "x".repeat(LONG)
    }
    fn id() -> String {
        "T3JnYW5pemF0aW9uOjE=".to_string()
    }
    macro_rules! call {
        (|$o:ident| $e:expr) => {
            Box::new(|$o: Organizations| Box::pin(async move { $e.await.map(drop) }) as Call)
                as Entry
        };
    }
    vec![
        (
            "list",
            "limit 0",
            "limit",
            "between 1 and 100",
            call!(|o| o.list().limit(0).send()),
        ),
        (
            "list",
            "limit 101",
            "limit",
            "between 1 and 100",
            call!(|o| o.list().limit(101).send()),
        ),
        (
            "list",
            "empty name",
            "name",
            "must not be empty",
            call!(|o| o.list().name("").send()),
        ),
        (
            "list",
            "whitespace name",
            "name",
            "whitespace",
            call!(|o| o.list().name("   ").send()),
        ),
        (
            "list",
            "too long name",
            "name",
            "at most 255",
            call!(|o| o.list().name(long()).send()),
        ),
        (
            "list",
            "control characters",
            "name",
            "control characters",
            call!(|o| o.list().name("a\u{7}").send()),
        ),
        (
            "get",
            "empty",
            "organization",
            "must not be empty",
            call!(|o| o.get("")),
        ),
        (
            "get",
            "whitespace",
            "organization",
            "whitespace",
            call!(|o| o.get(" \t ")),
        ),
        (
            "get",
            "too long",
            "organization",
            "at most 255",
            call!(|o| o.get(long())),
        ),
        (
            "get",
            "control characters",
            "organization",
            "control characters",
            call!(|o| o.get("x\u{0}y")),
        ),
        (
            "get",
            "ID that fails to decode",
            "organization",
            "not a valid ID",
            call!(|o| o.get(OrgRef::id(BAD_ID))),
        ),
        (
            "create",
            "empty",
            "name",
            "must not be empty",
            call!(|o| o.create("").send()),
        ),
        (
            "create",
            "whitespace",
            "name",
            "whitespace",
            call!(|o| o.create("  ").send()),
        ),
        (
            "create",
            "too long",
            "name",
            "at most 255",
            call!(|o| o.create(long()).send()),
        ),
        (
            "create",
            "control characters",
            "name",
            "control characters",
            call!(|o| o.create("new\nline").send()),
        ),
        (
            "create",
            "too long description",
            "description",
            "at most 1000",
            call!(|o| o.create("ok").description("d".repeat(1001)).send()),
        ),
        (
            "create",
            "control characters in description",
            "description",
            "control characters",
            call!(|o| o.create("ok").description("\u{1b}[2J").send()),
        ),
        (
            "update",
            "no field",
            "update",
            "at least one of name or description",
            call!(|o| o.update(OrgRef::Id(id())).send()),
        ),
        (
            "update",
            "empty name",
            "name",
            "must not be empty",
            call!(|o| o.update(OrgRef::Id(id())).name("").send()),
        ),
        (
            "update",
            "too long name",
            "name",
            "at most 255",
            call!(|o| o.update(OrgRef::Id(id())).name(long()).send()),
        ),
        (
            "update",
            "empty organization",
            "organization",
            "must not be empty",
            call!(|o| o.update("").name("x").send()),
        ),
        (
            "update",
            "ID that fails to decode",
            "organization",
            "not a valid ID",
            call!(|o| o.update(OrgRef::id(BAD_ID)).name("x").send()),
        ),
        (
            "delete",
            "empty",
            "organization",
            "must not be empty",
            call!(|o| o.delete("")),
        ),
        (
            "delete",
            "whitespace",
            "organization",
            "whitespace",
            call!(|o| o.delete("\n")),
        ),
        (
            "delete",
            "too long",
            "organization",
            "at most 255",
            call!(|o| o.delete(long())),
        ),
        (
            "delete",
            "control characters",
            "organization",
            "control characters",
            call!(|o| o.delete("a\u{8}")),
        ),
        (
            "delete",
            "ID that fails to decode",
            "organization",
            "not a valid ID",
            call!(|o| o.delete(OrgRef::id(BAD_ID))),
        ),
        (
            "add_user",
            "empty user",
            "user",
            "must not be empty",
            call!(|o| o.add_user(OrgRef::Id(id()), "", OrgRole::Member).send()),
        ),
        (
            "add_user",
            "whitespace user",
            "user",
            "whitespace",
            call!(|o| o.add_user(OrgRef::Id(id()), "  ", OrgRole::Member).send()),
        ),
        (
            "add_user",
            "user ID that fails to decode",
            "user",
            "not a valid ID",
            call!(|o| o.add_user(OrgRef::Id(id()), BAD_ID, OrgRole::Member).send()),
        ),
        (
            "add_user",
            "too long email",
            "user",
            "at most 255",
            call!(|o| o
                .add_user(
                    OrgRef::Id(id()),
                    format!("{}@example.com", long()),
                    OrgRole::Member
                )
                .send()),
        ),
        (
            "add_user",
            "empty organization",
            "organization",
            "must not be empty",
            call!(|o| o.add_user("", "a@example.com", OrgRole::Member).send()),
        ),
        (
            "add_user",
            "invalid role",
            "role",
            "valid roles: admin, member, read-only, annotator",
            Box::new(|_o: Organizations| {
                Box::pin(async { "superuser".parse::<OrgRole>().map(drop) }) as Call
            }) as Entry,
        ),
        (
            "remove_user",
            "empty user",
            "user",
            "must not be empty",
            call!(|o| o.remove_user(OrgRef::Id(id()), "")),
        ),
        (
            "remove_user",
            "control characters",
            "user",
            "control characters",
            call!(|o| o.remove_user(OrgRef::Id(id()), "a\u{7f}@example.com")),
        ),
        (
            "remove_user",
            "whitespace organization",
            "organization",
            "whitespace",
            call!(|o| o.remove_user(" ", "a@example.com")),
        ),
        (
            "add_users",
            "concurrency 0",
            "concurrency",
            "between 1 and 64",
            call!(|o| o
                .add_users(OrgRef::Id(id()), [("a@example.com", OrgRole::Member)])
                .concurrency(0)
                .send()),
        ),
        (
            "remove_users",
            "empty organization",
            "organization",
            "must not be empty",
            call!(|o| o.remove_users("", ["a@example.com"]).send()),
        ),
    ]
}

#[tokio::test]
async fn every_entry_point_refuses_bad_input_before_sending() {
    let fake = FakeArize::builder().seed_orgs(1).start().await.unwrap();
    let client = Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for (entry, input, field, rule, call) in table() {
        match call(client.organizations()).await {
            Err(Error::InvalidInput { field: got, reason }) => {
                if got != field || !reason.contains(rule) {
                    failures.push(format!(
                        "{entry} / {input}: got field {got:?}, reason {reason:?}"
                    ));
                }
                let message = Error::InvalidInput { field: got, reason }.to_string();
                if !message.starts_with(&format!("invalid {field}: ")) {
                    failures.push(format!("{entry} / {input}: message {message:?}"));
                }
            }
            other => failures.push(format!(
                "{entry} / {input}: expected InvalidInput, got {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        fake.requests().is_empty(),
        "bad input reached the server: {:?}",
        fake.requests()
    );
}
