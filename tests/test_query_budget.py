"""Every page and list each kind of user opens on the demo costs at most a fixed number of database queries: the
demo holds hundreds of registry records, work items, cases and organizations, so a page that queried once per row
would be far over. (Lists that hold the same count as rows are added: tests/test_query_counts.py.)"""

import pytest
from django.test import Client

from ipcity.demo import DEMO_PASSWORD
from tests.helpers import query_count
from tests.permission_world import API, PAGES

QUERY_BUDGET = 32
PERSONAS = ["office_admin", "kejiju_staff", "enterprise_user", "agency_user", "mediator_user"]
DOWNLOADS = (".xlsx", ".docx", ".pdf", ".csv", ".zip")
LISTS = sorted({path for method, path, _, _ in PAGES + API
                if method == "get" and "{" not in path and not path.split("?")[0].endswith(DOWNLOADS)})


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    client.get("/")  # the session's first touch is written once; what follows is what every visit costs
    return client



@pytest.mark.django_db
@pytest.mark.parametrize("username", PERSONAS)
def test_every_page_and_list_a_persona_opens_on_the_demo_stays_within_the_query_budget(demo, username):
    client = _signed_in(username)
    over = {path: n for path in LISTS if (n := query_count(client, path)) > QUERY_BUDGET}
    assert not over, f"{username}: more than {QUERY_BUDGET} queries: {over}"


