"""SQL queries per page, measured in-process with the test client (run by bench/run.py).

Usage: python bench/queries.py '{"pages": ["/"], "users": {"secretary": "stp.thuky"}}'
Prints {"<page>": {"<kind>": {"status": 200, "queries": 12}}} as JSON. The environment
(DATABASE_URL, SECRET_KEY…) is the benchmark's.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from eiso.organizations.models import User

    setup_test_environment()  # lets the test client's "testserver" host in
    spec = json.loads(sys.argv[1])
    result: dict[str, dict] = {page: {} for page in spec["pages"]}
    for kind, username in spec["users"].items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in spec["pages"]:
            client.get(page)  # warm: the session and per-process caches, as in a running server
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page)
            result[page][kind] = {"status": response.status_code, "queries": len(queries)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
