"""A complete service guide and a service item made from it, shared by the services tests."""

from tests.helpers import post_json


def guide(**changes) -> dict:
    base = {
        "legal_basis": ["《中华人民共和国专利法》第二十条"],
        "conditions": "在本区注册的企业、高校院所",
        "materials": [{"name": "申请表", "copies": 1, "required": True, "note": "加盖公章"},
                      {"name": "营业执照复印件", "copies": 1, "required": True, "note": ""}],
        "steps": [{"name": "受理", "days": 3}, {"name": "审查", "days": 10}, {"name": "决定", "days": 2}],
        "accept_days": 5, "decide_days": 15, "fees": "不收费", "place": "南开区行政许可服务中心",
        "hours": "工作日 9:00—17:00", "phone": "022-00000000", "complaint": "12345 热线",
        "faqs": [{"q": "可以邮寄材料吗？", "a": "请通过平台在线提交。"}],
    }
    return {**base, **changes}


def make_item(client, unit_id, code="NK-TEST-001", **changes):
    return post_json(client, "/api/v1/services/items", {"code": code, "name": "专利申请资助", "item_type": "public_service",
                                                        "unit": unit_id, "guide": guide(**changes)})
