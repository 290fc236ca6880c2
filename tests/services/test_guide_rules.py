"""A guide must carry every element the national rules require; each missing one is named."""

import pytest

from ipcity.services.core.guide import GuideError, parse_guide
from tests.services.helpers import guide


def test_a_complete_guide_parses_and_round_trips():
    parsed = parse_guide(guide())
    assert parse_guide(parsed.as_dict()) == parsed
    assert parsed.materials[0].name == "申请表" and parsed.steps[1].days == 10


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"legal_basis": []}, "legal_basis", "设定依据"),
    ({"materials": []}, "materials", "申请材料"),
    ({"materials": [{"name": "表", "copies": 0}]}, "materials", "份数"),
    ({"steps": [{"name": "受理", "days": "三天"}]}, "steps", "时限"),
    ({"accept_days": 0}, "accept_days", "受理时限"),
    ({"decide_days": 999}, "decide_days", "承诺办结时限"),
    ({"fees": ""}, "fees", "收费标准"),
    ({"complaint": " "}, "complaint", "监督投诉"),
    ({"steps": [{"name": "审查", "days": 30}]}, "steps", "之和"),
    ({"faqs": [{"q": "问"}]}, "faqs", "解答"),
])
def test_each_missing_or_wrong_element_is_named(change, field, words):
    with pytest.raises(GuideError) as caught:
        parse_guide(guide(**change))
    assert field in caught.value.problems and words in "".join(caught.value.problems[field])


def test_every_problem_is_reported_at_once():
    with pytest.raises(GuideError) as caught:
        parse_guide({"materials": "x"})
    assert {"legal_basis", "conditions", "fees", "place", "hours", "phone", "complaint", "steps"} <= set(
        caught.value.problems)
