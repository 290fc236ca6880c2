"""API lists that answered every row at once or cut it silently: an organization's members (inside its detail), the
history of who is left out of the assessment ranking (its newest 50 only), a training's sign-in list, the
industry–education agreements, and the brand holders and geographical indications (both inside one object). Each now
answers a page (`offset`, `limit`, the total in X-Total-Count) in the same queries however many rows are behind it."""

import datetime as dt
import itertools

from ipcity.accounts.models import Organization, OrgType, User
from ipcity.accounts.roles import Role
from ipcity.audit.models import AuditEntry
from ipcity.operations.clusters import agreement_record
from ipcity.plan.assessment import assessment_scope_set, responsible_units
from ipcity.services.models import Attendance
from ipcity.services.training import training_create
from ipcity.stats.models import GeographicalIndication, Trademark
from tests.helpers import query_count

_serial = itertools.count(1)


def _with(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}"


def _page(client, path: str, query: str, rows_of) -> tuple[list, str | None]:
    reply = client.get(_with(path, query))
    assert reply.status_code == 200, reply.content[:300]
    return rows_of(reply.json()), reply.get("X-Total-Count")


def _queries_for_a_page(client, path: str) -> int:
    client.get(_with(path, "limit=2"))  # what a first request after a change loads once is not what a page costs
    return query_count(client, _with(path, "limit=2"))


def _holds_a_page_at_a_time(client, path: str, add_rows, rows_of=lambda body: body, key=lambda row: row):
    """Three rows behind the path answer a page of two with the total of three, then the third; with three more, a
    page of two takes the same queries."""
    made = add_rows(3)
    first, total = _page(client, path, "limit=2", rows_of)
    rest, total_again = _page(client, path, "offset=2&limit=2", rows_of)
    assert (total, total_again) == ("3", "3"), "the answer does not say how many rows there are in all"
    assert (len(first), len(rest)) == (2, 1), "the answer is not one page"
    first_keys, rest_keys = [key(row) for row in first], [key(row) for row in rest]
    assert not set(first_keys) & set(rest_keys), "the next page repeats a row of the first"
    assert sorted(first_keys + rest_keys) == sorted(made), "the two pages do not hold every row"

    fewer = _queries_for_a_page(client, path)
    add_rows(3)
    more = _queries_for_a_page(client, path)
    assert _page(client, path, "limit=2", rows_of)[1] == "6"
    assert fewer == more, f"a page of two took {fewer} queries with 3 rows behind it and {more} with 6"


def test_an_organizations_members_answer_a_page_with_the_total_then_the_rest_in_the_same_queries(client_for,
                                                                                                 people):
    organization = Organization.objects.create(name="成员众多的企业", org_type=OrgType.ENTERPRISE)

    def add_members(how_many: int) -> list[str]:
        names = [f"member{next(_serial):03d}" for _ in range(how_many)]
        User.objects.bulk_create(User(username=name, organization=organization, role=Role.ENTERPRISE_USER,
                                      full_name=f"{name}姓名", phone="13912345678", id_number="120104199001011238")
                                 for name in names)
        return names

    _holds_a_page_at_a_time(client_for("office_admin"), f"/api/v1/organizations/{organization.pk}/members",
                            add_members, key=lambda member: member["username"])


def test_the_office_reading_a_page_of_members_unmasked_is_audited_for_that_pages_members_only(client_for, people):
    organization = Organization.objects.create(name="审计成员的企业", org_type=OrgType.ENTERPRISE)
    for name in ("amember", "bmember", "cmember"):
        User.objects.create(username=name, organization=organization, role=Role.ENTERPRISE_USER,
                            phone="13912345678", id_number="120104199001011238")
    page = client_for("office_admin").get(f"/api/v1/organizations/{organization.pk}/members?offset=1&limit=1")
    assert [member["phone"] for member in page.json()] == ["13912345678"]
    viewed = AuditEntry.objects.get(action="accounts.personal_data.view", object_id=str(organization.pk))
    assert viewed.after == {"members": ["bmember"]}


def test_an_organizations_detail_no_longer_carries_its_members(client_for, people):
    detail = client_for("office_admin").get(f"/api/v1/organizations/{people['enterprise_user'].organization_id}")
    assert detail.status_code == 200 and "members" not in detail.json()


def test_the_history_of_who_is_ranked_answers_a_page_with_the_total_then_the_rest_in_the_same_queries(
        client_for, people, frozen_clock):
    units = list(responsible_units())

    def change_the_setting(how_many: int) -> list[str]:
        changed_at = []
        for _ in range(how_many):
            frozen_clock.advance(minutes=1)
            assessment_scope_set(actor=people["office_admin"], unit_ids=[u.pk for u in units[:next(_serial) % 3 + 1]])
            changed_at.append(frozen_clock.now)
        return changed_at

    _holds_a_page_at_a_time(client_for("office_admin"), "/api/v1/supervision/assessment/scope/history",
                            change_the_setting, key=lambda change: dt.datetime.fromisoformat(change["set_at"]))


def test_more_than_fifty_settings_of_who_is_ranked_are_all_kept_in_the_history(client_for, people, frozen_clock):
    for _ in range(51):
        frozen_clock.advance(minutes=1)
        assessment_scope_set(actor=people["office_admin"], unit_ids=[])
    history = client_for("unit_staff").get("/api/v1/supervision/assessment/scope/history?offset=50")
    assert history["X-Total-Count"] == "51" and len(history.json()) == 1
    assert dt.datetime.fromisoformat(history.json()[0]["set_at"]) == frozen_clock.now - dt.timedelta(minutes=50)


def test_a_trainings_sign_in_list_answers_a_page_with_the_total_then_the_rest_in_the_same_queries(client_for,
                                                                                                  people):
    training = training_create(actor=people["unit_staff"], title="专利检索培训", audience="public",
                               held_on=dt.date(2026, 5, 20), hours=2, place="区科技局会议室")

    def sign_in(how_many: int) -> list[str]:
        names = [f"学员{next(_serial):03d}" for _ in range(how_many)]
        for name in names:
            Attendance.objects.create(training=training, name=name, organization_name="测试企业有限公司",
                                      phone=f"139{next(_serial):08d}", source=Attendance.Source.MANUAL,
                                      signed_at=dt.datetime(2026, 5, 20, 9, 0, tzinfo=dt.UTC))
        return names

    _holds_a_page_at_a_time(client_for("unit_staff"), f"/api/v1/services/trainings/{training.pk}/attendees", sign_in,
                            rows_of=lambda body: body["attendees"], key=lambda attendee: attendee["name"])


def test_industry_education_agreements_answer_a_page_with_the_total_then_the_rest_in_the_same_queries(client,
                                                                                                       people):
    university = people["university_user"].organization
    enterprise = people["enterprise_user"].organization

    def sign(how_many: int) -> list[str]:
        subjects = [f"联合培养{next(_serial):03d}" for _ in range(how_many)]
        for subject in subjects:
            agreement_record(actor=people["office_admin"], university=university, enterprise=enterprise,
                             subject=subject, signed_on=dt.date(2026, 3, 1), term_until=None, cluster=None)
        return subjects

    _holds_a_page_at_a_time(client, "/api/v1/operations/industry-education-agreements", sign,
                            rows_of=lambda body: body["agreements"], key=lambda agreement: agreement["subject"])


def test_brand_holders_answer_a_page_with_the_total_then_the_rest_in_the_same_queries(client, people):
    def register(how_many: int) -> list[str]:
        holders = [f"老字号{next(_serial):03d}有限公司" for _ in range(how_many)]
        for holder in holders:
            for _ in range(2):  # a holder of several marks is still one row
                Trademark.objects.create(registration_number=f"BR{next(_serial)}", holder=holder, time_honored=True,
                                         registration_date=dt.date(2020, 1, 1), valid_until=dt.date(2030, 1, 1))
        return holders

    _holds_a_page_at_a_time(client, "/api/v1/operations/brands/holders", register, key=lambda row: row["holder"])


def test_geographical_indications_answer_a_page_with_the_total_then_the_rest_in_the_same_queries(client, people):
    def register(how_many: int) -> list[str]:
        names = [f"南开特产{next(_serial):03d}" for _ in range(how_many)]
        for name in names:
            GeographicalIndication.objects.create(name=name, kind=GeographicalIndication.Kind.PRODUCT, product=name,
                                                  holder="南开区特产协会", registered_on=dt.date(2024, 1, 1))
        return names

    _holds_a_page_at_a_time(client, "/api/v1/operations/brands/geographical-indications", register,
                            key=lambda row: row["name"])


def test_a_page_of_brand_holders_counts_each_holders_whole_portfolio(client, people, frozen_clock):
    def mark(holder: str, **fields) -> None:
        Trademark.objects.create(registration_number=f"BR{next(_serial)}", holder=holder,
                                 registration_date=dt.date(2015, 1, 1), **{"valid_until": dt.date(2035, 1, 1), **fields})

    mark("狗不理集团", well_known=True, time_honored=True, madrid_filing_date=dt.date(2024, 5, 1))
    mark("狗不理集团", valid_until=dt.date(2025, 1, 1))
    mark("狗不理集团", madrid_filing_date=dt.date(2025, 3, 1))
    mark("桂发祥集团", time_honored=True)
    mark("桂发祥集团", cancelled_on=dt.date(2026, 1, 1))
    mark("无名贸易公司")  # neither well-known nor time-honored: not listed

    first, total = _page(client, "/api/v1/operations/brands/holders", "limit=1", lambda body: body)
    second, _ = _page(client, "/api/v1/operations/brands/holders", "offset=1&limit=1", lambda body: body)
    assert total == "2"
    assert first + second == [
        {"holder": "狗不理集团", "marks": 3, "valid": 2, "well_known": 1, "time_honored": 1, "madrid": 2},
        {"holder": "桂发祥集团", "marks": 2, "valid": 1, "well_known": 0, "time_honored": 1, "madrid": 0}]
