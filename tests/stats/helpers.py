"""A small patent register and its upload through the registries page, shared by the stats tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

PATENTS = ("申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,授权公告日\n"
           "202310012345.6,2023-01-05,发明,一种图像识别方法,天开智能,天津市南开区华苑街道,2024-06-01\n"
           "202310012346.4,2023-01-06,发明,一种电池,天开智能,天津市南开区华苑街道,2024-07-01\n"
           "202220000001.1,2022-01-06,实用新型,一种夹具,外区企业,北京市海淀区,2022-07-01\n")


def upload(client, kind, name, text, path="/registries/"):
    return client.post(path, {"kind": kind, "file": SimpleUploadedFile(name, text.encode("gbk"))})
