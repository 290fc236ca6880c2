"""A service guide (办事指南) as data: the elements the national rules for government service guides require, each
checked with a reason a clerk can act on. A guide is versioned by its item; this module only says whether one is
complete and well formed."""

from dataclasses import dataclass, field

ITEM_TYPES = {"administrative_licence": "行政许可", "administrative_confirmation": "行政确认",
              "administrative_ruling": "行政裁决", "public_service": "公共服务", "other": "其他行政权力"}
MAX_DAYS = 180  # working days; the longest statutory limits (e.g. a patent dispute ruling) stay well inside


class GuideError(ValueError):
    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("；".join(f"{k}: {'、'.join(v)}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Material:
    name: str
    copies: int = 1
    required: bool = True
    note: str = ""


@dataclass(frozen=True)
class Step:
    name: str
    days: int  # working days this step may take


@dataclass(frozen=True)
class Guide:
    legal_basis: tuple[str, ...]
    conditions: str
    materials: tuple[Material, ...]
    steps: tuple[Step, ...]
    accept_days: int  # working days to accept or refuse an application once complete
    decide_days: int  # working days from acceptance to a decision (承诺时限)
    fees: str
    place: str
    hours: str
    phone: str
    complaint: str
    faqs: tuple[tuple[str, str], ...] = field(default=())

    def as_dict(self) -> dict:
        return {"legal_basis": list(self.legal_basis), "conditions": self.conditions,
                "materials": [m.__dict__ for m in self.materials], "steps": [s.__dict__ for s in self.steps],
                "accept_days": self.accept_days, "decide_days": self.decide_days, "fees": self.fees,
                "place": self.place, "hours": self.hours, "phone": self.phone, "complaint": self.complaint,
                "faqs": [{"q": q, "a": a} for q, a in self.faqs]}


_TEXT_FIELDS = {"conditions": "受理条件", "fees": "收费标准（不收费请写“不收费”）", "place": "办理地点",
                "hours": "办理时间", "phone": "咨询电话", "complaint": "监督投诉渠道"}


def _days(value, problems: dict, key: str, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_DAYS:
        problems.setdefault(key, []).append(f"{label}应为 1～{MAX_DAYS} 个工作日")
        return 0
    return value


def parse_guide(data: dict) -> Guide:
    """Build a guide from its JSON form, collecting every problem at once."""
    problems: dict[str, list[str]] = {}
    if not isinstance(data, dict):
        raise GuideError({"guide": ["办事指南应为对象"]})
    texts = {}
    for key, label in _TEXT_FIELDS.items():
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.setdefault(key, []).append(f"请填写{label}")
        texts[key] = (value or "").strip() if isinstance(value, str) else ""
    basis = data.get("legal_basis")
    if not isinstance(basis, list) or not basis or not all(isinstance(b, str) and b.strip() for b in basis):
        problems.setdefault("legal_basis", []).append("请至少列出一条设定依据（法律法规名称及条款）")
        basis = []
    for key in ("materials", "steps", "faqs"):
        if not isinstance(data.get(key) or [], list):
            problems.setdefault(key, []).append("应为列表")
    lists = {key: data.get(key) if isinstance(data.get(key), list) else [] for key in ("materials", "steps", "faqs")}
    materials = []
    for n, raw in enumerate(lists["materials"], start=1):
        if not isinstance(raw, dict) or not str(raw.get("name", "")).strip():
            problems.setdefault("materials", []).append(f"第{n}项材料缺少名称")
            continue
        copies = raw.get("copies", 1)
        if not isinstance(copies, int) or isinstance(copies, bool) or not 1 <= copies <= 10:
            problems.setdefault("materials", []).append(f"第{n}项材料的份数应为 1～10")
            continue
        materials.append(Material(str(raw["name"]).strip(), copies, bool(raw.get("required", True)),
                                  str(raw.get("note", "")).strip()))
    if not materials:
        problems.setdefault("materials", []).append("请列出申请材料")
    steps = []
    for n, raw in enumerate(lists["steps"], start=1):
        if not isinstance(raw, dict) or not str(raw.get("name", "")).strip():
            problems.setdefault("steps", []).append(f"第{n}个环节缺少名称")
            continue
        steps.append(Step(str(raw["name"]).strip(), _days(raw.get("days"), problems, "steps", f"第{n}个环节的时限")))
    if not steps:
        problems.setdefault("steps", []).append("请列出办理流程的环节及时限")
    accept_days = _days(data.get("accept_days"), problems, "accept_days", "受理时限")
    decide_days = _days(data.get("decide_days"), problems, "decide_days", "承诺办结时限")
    if steps and decide_days and sum(s.days for s in steps) > accept_days + decide_days:
        problems.setdefault("steps", []).append("各环节时限之和不能超过受理时限与承诺办结时限之和")
    faqs = []
    for n, raw in enumerate(lists["faqs"], start=1):
        if not isinstance(raw, dict) or not str(raw.get("q", "")).strip() or not str(raw.get("a", "")).strip():
            problems.setdefault("faqs", []).append(f"第{n}个常见问题缺少问题或解答")
            continue
        faqs.append((str(raw["q"]).strip(), str(raw["a"]).strip()))
    if problems:
        raise GuideError(problems)
    return Guide(tuple(b.strip() for b in basis), texts["conditions"], tuple(materials), tuple(steps), accept_days,
                 decide_days, texts["fees"], texts["place"], texts["hours"], texts["phone"], texts["complaint"],
                 tuple(faqs))
