"""Adds users to one organization with Arize's official Python SDK, in the
loop a user would write: one add_user call after another, counting the calls
that raise (the SDK does not retry a POST that got 429). Reads ARIZE_API_KEY,
ARIZE_API_HOST, ARIZE_API_SCHEME and ARIZE_API_PORT; prints one JSON object.
    python_sdk_bulk_add.py ORG_ID USER_IDS_FILE"""

import json
import logging
import sys
import time

from arize import ArizeClient
from arize.organizations.types import PredefinedOrgRole

logging.disable(logging.WARNING)  # the pre-release warnings


def main() -> None:
    org_id, path = sys.argv[1], sys.argv[2]
    users = [line.strip() for line in open(path) if line.strip()]
    orgs = ArizeClient().organizations
    role = PredefinedOrgRole(name="MEMBER")
    failed, first_error = 0, None
    started = time.perf_counter()
    for user_id in users:
        try:
            orgs.add_user(organization=org_id, user_id=user_id, role=role)
        except Exception as error:  # noqa: BLE001 - any failure counts
            failed += 1
            first_error = first_error or f"{type(error).__name__}: {error}"[:200]
    print(json.dumps({"seconds": time.perf_counter() - started,
                      "users": len(users), "failed": failed,
                      "first_error": first_error}))


if __name__ == "__main__":
    main()
