"""In a real browser: the office lists an enterprise on the dishonesty list; the public finds it; a year later the
enterprise commits, applies for repair, and the office grants it, which takes it off the public list."""

import datetime as dt

import pytest

from ipcity import clock
from ipcity.accounts.models import Organization
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_dishonesty_listing_and_its_repair(open_page, people):
    organization = Organization.objects.get(pk=people["enterprise_user"].organization_id)
    today = clock.today()
    listed_on = today - dt.timedelta(days=400)
    office, enterprise, visitor = open_page(), open_page(), open_page()
    sign_in(office, "office_admin")
    sign_in(enterprise, "enterprise_user")

    office.goto("/protection/credit/")
    office.select_option("#id_organization", str(organization.pk))
    office.fill("#id_listed_on", listed_on.isoformat())
    office.fill("#id_penalties", f"津南市监处1号,{(listed_on - dt.timedelta(days=200)).isoformat()},是,否,否\n"
                                 f"津南市监处2号,{(listed_on - dt.timedelta(days=30)).isoformat()},是,否,否")
    office.click("[data-testid=listing-form] button[type=submit]")
    office.wait_for_selector("text=已列入失信名单")

    visitor.goto("/protection/credit/?q=测试企业")
    assert "测试企业有限公司" in visitor.inner_text("[data-testid=public-list]")
    assert "津南市监处" not in visitor.content()

    enterprise.goto("/protection/credit/")
    enterprise.fill("#id_text", "依法经营，尊重他人知识产权")
    enterprise.fill("#id_signed_on", today.isoformat())
    enterprise.click("[data-testid=commitment-form] button[type=submit]")
    enterprise.wait_for_selector("text=信用承诺已提交")
    enterprise.fill("[data-testid=repair-form] textarea", "罚款已缴清，建立了知识产权合规制度")
    enterprise.click("[data-testid=repair-form] button[type=submit]")
    enterprise.wait_for_selector("text=信用修复申请已提交")

    office.goto("/protection/credit/")
    office.check("[data-testid=repair-decision] input[name=penalties_fulfilled]")
    office.click("[data-testid=repair-decision] button[value='1']")
    office.wait_for_selector("text=已审核")
    visitor.goto("/protection/credit/?q=测试企业")
    assert "没有在列的失信主体" in visitor.inner_text("[data-testid=public-list]")
