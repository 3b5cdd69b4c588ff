"""Runs the official Python SDK's role_bindings and api_keys calls against
`arize-ax fake serve`, checking each answer; prints one line per call and
exits 1 at the first call that does not do what the document says. Reads
ARIZE_API_KEY, ARIZE_API_HOST, ARIZE_API_SCHEME and ARIZE_API_PORT.
    python_sdk_access.py"""

import base64
import logging
import sys

from arize import ArizeClient
from arize.api_keys.types import ApiKeyStatus, ApiKeyType, OrgBinding, SpaceBinding
from arize.role_bindings.types import RoleBindingResourceType
from arize.roles.types import Permission

logging.disable(logging.WARNING)  # the pre-release warnings

PROJECT = base64.b64encode(b"Project:2468").decode()


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
    client = ArizeClient()
    bindings, roles, spaces, orgs, users = (client.role_bindings, client.roles, client.spaces,
                                            client.organizations, client.users)
    org = orgs.list(limit=1).organizations[0]
    space = spaces.create(name="py-access", organization_id=org.id)
    role = roles.create(name="Py Binder", permissions=[Permission.DATASET_READ])
    admin = next(r for r in roles.list(limit=100, is_predefined=True).roles if r.name == "ADMIN")
    bob = next(u for u in users.list(limit=100).users if u.email == "bob@example.com")
    alice = next(u for u in users.list(limit=100).users if u.email == "alice@example.com")

    # Role bindings: create on a space and a project, the 409, list, get,
    # update, the refusals, delete.
    made = bindings.create(user_id=bob.id, role_id=role.id,
                           resource_type=RoleBindingResourceType.SPACE, resource_id=space.id)
    check("role_bindings.create on a space",
          made.user_id == bob.id and made.role_id == role.id
          and value(made.resource_type) == "SPACE" and made.resource_id == space.id, made)
    check("role_bindings.create, a second binding of the user on the space -> 409",
          status(lambda: bindings.create(user_id=bob.id, role_id=admin.id,
                                         resource_type=RoleBindingResourceType.SPACE,
                                         resource_id=space.id)) == 409)
    on_project = bindings.create(user_id=bob.id, role_id=admin.id,
                                 resource_type=RoleBindingResourceType.PROJECT,
                                 resource_id=PROJECT)
    check("role_bindings.create on a project", value(on_project.resource_type) == "PROJECT",
          on_project)
    check("role_bindings.create, a space ID as a project -> 403",
          status(lambda: bindings.create(user_id=alice.id, role_id=admin.id,
                                         resource_type=RoleBindingResourceType.PROJECT,
                                         resource_id=space.id)) == 403)
    check("role_bindings.create, an unknown role -> 404",
          status(lambda: bindings.create(user_id=alice.id, role_id=PROJECT,
                                         resource_type=RoleBindingResourceType.SPACE,
                                         resource_id=space.id)) == 404)
    on_spaces = bindings.list(resource_type=RoleBindingResourceType.SPACE, limit=100)
    check("role_bindings.list SPACE",
          [b.id for b in on_spaces.role_bindings] == [made.id], on_spaces)
    bobs = bindings.list(resource_type=RoleBindingResourceType.PROJECT, user_id=bob.id)
    check("role_bindings.list PROJECT for a user",
          [b.id for b in bobs.role_bindings] == [on_project.id], bobs)
    check("role_bindings.list for an unknown user -> 404",
          status(lambda: bindings.list(resource_type=RoleBindingResourceType.SPACE,
                                       user_id=PROJECT)) == 404)
    check("role_bindings.get", bindings.get(binding_id=made.id).id == made.id)
    check("roles.delete of a role a binding holds -> 409",
          status(lambda: roles.delete(role=role.id)) == 409)
    changed = bindings.update(binding_id=made.id, role_id=admin.id)
    check("role_bindings.update the role",
          changed.role_id == admin.id and changed.user_id == bob.id, changed)
    bindings.delete(binding_id=made.id)
    check("role_bindings.delete", status(lambda: bindings.get(binding_id=made.id)) == 404)
    check("role_bindings.delete again -> 404",
          status(lambda: bindings.delete(binding_id=made.id)) == 404)
    roles.delete(role=role.id)
    check("roles.delete once no binding holds it", True)

    # API keys: personal and service keys, listing without secrets, the
    # keys authenticate, refresh (with grace), revoke (twice).
    keys = client.api_keys
    personal = keys.create(name="py-laptop", description="from Python")
    secret = personal.key
    check("api_keys.create (personal) returns the secret once",
          secret.startswith("ak-") and value(personal.key_type) == "USER", personal.id)
    mine = keys.list()
    check("api_keys.list: personal keys, no secret",
          [k.actual_instance.id for k in mine.api_keys] == [personal.id]
          and all(getattr(k.actual_instance, "key", None) is None for k in mine.api_keys), mine)
    as_key = ArizeClient(api_key=secret)
    check("the new key authenticates", len(as_key.organizations.list(limit=1).organizations) == 1)
    service = keys.create_service_key(
        name="py-bot", orgs=[OrgBinding(org_id=org.id, spaces=[SpaceBinding(space=space.id)])])
    check("api_keys.create_service_key: a bot user reaching the space",
          service.bot_user.organizations[0].spaces[0].space_id == space.id, service.bot_user)
    of_space = keys.list(space=space.id)
    check("api_keys.list by space: its service keys",
          [k.actual_instance.id for k in of_space.api_keys] == [service.id], of_space)
    check("api_keys.list key_type=SERVICE without a space -> 400",
          status(lambda: keys.list(key_type=ApiKeyType.SERVICE)) == 400)
    check("role_bindings.create for the service key's bot user",
          bindings.create(user_id=service.bot_user.id, role_id=admin.id,
                          resource_type=RoleBindingResourceType.SPACE,
                          resource_id=space.id).user_id == service.bot_user.id)
    refreshed = keys.refresh(api_key_id=personal.id, grace_period_seconds=60)
    check("api_keys.refresh: same ID, new secret",
          refreshed.id == personal.id and refreshed.key != secret, refreshed.id)
    check("the old secret works during the grace period",
          len(as_key.organizations.list(limit=1).organizations) == 1)
    check("api_keys.refresh grace_period_seconds=86401 -> refused (the SDK or a 422)",
          status(lambda: keys.refresh(api_key_id=personal.id, grace_period_seconds=86401))
          in (-1, 422))
    keys.revoke(api_key_id=personal.id)
    keys.revoke(api_key_id=personal.id)
    check("api_keys.revoke, twice", True)
    check("the revoked key no longer authenticates",
          status(lambda: ArizeClient(api_key=refreshed.key).organizations.list(limit=1)) == 401)
    revoked = keys.list(status=ApiKeyStatus.REVOKED)
    check("api_keys.list status=REVOKED",
          [k.actual_instance.id for k in revoked.api_keys] == [personal.id], revoked)
    keys.revoke(api_key_id=service.id)
    bindings.create(user_id=alice.id, role_id=admin.id,
                    resource_type=RoleBindingResourceType.SPACE, resource_id=space.id)
    spaces.delete(space=space.id)
    left = bindings.list(resource_type=RoleBindingResourceType.SPACE).role_bindings or []
    check("spaces.delete takes the space's bindings", left == [], left)


if __name__ == "__main__":
    main()
