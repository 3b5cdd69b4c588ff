"""Runs the official Python SDK's spaces and roles calls against
`arize-ax fake serve`, checking each answer; prints one line per call and
exits 1 at the first call that does not do what the document says. Reads
ARIZE_API_KEY, ARIZE_API_HOST, ARIZE_API_SCHEME and ARIZE_API_PORT.
    python_sdk_spaces_roles.py"""

import logging
import sys

from arize import ArizeClient
from arize.organizations.types import PredefinedOrgRole
from arize.roles.types import Permission
from arize.spaces.types import CustomSpaceRole, PredefinedSpaceRole

logging.disable(logging.WARNING)  # the pre-release warnings


def check(what: str, ok: bool, detail: object = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'}  {what}{'' if ok else f': {detail}'}")
    if not ok:
        sys.exit(1)


def fails(call) -> bool:
    try:
        call()
    except Exception:  # noqa: BLE001 - an API error in whatever form the SDK raises
        return True
    return False


def value(x: object) -> str:
    return str(getattr(x, "value", x))


def main() -> None:
    client = ArizeClient()
    spaces, roles, orgs, users = client.spaces, client.roles, client.organizations, client.users
    org = orgs.list(limit=1).organizations[0]

    # Spaces: create, get by ID and by name, update, the conflict, delete.
    made = spaces.create(name="py-space", organization_id=org.id, description="From Python",
                         is_private=True)
    check("spaces.create", made.name == "py-space" and made.is_private is True, made)
    check("spaces.get by ID", spaces.get(space=made.id).id == made.id)
    check("spaces.get by name", spaces.get(space="py-space").id == made.id)
    check("spaces.create, the same name again -> refused (409)",
          fails(lambda: spaces.create(name="py-space", organization_id=org.id)))
    changed = spaces.update(space=made.id, name="py-space-2", is_private=False,
                            ml_models_enabled=True, gradient_start_color="#112233")
    check("spaces.update name, visibility, ML models, colour",
          changed.name == "py-space-2" and changed.is_private is False
          and changed.ml_models_enabled is True and changed.gradient_start_color == "#112233",
          changed)
    cleared = spaces.update(space=made.id, description=None)
    check("spaces.update description=None clears it (others kept)",
          (cleared.description or "") == "" and cleared.name == "py-space-2", cleared)
    check("spaces.update description='' -> refused",
          fails(lambda: spaces.update(space=made.id, description="")))

    # Roles: list (both kinds), create, get by name, update, the conflict.
    listed = roles.list(limit=100)
    kinds = {r.is_predefined for r in listed.roles}
    check(f"roles.list -> {len(listed.roles)} roles, both kinds", kinds == {True, False}, listed)
    predefined = roles.list(limit=100, is_predefined=True).roles
    check("roles.list is_predefined=True", all(r.is_predefined for r in predefined), predefined)
    role = roles.create(name="Py Curator", description="Datasets",
                        permissions=[Permission.PROJECT_READ, Permission.DATASET_READ])
    check("roles.create", role.name == "Py Curator"
          and sorted(value(p) for p in role.permissions) == ["DATASET_READ", "PROJECT_READ"], role)
    check("roles.get by name", roles.get(role="Py Curator").id == role.id)
    check("roles.create, the same name again -> refused (409)",
          fails(lambda: roles.create(name="Py Curator", permissions=[Permission.USER_READ])))
    check("roles.create with no permission -> refused",
          fails(lambda: roles.create(name="Py Empty", permissions=[])))
    updated = roles.update(role=role.id, permissions=[Permission.DATASET_CREATE])
    check("roles.update permissions replaces the set",
          [value(p) for p in updated.permissions] == ["DATASET_CREATE"], updated)
    admin = next(r for r in predefined if r.name == "ADMIN")
    check("roles.update of a predefined role -> refused",
          fails(lambda: roles.update(role=admin.id, name="Boss")))
    check("roles.delete of a predefined role -> refused",
          fails(lambda: roles.delete(role=admin.id)))

    # Space members: outside the organization refused, then in; upsert;
    # a custom role; remove; remove again refused.
    bob = next(u for u in users.list(limit=100).users if u.email == "bob@example.com")
    check("spaces.add_user of a user outside the organization -> refused (400)",
          fails(lambda: spaces.add_user(space=made.id, user_id=bob.id,
                                        role=PredefinedSpaceRole(name="MEMBER"))))
    orgs.add_user(organization=org.id, user_id=bob.id, role=PredefinedOrgRole(name="MEMBER"))
    member = spaces.add_user(space=made.id, user_id=bob.id,
                             role=PredefinedSpaceRole(name="READ_ONLY"))
    check("spaces.add_user predefined role", value(member.role.name) == "READ_ONLY", member)
    custom = spaces.add_user(space=made.id, user_id=bob.id, role=CustomSpaceRole(id=role.id))
    check("spaces.add_user custom role (upsert)",
          value(custom.role.type) == "CUSTOM" and custom.role.id == role.id, custom)
    check("roles.delete of a role in use -> refused (409)",
          fails(lambda: roles.delete(role=role.id)))
    spaces.remove_user(space=made.id, user_id=bob.id)
    check("spaces.remove_user", True)
    check("spaces.remove_user again -> refused (404)",
          fails(lambda: spaces.remove_user(space=made.id, user_id=bob.id)))
    roles.delete(role=role.id)
    check("roles.delete", fails(lambda: roles.get(role=role.id)))

    spaces.delete(space=made.id)
    check("spaces.delete", fails(lambda: spaces.get(space=made.id)))


if __name__ == "__main__":
    main()
