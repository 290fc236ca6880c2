"""IP culture (文化): the school program's pilot schools, education and publicity events on a public calendar (live
streams with experts among them), the selection of education demonstration units, and talent records."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from ipcity import clock
from ipcity.accounts.models import Street
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.services.models import DemonstrationUnit, Expert, PilotSchool, PublicityEvent, TalentRecord
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

MAX_PARTICIPANTS = 10_000_000  # a live stream's views can be large, but not unbounded


def calendar(*, year: int | None = None, kind: str = "") -> QuerySet[PublicityEvent]:
    """Public: events with their organizer and school; show experts through `event_experts`."""
    events = PublicityEvent.objects.select_related("organizer", "school").prefetch_related("experts")
    if year:
        events = events.filter(held_on__year=year)
    if kind:
        events = events.filter(kind=kind)
    return events


def event_experts(event: PublicityEvent) -> str:
    """The experts as the public may see them: names of those who (still) consent, a count of the others."""
    experts = list(event.experts.all())
    named = [e.name for e in experts if e.public_consent]
    others = len(experts) - len(named)
    return "、".join(named + ([f"另有{others}位专家"] if others else [])) or "—"


@transaction.atomic
def school_add(*, actor, name: str, level: str, joined_on: dt.date, street: str = "") -> PilotSchool:
    require_perm(actor, Perm.CULTURE_MANAGE)
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["请填写学校名称"]
    elif PilotSchool.objects.filter(name=name.strip()).exists():
        problems["name"] = ["该学校已是试点学校"]
    if level not in PilotSchool.Level.values:
        problems["level"] = ["请选择学段"]
    if street and street not in Street.values:
        problems["street"] = ["请选择南开区的街道"]
    if joined_on > clock.today():
        problems["joined_on"] = ["纳入日期不能晚于今天"]
    if problems:
        raise ValidationError(problems)
    school = PilotSchool.objects.create(name=name.strip()[:200], level=level, street=street, joined_on=joined_on,
                                        recorded_by=actor)
    audit_record(actor=actor, action="services.culture.school", obj=school, after={"name": school.name})
    return school


@transaction.atomic
def event_record(*, actor, kind: str, title: str, held_on: dt.date, place: str, school: PilotSchool | None = None,
                 experts: list[Expert] = (), stream_url: str = "", participants: int | None = None,
                 summary: str = "") -> PublicityEvent:
    """Planned events go on the calendar ahead; held ones carry participants and a summary."""
    require_perm(actor, Perm.CULTURE_MANAGE)
    problems: dict[str, list[str]] = {}
    if kind not in PublicityEvent.Kind.values:
        problems["kind"] = ["请选择活动类型"]
    if not title.strip() or not place.strip():
        problems["title"] = ["请填写名称和地点（直播填写平台）"]
    if kind in (PublicityEvent.Kind.SCHOOL_ACTIVITY, PublicityEvent.Kind.COMPETITION) and school is None:
        problems["school"] = ["中小学教育活动和竞赛请选择试点学校"]
    if kind == PublicityEvent.Kind.LIVE_STREAM and not experts:
        problems["experts"] = ["直播请至少邀请一位专家"]
    if any(not (e.public_consent and e.active) for e in experts):
        problems["experts"] = ["公开活动只能邀请已同意公开简介的在库专家"]
    if stream_url.strip():
        try:
            URLValidator(schemes=["http", "https"])(stream_url.strip())
        except ValidationError:
            problems["stream_url"] = ["链接应为 http 或 https 网址"]
        if len(stream_url.strip()) > 200:
            problems["stream_url"] = ["链接不能超过200个字符"]
    if participants is not None and (not 0 <= participants <= MAX_PARTICIPANTS or held_on > clock.today()):
        problems["participants"] = ["参与人数在活动举办后填写，且不能为负"]
    if problems:
        raise ValidationError(problems)
    event = PublicityEvent.objects.create(kind=kind, title=title.strip()[:200], held_on=held_on,
                                          place=place.strip()[:200], organizer=actor.organization, school=school,
                                          stream_url=stream_url.strip(), participants=participants,
                                          summary=summary.strip(), created_by=actor, created_at=clock.now())
    event.experts.set(experts)
    audit_record(actor=actor, action="services.culture.event", obj=event, after={"title": event.title,
                                                                                 "held_on": held_on})
    return event


@transaction.atomic
def event_report(*, actor, event: PublicityEvent, participants: int, summary: str) -> PublicityEvent:
    require_perm(actor, Perm.CULTURE_MANAGE)
    if event.organizer_id != actor.organization_id and not has_perm(actor, Perm.CULTURE_SELECT):
        raise PermissionDenied("只有主办单位可以填报活动情况")
    if event.held_on > clock.today():
        raise ValidationError("活动举办后才能填报")
    if not 0 <= participants <= MAX_PARTICIPANTS or not summary.strip():
        raise ValidationError({"summary": ["请填写参与人数和活动情况"]})
    event.participants, event.summary = participants, summary.strip()
    event.save(update_fields=["participants", "summary"])
    audit_record(actor=actor, action="services.culture.report", obj=event, after={"participants": participants})
    return event


@transaction.atomic
def demonstration_nominate(*, actor, name: str, kind: str, year: int, reason: str,
                           program: str = DemonstrationUnit.Program.EDUCATION) -> DemonstrationUnit:
    """A nomination for one of the selections: 知识产权教育示范单位 (the default) or 版权示范单位 (task 4)."""
    require_perm(actor, Perm.CULTURE_MANAGE)
    if program not in DemonstrationUnit.Program.values:
        raise ValidationError({"program": [f"示范类别应为{'或'.join(DemonstrationUnit.Program.labels)}"]})
    if not name.strip() or not reason.strip() or kind not in DemonstrationUnit.Kind.values:
        raise ValidationError({"name": ["请填写单位名称、类型和推荐理由"]})
    if not 2024 <= year <= 2100:
        raise ValidationError({"year": ["年度应为2024年以后"]})
    try:
        with transaction.atomic():
            unit = DemonstrationUnit.objects.create(program=program, name=name.strip()[:200], kind=kind, year=year,
                                                    reason=reason.strip(), nominated_by=actor)
    except IntegrityError:
        label = DemonstrationUnit.Program(program).label
        raise ValidationError({"name": [f"该单位已被推荐参加{year}年度{label}评选"]}) from None
    audit_record(actor=actor, action="services.culture.nominate", obj=unit,
                 after={"program": program, "name": unit.name, "year": year})
    return unit


def demonstration_selected(*, program: str = DemonstrationUnit.Program.EDUCATION) -> QuerySet[DemonstrationUnit]:
    """Public: the units selected in one program, newest year first."""
    return DemonstrationUnit.objects.filter(program=program, state=DemonstrationUnit.State.SELECTED).order_by(
        "-year", "name")


def nominations_pending(*, user, program: str = DemonstrationUnit.Program.EDUCATION) -> QuerySet[DemonstrationUnit]:
    """Nominations of one program waiting for the office's decision: only those who select see them (the public
    sees the selected units)."""
    if not has_perm(user, Perm.CULTURE_SELECT):
        return DemonstrationUnit.objects.none()
    return DemonstrationUnit.objects.filter(program=program, state=DemonstrationUnit.State.NOMINATED)


Unit = DemonstrationUnit.State
DEMONSTRATION = Workflow(
    name="services.culture", label="示范单位推荐", states=dict(Unit.choices),
    parties={"office": "知识产权办公室"},
    transitions=(
        step("select", "入选", Unit.NOMINATED, Unit.SELECTED, by="office"),
        step("not_select", "未入选", Unit.NOMINATED, Unit.NOT_SELECTED, by="office"),
    ))


@transaction.atomic
def demonstration_decide(*, actor, unit: DemonstrationUnit, selected: bool, note: str) -> DemonstrationUnit:
    require_perm(actor, Perm.CULTURE_SELECT)

    def apply(locked: DemonstrationUnit, transition) -> None:
        if not note.strip():
            raise ValidationError({"note": ["请填写评审意见"]})
        locked.decision_note, locked.decided_on = note.strip()[:300], clock.today()

    return workflow_step(unit, workflow=DEMONSTRATION, action="select" if selected else "not_select", actor=actor,
                         parties={"office"}, apply=apply, audit_action="services.culture.decide")


@transaction.atomic
def talent_record(*, actor, name: str, organization_name: str, category: str, credential: str = "",
                  recorded_on: dt.date | None = None) -> TalentRecord:
    require_perm(actor, Perm.CULTURE_MANAGE)
    if not name.strip() or not organization_name.strip():
        raise ValidationError({"name": ["请填写姓名和工作单位"]})
    if category not in TalentRecord.Category.values:
        raise ValidationError({"category": ["请选择人才类别"]})
    record = TalentRecord.objects.create(name=name.strip()[:50], organization_name=organization_name.strip()[:200],
                                         category=category, credential=credential.strip()[:200],
                                         recorded_on=recorded_on or clock.today(), recorded_by=actor)
    audit_record(actor=actor, action="services.culture.talent", obj=record, after={"category": category})
    return record


def talent_counts() -> list[tuple[str, int]]:
    """Public: how many of each category, never who."""
    counts = dict(TalentRecord.objects.values_list("category").annotate(n=Count("id")))
    return [(label, counts.get(value, 0)) for value, label in TalentRecord.Category.choices]


def talent_list(*, user) -> QuerySet[TalentRecord]:
    require_perm(user, Perm.CULTURE_MANAGE)
    return TalentRecord.objects.order_by("category", "name", "pk")
