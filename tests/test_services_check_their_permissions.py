"""The operations and services endpoints are not the only guard: the service or selector behind each checks the same
permission itself, so a caller that skips the endpoint (a page, a command, another service) is refused the same way."""


import pytest
from django.core.exceptions import PermissionDenied

from ipcity.operations.models import TechNeed, TechOffer
from ipcity.operations.selectors import need_matches, offer_matches
from ipcity.services.certification import expiry_reminders_run
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import post_json
from tests.operations.helpers import OPEN, PATENTS


@pytest.fixture
def listed(client_for, people):
    """A university's published offer and an enterprise's need, through the API."""
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)
    offer = post_json(client_for("university_user"), "/api/v1/operations/offers",
                  {**OPEN, "patent_number": "202110011111.1"}).json()
    need = post_json(client_for("enterprise_user"), "/api/v1/operations/needs", {
        "title": "动力电池寿命预测", "problem": "需要根据充放电数据预测电池健康状态和剩余寿命", "field": "新能源",
        "deadline": "2027-06-30"}).json()
    return TechOffer.objects.get(pk=offer["id"]), TechNeed.objects.get(pk=need["id"])


def test_the_matches_of_an_offer_or_a_need_are_refused_to_others_by_the_selector_itself(people, listed):
    offer, need = listed
    with pytest.raises(PermissionDenied):
        offer_matches(offer, user=people["enterprise_user"])
    with pytest.raises(PermissionDenied):
        need_matches(need, user=people["university_user"])
    assert isinstance(offer_matches(offer, user=people["university_user"]), list)
    assert isinstance(need_matches(need, user=people["office_admin"]), list)


def test_only_the_office_sends_the_expiry_reminders_even_calling_the_service_directly(people, frozen_clock):
    with pytest.raises(PermissionDenied):
        expiry_reminders_run(actor=people["enterprise_user"])
    assert expiry_reminders_run(actor=people["office_admin"]) == 0
