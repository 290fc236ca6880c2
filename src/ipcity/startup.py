"""What `ipcity serve` decides before Django's settings are read: production unless development is asked for,
a secret key of its own when none is given, and plain-HTTP cookies only when it listens on this machine alone.

Kept apart from settings.py because it runs before the settings may be imported (they refuse production without
a secret), and free of Django so that it can."""

import ipaddress
import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"


def data_dir() -> Path:
    return Path(os.environ.get("IPCITY_DATA_DIR", Path.cwd() / "data")).resolve()


def stored_secret_key(folder: Path) -> str | None:
    """The key `ipcity serve` stored in the data folder, if it did."""
    path = folder / SECRET_KEY_FILE
    if not path.is_file():
        return None
    return path.read_text(encoding="ascii").strip() or None


def ensure_stored_secret_key(folder: Path) -> bool:
    """Create DATA_DIR/secret_key (mode 0600, 50 random bytes) unless it exists; True when it was created now.
    Back it up with the database: sessions and password-reset links are signed with it."""
    folder.mkdir(parents=True, exist_ok=True)
    if stored_secret_key(folder):
        return False
    path = folder / SECRET_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it between the check and here (or it is empty)
        if stored_secret_key(folder):
            return False
        raise
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(50) + "\n")
    return True


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_environment(host: str) -> list[str]:
    """Set the defaults of `ipcity serve` in os.environ (never overriding a value given) and say what was chosen."""
    notes = []
    os.environ.setdefault("IPCITY_ENV", "production")
    if os.environ["IPCITY_ENV"] != "production":
        notes.append(f"运行环境：{os.environ['IPCITY_ENV']}（出错时显示调试页面，切勿对外提供服务）")
        return notes
    if not os.environ.get("IPCITY_SECRET_KEY"):
        folder = data_dir()
        if ensure_stored_secret_key(folder):
            notes.append(f"未设置 IPCITY_SECRET_KEY：已生成密钥并保存在 {folder / SECRET_KEY_FILE}（请与数据库一同备份）")
    if "IPCITY_HTTPS" not in os.environ and is_loopback(host):
        # Only this machine can reach a loopback address, so there is no network for TLS to protect, and
        # some browsers refuse Secure cookies over plain http to 127.0.0.1 (nobody could sign in).
        os.environ["IPCITY_HTTPS"] = "0"
        notes.append("仅监听本机地址：未启用 HTTPS 专用 Cookie 与 HSTS（对外服务时请置于 HTTPS 反向代理之后）")
    if not is_loopback(host) and not os.environ.get("IPCITY_ALLOWED_HOSTS"):
        notes.append("未设置 IPCITY_ALLOWED_HOSTS：只接受以 127.0.0.1 或 localhost 访问的请求，其他域名或地址将得到 400")
    return notes
