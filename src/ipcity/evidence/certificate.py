"""The Chinese PDF certificate: what was registered, when, where in the log, and a QR code with the verify URL
and a compact proof (log index, content hash, checkpoint size and root), for a quick check by phone."""

import io
from urllib.parse import urlencode

from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ipcity.evidence.core.bundle import HASH_ONLY_NOTE
from ipcity.evidence.core.leaf import Leaf
from ipcity.evidence.kinds import KINDS
from ipcity.evidence.ledger import submitter_identity

FONT = "STSong-Light"


def verify_url(base_url: str, registration) -> str:
    checkpoint = registration.checkpoint
    return f"{base_url.rstrip('/')}/evidence/verify/?" + urlencode({
        "i": registration.index, "h": registration.sha256, "n": checkpoint.size, "r": checkpoint.root_sha256})


def certificate_number(registration) -> str:
    return f"NKEV-{registration.index:010d}"


def certificate_pdf(registration, *, base_url: str) -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    leaf = Leaf.decode(bytes(registration.leaf))
    kind = KINDS[registration.kind]
    checkpoint = registration.checkpoint
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(f"{kind.label}证书 {certificate_number(registration)}")
    width, height = A4
    page.setFont(FONT, 22)
    page.drawCentredString(width / 2, height - 40 * mm, f"{kind.label}证书")
    page.setFont(FONT, 10)
    page.drawCentredString(width / 2, height - 48 * mm, f"{kind.platform}　证书编号 {certificate_number(registration)}")
    rows = [
        ("存证名称", registration.title), ("登记机构", submitter_identity(registration.organization)),
        ("登记时间", timezone.localtime(registration.created_at).strftime("%Y年%m月%d日 %H:%M:%S")
         + f"（北京时间；UTC {leaf.time}）"),
        ("文件", "仅登记摘要：平台从未见过文件内容" if registration.digests_only else registration.filename or "—"),
        ("SHA-256", registration.sha256), ("SM3", registration.sm3),
        ("日志序号", str(registration.index)), ("检查点", f"大小 {checkpoint.size}，根哈希 {checkpoint.root_sha256}"),
        ("加盐", "是（核验时需要证书包中的盐值）" if registration.salted else "否"),
    ] + [(field.label, registration.metadata.get(field.name, "")) for field in kind.fields]
    y = height - 65 * mm
    if registration.digests_only:
        page.setFont(FONT, 10)
        for line in _wrap(f"注意：{HASH_ONLY_NOTE}。", 160 * mm):
            page.drawString(25 * mm, y, line)
            y -= 6 * mm
        y -= 3 * mm
    for label, value in rows:
        page.setFont(FONT, 10)
        page.drawString(25 * mm, y, label)
        lines = _wrap(str(value), 135 * mm)
        for line in lines:
            page.drawString(55 * mm, y, line)
            y -= 6 * mm
        y -= 1.5 * mm
    url = verify_url(base_url, registration)
    qr = QrCodeWidget(url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 40 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, page, width - 25 * mm - size, 25 * mm)
    page.setFont(FONT, 9)
    notes = ("核验方法：扫描右侧二维码在线核对；或下载证书包，在任何电脑上运行 ipcity evidence verify 证书包 原文件 "
             "--keys 平台公钥，离线核验默克尔证明、日志与见证人签名、时间戳和文件摘要。本证书的效力来自证书包中的密码学证明，"
             "而非本页面的外观。")
    for offset, note in enumerate(_wrap(notes, 110 * mm, size=9)):
        page.drawString(25 * mm, 60 * mm - offset * 5 * mm, note)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _wrap(text: str, width: float, size: float = 10) -> list[str]:
    """Break at the measured width: a Chinese character is twice as wide as a digit."""
    if not text:
        return ["—"]
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]
