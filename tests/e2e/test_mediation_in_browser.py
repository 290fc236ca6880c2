"""In a real browser: an enterprise applies for administrative mediation; the bureau's mediator accepts, records a
session, closes with an agreement and obtains judicial confirmation; the indicator counts it."""

import pytest

from ipcity.accounts.models import Organization
from ipcity.accounts.services import user_create
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_mediation_through_judicial_confirmation(open_page, people, client):
    bureau = Organization.objects.get(name="区市场监管局")
    user_create(actor=None, username="bureau_mediator", password="Test@Pass2024", role="mediator", organization=bureau)
    enterprise, mediator = open_page(), open_page()
    sign_in(enterprise, "enterprise_user")
    sign_in(mediator, "bureau_mediator")

    enterprise.goto("/protection/mediations/")
    enterprise.select_option("#id_channel", "administrative")
    enterprise.select_option("#id_body", str(bureau.pk))
    enterprise.fill("#id_respondent", "某制造企业")
    enterprise.select_option("#id_right_type", "patent")
    enterprise.fill("#id_claim", "对方生产的产品落入我方发明专利保护范围")
    enterprise.click("[data-testid=mediation-form] button[type=submit]")
    enterprise.wait_for_selector("text=调解申请已提交")
    case_url = enterprise.url

    mediator.goto(case_url)
    for action, text, court in [("accept", "", ""), ("session", "组织双方进行技术比对", ""),
                                ("agree", "被申请人停止生产并支付许可费", ""),
                                ("request_confirmation", "", "南开区人民法院"), ("confirmed", "", "")]:
        if text:
            mediator.fill("[data-testid=mediation-step] textarea[name=text]", text)
        if court:
            mediator.fill("[data-testid=mediation-step] input[name=court]", court)
        mediator.click(f"[data-testid=mediation-step] button[data-action={action}]")
        mediator.wait_for_selector("text=已办理")
    assert mediator.inner_text("[data-testid=case-state]") == "司法确认有效"
    records = client.get("/api/v1/indicators/mediation_administrative_with_judicial_confirmation/records").json()
    assert records["count"] == 1
