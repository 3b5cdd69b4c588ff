"""Runs the official Python SDK's user-lifecycle, custom-role and spaces calls
against `arize-ax fake serve`, checking each answer; prints one line per call
and exits 1 at the first call that does not do what the spec says. Reads
ARIZE_API_KEY, ARIZE_API_HOST, ARIZE_API_SCHEME and ARIZE_API_PORT.
    python_sdk_lifecycle.py CUSTOM_ROLE_ID"""

import logging
import sys

from arize import ArizeClient
from arize.organizations.types import CustomOrgRole, PredefinedOrgRole
from arize.users.types import PredefinedUserRole

logging.disable(logging.WARNING)  # the pre-release warnings


def check(what: str, ok: bool, detail: object = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'}  {what}{'' if ok else f': {detail}'}")
    if not ok:
        sys.exit(1)


def main() -> None:
    custom_role_id = sys.argv[1]
    client = ArizeClient()
    users, orgs, spaces = client.users, client.organizations, client.spaces
    member = PredefinedUserRole(name="MEMBER")

    made = {}
    for mode, email in [("EMAIL_LINK", "py-link@example.com"),
                        ("NONE", "py-none@example.com"),
                        ("TEMPORARY_PASSWORD", "py-temp@example.com")]:
        user = users.create(name=f"Py {mode}", email=email, role=member, invite_mode=mode)
        made[mode] = user
        status = str(getattr(user.status, "value", user.status))
        expected = "ACTIVE" if mode == "NONE" else "INVITED"
        check(f"users.create invite_mode={mode} -> {status}", status == expected, user)
    password = made["TEMPORARY_PASSWORD"].temporary_password
    check("users.create TEMPORARY_PASSWORD returns a password", bool(password))
    again = users.create(name="Py EMAIL_LINK", email="PY-LINK@example.com", role=member,
                         invite_mode="EMAIL_LINK")
    check("users.create again (pending invitation) -> the same user",
          again.id == made["EMAIL_LINK"].id, again)

    updated = users.update(user_id=made["NONE"].id, name="Py Renamed", is_developer=False)
    check("users.update name and is_developer",
          updated.name == "Py Renamed" and updated.is_developer is False, updated)

    users.resend_invitation(user_id=made["EMAIL_LINK"].id)
    check("users.resend_invitation (INVITED user)", True)
    users.reset_password(user_id=made["NONE"].id)
    check("users.reset_password (ACTIVE user)", True)

    org = orgs.list(limit=1).organizations[0]
    listed = spaces.list(organization_id=org.id, limit=100)
    names = [s.name for s in listed.spaces]
    check(f"spaces.list organization_id={org.name} -> {names}", len(names) > 0, listed)

    membership = orgs.add_user(organization=org.id, user_id=made["NONE"].id,
                               role=CustomOrgRole(id=custom_role_id))
    role = membership.role
    role_type = str(getattr(getattr(role, "type", None), "value", getattr(role, "type", None)))
    check(f"organizations.add_user custom role -> {role}",
          role_type == "CUSTOM" and getattr(role, "id", None) == custom_role_id, membership)
    orgs.add_user(organization=org.id, user_id=made["NONE"].id,
                  role=PredefinedOrgRole(name="MEMBER"))
    check("organizations.add_user predefined role (upsert)", True)

    users.delete(user_id=made["NONE"].id)
    users.delete(user_id=made["NONE"].id)
    check("users.delete, twice (the second answers 204 again)", True)
    try:
        users.get(user=made["NONE"].id)
        gone = False
    except Exception:  # noqa: BLE001 - a 404 in whatever form the SDK raises
        gone = True
    check("users.get of a removed user fails", gone)


if __name__ == "__main__":
    main()
