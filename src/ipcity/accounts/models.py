import functools
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import connections, models

from ipcity import clock
from ipcity.accounts.roles import Role
from ipcity.models import Created, WrittenOutColumns, written_out_cursor


class OrgType(models.TextChoices):
    LEADING_GROUP_OFFICE = "leading_group_office", "领导小组办公室"
    GOVERNMENT_UNIT = "government_unit", "政府部门"
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校或科研院所"
    SERVICE_AGENCY = "service_agency", "知识产权服务机构"
    MEDIATION_BODY = "mediation_body", "调解组织"
    COURT_PROCURATORATE = "court_procuratorate", "法院或检察院"
    FINANCIAL_INSTITUTION = "financial_institution", "银行或保险机构"
    NOTARY = "notary", "公证机构"


class EnterpriseTag(models.TextChoices):
    HIGH_TECH = "high_tech", "国家高新技术企业"
    SPECIALIZED = "specialized", "专精特新"
    EAGLET = "eaglet", "雏鹰企业"
    GAZELLE = "gazelle", "瞪羚企业"
    LEADER = "leader", "领军企业"
    TECH_SME = "tech_sme", "科技型中小企业"
    TIANKAI_CORE = "tiankai_core", "天开园核心区企业"
    TIME_HONORED = "time_honored", "老字号"
    WELL_KNOWN_MARK = "well_known_mark", "驰名商标持有人"


class Street(models.TextChoices):
    """The 12 streets (街道) of 南开区."""

    CHANGHONG = "changhong", "长虹街道"
    GULOU = "gulou", "鼓楼街道"
    XINGNAN = "xingnan", "兴南街道"
    GUANGKAI = "guangkai", "广开街道"
    WANXING = "wanxing", "万兴街道"
    XUEFU = "xuefu", "学府街道"
    XIANGYANGLU = "xiangyanglu", "向阳路街道"
    JIALINGDAO = "jialingdao", "嘉陵道街道"
    WANGDINGDI = "wangdingdi", "王顶堤街道"
    SHUISHANGGONGYUAN = "shuishanggongyuan", "水上公园街道"
    TIYUZHONGXIN = "tiyuzhongxin", "体育中心街道"
    HUAYUAN = "huayuan", "华苑街道"


class Organization(models.Model):
    name = models.CharField("名称", max_length=200, unique=True)
    full_name = models.CharField("全称", max_length=200, blank=True)
    code = models.SlugField("代码", max_length=64, unique=True, null=True, blank=True)
    org_type = models.CharField("类型", max_length=32, choices=OrgType.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    street = models.CharField("所在街道", max_length=32, choices=Street.choices, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    tags = models.JSONField("企业标签", default=list, blank=True)
    is_synthetic = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["org_type", "id"]
        verbose_name = "机构"

    def __str__(self):
        return self.name

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(EnterpriseTag.choices)
        return [labels.get(t, t) for t in self.tags]


class User(AbstractUser):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members", null=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    full_name = models.CharField("姓名", max_length=100, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "用户"

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.now()

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class ApiTokenManager(models.Manager):
    # On the manager, not the queryset: the SQL is written out, so a filter before it would be silently ignored.
    def live_with_user(self, token_hash: str) -> "ApiToken | None":
        """The unrevoked token of that hash, its user and the user's organization loaded with it (as select_related
        would), or None. One query written out: every API call runs it, and built through the ORM it cost four times
        what the database took to answer."""
        connection = connections[self.db]
        sql, token, user, organization = _live_token_query(self.db)
        with written_out_cursor(connection) as cursor:
            cursor.execute(sql, [token_hash])
            row = cursor.fetchone()
        if row is None:
            return None
        found = token.instance(row[:token.width], connection)
        found_user = user.instance(row[token.width:token.width + user.width], connection)
        org_values = row[token.width + user.width:]
        found_org = organization.instance(org_values, connection) if org_values[0] is not None else None
        User.organization.field.set_cached_value(found_user, found_org)
        ApiToken.user.field.set_cached_value(found, found_user)
        return found


@functools.cache
def _live_token_query(database: str):
    connection = connections[database]
    quote = connection.ops.quote_name
    token, user, organization = (WrittenOutColumns(model, alias, connection)
                                 for model, alias in ((ApiToken, "t"), (User, "u"), (Organization, "o")))

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    sql = (f"SELECT {token.sql}, {user.sql}, {organization.sql} FROM {quote(ApiToken._meta.db_table)} {quote('t')} "
           f"INNER JOIN {quote(User._meta.db_table)} {quote('u')} "
           f"ON {quote('u')}.{column(User, 'id')} = {quote('t')}.{column(ApiToken, 'user')} "
           f"LEFT OUTER JOIN {quote(Organization._meta.db_table)} {quote('o')} "
           f"ON {quote('o')}.{column(Organization, 'id')} = {quote('u')}.{column(User, 'organization')} "
           f"WHERE {quote('t')}.{column(ApiToken, 'token_hash')} = %s AND {quote('t')}.{column(ApiToken, 'revoked_at')} IS NULL")
    return sql, token, user, organization


class ApiToken(Created):
    """A bearer token for scripts and other government systems; only its hash is stored."""

    objects = ApiTokenManager()

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "ipc_" + secrets.token_urlsafe(32)
