"""What `ipcity serve` decides before Django's settings are read: production unless development is asked for
(`--dev` or IPCITY_ENV=development), what a production start refuses to go without, and plain-HTTP cookies only
when it listens on this machine alone.

Kept apart from settings.py because it runs before the settings may be imported (they refuse an incomplete production
configuration with the same list), and free of Django so that it can."""

import ipaddress
import os
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
# The public key development and tests sign with; production refuses it.
DEVELOPMENT_SECRET_KEY = "ipcity-insecure-development-key-do-not-use-in-production"
MIN_SECRET_KEY_LENGTH = 40
# Mail backends that deliver nothing to anybody: production needs a real one, or IPCITY_EMAIL_DISABLED=1 said aloud.
UNDELIVERED_MAIL_BACKENDS = {"console", "locmem", "filebased", "dummy"}
TRUE_WORDS = {"1", "true", "yes", "on"}


def data_dir() -> Path:
    return Path(os.environ.get("IPCITY_DATA_DIR", Path.cwd() / "data")).resolve()


def stored_secret_key(folder: Path) -> str | None:
    """The key `ipcity serve` stored in the data folder, if it did."""
    path = folder / SECRET_KEY_FILE
    if not path.is_file():
        return None
    return path.read_text(encoding="ascii").strip() or None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def mail_backend(name: str) -> str:
    """IPCITY_EMAIL_BACKEND as a dotted path: `smtp` stands for django.core.mail.backends.smtp.EmailBackend."""
    name = name.strip()
    return f"django.core.mail.backends.{name}.EmailBackend" if name and "." not in name else name


def production_problems(environ=os.environ) -> list[str]:
    """What a production start lacks, in Chinese, each naming the variable to set; empty when nothing is missing.
    `ipcity serve` prints these and exits; settings.py refuses the same list with IPCITY_ENV=production."""
    problems = []
    folder = environ.get("IPCITY_DATA_DIR", "")
    if not folder:
        problems.append("未设置 IPCITY_DATA_DIR：请指定保存数据库、上传文件与存证密钥的目录（在网站目录之外，随数据库一同备份）")
    # A key stored in the data folder by an earlier `ipcity serve` still counts: sessions signed with it stay valid.
    key = environ.get("IPCITY_SECRET_KEY") or (stored_secret_key(Path(folder)) if folder else None)
    if not key:
        problems.append("未设置 IPCITY_SECRET_KEY：请设置至少 40 个字符的随机密钥，例如 "
                        "python3 -c \"import secrets; print(secrets.token_urlsafe(50))\" 的输出")
    elif key == DEVELOPMENT_SECRET_KEY:
        problems.append("IPCITY_SECRET_KEY 是公开的开发用密钥，不能用于生产环境：请换成随机生成的密钥")
    elif len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"IPCITY_SECRET_KEY 太短：至少 {MIN_SECRET_KEY_LENGTH} 个字符（现为 {len(key)} 个）")
    if environ.get("IPCITY_DEBUG", "").lower() in TRUE_WORDS:
        problems.append("IPCITY_DEBUG 已开启：生产环境必须关闭（出错时会向访问者显示源代码与配置）")
    if environ.get("IPCITY_EMAIL_DISABLED", "").lower() not in TRUE_WORDS:
        backend = mail_backend(environ.get("IPCITY_EMAIL_BACKEND", ""))
        if not backend or backend.split(".")[-2] in UNDELIVERED_MAIL_BACKENDS:
            problems.append("未配置邮件发送：请设置 IPCITY_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend "
                            "与 IPCITY_EMAIL_HOST（及端口、账号），或设置 IPCITY_EMAIL_DISABLED=1 明确不发送邮件"
                            "（到期提醒与催办将只在平台内显示）")
        elif backend == mail_backend("smtp") and not environ.get("IPCITY_EMAIL_HOST"):
            problems.append("未设置 IPCITY_EMAIL_HOST：SMTP 邮件服务器地址")
    return problems


def serve_environment(host: str, *, development: bool = False) -> list[str]:
    """Set the defaults of `ipcity serve` in os.environ (never overriding a value given, except that --dev asks
    for development) and say what was chosen. Production is checked by production_problems, not filled in."""
    notes = []
    if development:
        os.environ["IPCITY_ENV"] = "development"
    os.environ.setdefault("IPCITY_ENV", "production")
    if os.environ["IPCITY_ENV"] != "production":
        notes.append(f"运行环境：{os.environ['IPCITY_ENV']}（出错时显示调试页面，切勿对外提供服务）")
        return notes
    if "IPCITY_HTTPS" not in os.environ and is_loopback(host):
        # Only this machine can reach a loopback address, so there is no network for TLS to protect, and
        # some browsers refuse Secure cookies over plain http to 127.0.0.1 (nobody could sign in).
        os.environ["IPCITY_HTTPS"] = "0"
        notes.append("仅监听本机地址：未启用 HTTPS 专用 Cookie 与 HSTS（对外服务时请置于 HTTPS 反向代理之后）")
    if not is_loopback(host) and not os.environ.get("IPCITY_ALLOWED_HOSTS"):
        notes.append("未设置 IPCITY_ALLOWED_HOSTS：只接受以 127.0.0.1 或 localhost 访问的请求，其他域名或地址将得到 400")
    return notes
