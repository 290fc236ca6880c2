"""Helpers the tests share: requests to the JSON API and its answers as text. What two test modules need lives in a
helpers module like this one (tests/<area>/helpers.py for one area's data), never in one test module imported by
another."""

import json

from tests.conftest import bundled_plan_bytes


def post_json(client, path, body):
    """POST a JSON body to the API, as a script or another system would."""
    return client.post(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


def started_work_item(office, unit) -> int:
    """A work item of task 2 for 区科技局, assigned by the office, acknowledged and started by the unit (API clients)."""
    response = post_json(office, "/api/v1/supervision/items", {"task": 2, "unit": "science_technology", "year": 2026,
                                                            "title": "培育产业规划类专利导航项目", "deadline": "2026-12-15"})
    assert response.status_code == 201, response.content
    item = response.json()["id"]
    for client, action in [(office, "assign"), (unit, "acknowledge"), (unit, "start")]:
        assert post_json(client, f"/api/v1/supervision/items/{item}/transitions", {"action": action}).status_code == 200
    return item


def patch_json(client, path, body):
    return client.patch(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


def json_text(response) -> str:
    """An API answer as readable text (Chinese unescaped), to look for a message in it."""
    return json.dumps(response.json(), ensure_ascii=False)


def next_version_plan() -> str:
    """The bundled plan as its second version: importing it replaces the current plan."""
    data = json.loads(bundled_plan_bytes())
    data["version"] = 2
    return json.dumps(data, ensure_ascii=False)


def query_count(client, path: str) -> int:
    """How many database queries one GET of the path costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def tables_read(read) -> set[str]:
    """The tables the SQL run by `read()` reads from (FROM and JOIN), for the checks that every table a cached
    computation reads is one whose writes move its data version (ipcity/versions.py)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        read()
    return {table for query in queries.captured_queries
            for table in re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"], re.IGNORECASE)}
