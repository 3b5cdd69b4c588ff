"""The workloads of compare-python-sdk.sh, timed with Arize's official Python
SDK (`arize` 8.x). Reads ARIZE_API_KEY, ARIZE_API_HOST, ARIZE_API_SCHEME and
ARIZE_API_PORT; prints one JSON object of medians (ms)."""

import json
import logging
import statistics
import sys
import time

from arize import ArizeClient

logging.disable(logging.WARNING)  # the pre-release warnings


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    orgs = ArizeClient().organizations

    def list_all() -> list:
        found, cursor = [], None
        while True:
            page = orgs.list(limit=100, cursor=cursor)
            found.extend(page.organizations)
            if not page.pagination.has_more:
                return found
            cursor = page.pagination.next_cursor

    everything = list_all()
    target = everything[len(everything) // 2]

    by_id, by_name, all_times = [], [], []
    for _ in range(iterations):
        t = time.perf_counter()
        orgs.get(organization=target.id)
        by_id.append((time.perf_counter() - t) * 1e3)

        t = time.perf_counter()
        orgs.get(organization=target.name)
        by_name.append((time.perf_counter() - t) * 1e3)
    for _ in range(max(1, -(-iterations // 10))):
        t = time.perf_counter()
        assert len(list_all()) == len(everything)
        all_times.append((time.perf_counter() - t) * 1e3)

    print(json.dumps({
        "get_by_id_ms": statistics.median(by_id),
        "get_by_name_ms": statistics.median(by_name),
        "list_all_ms": statistics.median(all_times),
        "organizations": len(everything),
    }))


if __name__ == "__main__":
    main()
