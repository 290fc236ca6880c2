"""The trade secret protection self-assessment (商业秘密保护自评): yes/no questions grouped by area, each with a
weight and the guidance given when the answer is no; the score is the weighted share of yeses out of 100."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    code: str
    area: str
    text: str
    weight: int
    guidance: str


QUESTIONS = (
    Question("inventory", "秘密识别与分级", "是否建立了商业秘密清单，并按重要程度分级？", 15,
             "梳理技术信息和经营信息，建立清单并分为核心、重要、一般三级，明确各级的保护措施。"),
    Question("marking", "秘密识别与分级", "涉密文件、图纸和电子数据是否有保密标识？", 5,
             "在涉密载体上标注密级和保密期限，电子文件设置水印。"),
    Question("access", "访问控制", "是否按“最小必要”原则限定了接触秘密的人员并有访问记录？", 15,
             "设置分级授权，关键资料加密存储，保留访问和下载日志并定期审查。"),
    Question("it", "访问控制", "是否限制了移动存储、外发邮件和网盘等数据外传途径？", 10,
             "部署数据防泄漏措施，限制外设和外发渠道，对大批量外发设置审批。"),
    Question("agreements", "保密协议", "员工、外协单位和合作方是否都签订了保密协议？", 15,
             "与所有接触秘密的员工和合作方签订保密协议，明确秘密范围、义务和违约责任。"),
    Question("non_compete", "保密协议", "对核心人员是否约定了竞业限制并依法支付补偿？", 10,
             "对高级管理人员、核心技术人员依法约定竞业限制，按月支付经济补偿。"),
    Question("departure", "离职管理", "员工离职时是否有交接、返还资料和保密提醒程序？", 10,
             "建立离职交接清单，收回载体和账号，书面提醒保密义务，必要时做离职审计。"),
    Question("training", "培训与制度", "是否制定了保密制度并定期开展保密培训？", 10,
             "制定保密管理制度，每年至少组织一次全员保密培训并留存记录。"),
    Question("evidence", "证据与应对", "是否对核心秘密的形成时间和内容做了存证，并有泄密应急预案？", 10,
             "用平台的商业秘密存证在本机计算摘要存证（内容不出本机），并制定泄密发现、固证和维权预案。"),
)
AREAS = tuple(dict.fromkeys(q.area for q in QUESTIONS))


@dataclass
class Result:
    score: int
    grade: str
    by_area: dict[str, int]
    guidance: list[tuple[str, str]]  # (area, advice) for each no


def assess(answers: dict[str, bool]) -> Result:
    missing = [q.code for q in QUESTIONS if q.code not in answers]
    if missing:
        raise ValueError(f"以下问题尚未回答：{'、'.join(missing)}")
    total = sum(q.weight for q in QUESTIONS)
    score = round(100 * sum(q.weight for q in QUESTIONS if answers[q.code]) / total)
    by_area = {}
    for area in AREAS:
        items = [q for q in QUESTIONS if q.area == area]
        by_area[area] = round(100 * sum(q.weight for q in items if answers[q.code]) / sum(q.weight for q in items))
    grade = "良好" if score >= 85 else "一般" if score >= 60 else "薄弱"
    return Result(score, grade, by_area, [(q.area, q.guidance) for q in QUESTIONS if not answers[q.code]])
