"""Synthetic registrations for the demo: a few of each kind by the demo enterprise and university, registered on
past days (each date in its metadata before its registration day) and sealed into the log, so the evidence pages
and certificates have something to show."""

import datetime as dt
import hashlib

from django.test import override_settings

from ipcity import clock
from ipcity.evidence.ledger import sequence_pending
from ipcity.evidence.services import registration_create

SAMPLES = [
    ("enterprise_user", "copyright_work", {"title": "天开园导览手绘地图（演示）", "work_type": "美术", "author": "演示作者",
                                           "completed_on": "2025-05-12"}),
    ("enterprise_user", "electronic_data", {"title": "侵权网页取证（演示）", "source_type": "网页",
                                            "source": "https://shop.example.invalid/item/1", "captured_on": "2025-07-18"}),
    ("enterprise_user", "data_ip", {"dataset_name": "南开区商圈客流数据集（演示）", "source": "自有传感器",
                                    "collection_rules": "每15分钟汇总，匿名化", "scale": "约120万条",
                                    "update_frequency": "每日"}),
    ("university_user", "research_result", {"title": "柔性电子材料制备方法（演示）", "institution": "演示大学",
                                            "project": "区级科技计划（演示）", "researchers": "演示研究员甲、乙"}),
    ("university_user", "copyright_work", {"title": "实验数据处理软件 V1.0（演示）", "work_type": "计算机软件",
                                           "author": "演示课题组", "completed_on": "2025-10-18"}),
    ("enterprise_user", "notarization", {"title": "网店侵权页面保全公证（演示）", "notary": "南开公证处（演示）",
                                         "purpose": "诉讼证据（演示）"}),
]


def build_evidence(*, users: dict, seed: int) -> int:
    start = dt.date(2025, 6, 2)
    with override_settings(EVIDENCE_RATE_PER_MINUTE=10**6):
        for number, (username, kind, metadata) in enumerate(SAMPLES):
            day = start + dt.timedelta(days=47 * number)
            content = hashlib.sha256(f"{seed}-{number}-{metadata}".encode()).digest() * 64  # a stand-in file
            with clock.on_day(day):
                registration_create(actor=users[username], kind=kind, metadata=metadata, chunks=[content],
                                    filename=f"演示文件{number + 1}.bin")
                sequence_pending()
    return len(SAMPLES)
