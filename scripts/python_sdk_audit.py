"""Runs the official Python SDK's audit_logs and resource_restrictions calls
against `arize-ax fake serve` (started with hidden restrictions, so pages
come back short or empty, and seeded audit-log entries), checking each
answer; prints one line per call and exits 1 at the first call that does not
do what the document says. Reads ARIZE_API_KEY, ARIZE_API_HOST,
ARIZE_API_SCHEME and ARIZE_API_PORT.
    python_sdk_audit.py HIDDEN_RESTRICTIONS SEEDED_ENTRIES"""

import base64
import datetime
import logging
import sys

from arize import ArizeClient
from arize.audit_logs.types import AuditLogOperationType
from arize.resource_restrictions.types import ResourceRestrictionType

logging.disable(logging.WARNING)  # the pre-release warnings


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def check(what: str, ok: bool, detail: object = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'}  {what}{'' if ok else f': {detail}'}")
    if not ok:
        sys.exit(1)


def status(call) -> int:
    """The HTTP status an API error carries (0 when the call succeeded)."""
    try:
        call()
    except Exception as e:  # noqa: BLE001 - an API error in whatever form the SDK raises
        return int(getattr(e, "status", -1) or -1)
    return 0


def value(x: object) -> str:
    return str(getattr(x, "value", x))


def main() -> None:
    hidden, seeded = int(sys.argv[1]), int(sys.argv[2])
    client = ArizeClient()
    restrictions, logs = client.resource_restrictions, client.audit_logs

    # Restrictions: restrict (twice: the same answer), the 400 for an ID
    # that is not a project's, dashboard's or prompt's, the listing through
    # short and empty pages, unrestrict and its 404.
    ids = [b64("Project:py-1"), b64("Dashboard:py-2"), b64("Prompt:py-3")]
    made = [restrictions.restrict(resource_id=i) for i in ids]
    check("resource_restrictions.restrict a project, a dashboard, a prompt",
          [value(r.resource_type) for r in made] == ["PROJECT", "DASHBOARD", "PROMPT"], made)
    again = restrictions.restrict(resource_id=ids[0])
    check("resource_restrictions.restrict again -> the same restriction",
          again.resource_id == ids[0] and again.created_at == made[0].created_at, again)
    check("resource_restrictions.restrict a space's ID -> 400",
          status(lambda: restrictions.restrict(resource_id=b64("Space:1"))) == 400)
    first = restrictions.list(limit=50)
    check(f"resource_restrictions.list: the first page reads {hidden} hidden ones first -> empty, has_more",
          not first.resource_restrictions and first.pagination.has_more, first)
    seen, cursor, pages = [], None, 0
    while True:
        page = restrictions.list(limit=50, cursor=cursor)
        pages += 1
        seen += [r.resource_id for r in page.resource_restrictions or []]
        if not page.pagination.has_more:
            break
        cursor = page.pagination.next_cursor
    check(f"resource_restrictions.list to the end ({pages} pages)", sorted(seen) == sorted(ids), seen)
    dashboards = restrictions.list(resource_type=ResourceRestrictionType.DASHBOARD, limit=100)
    while not dashboards.resource_restrictions and dashboards.pagination.has_more:
        dashboards = restrictions.list(resource_type=ResourceRestrictionType.DASHBOARD, limit=100,
                                       cursor=dashboards.pagination.next_cursor)
    check("resource_restrictions.list DASHBOARD",
          [r.resource_id for r in dashboards.resource_restrictions or []] == [ids[1]], dashboards)
    restrictions.unrestrict(resource_id=ids[0])
    check("resource_restrictions.unrestrict, then again -> 404",
          status(lambda: restrictions.unrestrict(resource_id=ids[0])) == 404)

    # Audit logs: the calls above are in the log, newest first, with each
    # filter; the seeded entries fill the window; bad filters are 400.
    me = next(u for u in client.users.list(limit=100).users if u.email == "alice@example.com")
    posts = logs.list(operation_names=["POST /v2/resource-restrictions"], limit=100)
    check("audit_logs.list by operation name: the five restricts (one refused)",
          len(posts.logs) == 5 and all(e.operation_name == "POST /v2/resource-restrictions"
                                       for e in posts.logs), posts)
    check("audit_logs.list: newest first, the body kept",
          all(a.created_at >= b.created_at for a, b in zip(posts.logs, posts.logs[1:]))
          and "Space" not in (posts.logs[0].operation_text or "")
          and b64("Space:1") in (posts.logs[0].operation_text or ""), posts.logs[0])
    deletes = logs.list(operation_type=AuditLogOperationType.MUTATION, user_id=me.id,
                        operation_names=["DELETE /v2/resource-restrictions/{resource_id}"])
    check("audit_logs.list by type, user and name",
          len(deletes.logs) == 2 and all(e.user_id == me.id for e in deletes.logs), deletes)
    now = datetime.datetime.now(datetime.timezone.utc)
    total, cursor = 0, None
    while True:
        page = logs.list(start_time=now - datetime.timedelta(days=30), end_time=now, limit=100,
                         cursor=cursor)
        total += len(page.logs or [])
        if not page.pagination.has_more:
            break
        cursor = page.pagination.next_cursor
    check(f"audit_logs.list over the window, page by page ({total} entries)", total > seeded, total)
    old = logs.list(end_time=now - datetime.timedelta(days=60))
    check("audit_logs.list before the seeded entries -> none", not old.logs, old)
    # The SDK itself refuses 21 names (its model says 20 at most); the fake's
    # 400 for them is checked by the Rust tests.
    check("audit_logs.list with 21 operation names -> refused",
          status(lambda: logs.list(operation_names=[f"op-{i}" for i in range(21)])) != 0)
    check("audit_logs.list with start after end -> 400",
          status(lambda: logs.list(start_time=now, end_time=now - datetime.timedelta(hours=1))) == 400)


if __name__ == "__main__":
    main()
