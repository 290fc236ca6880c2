"""The pilot's evaluation report: drafted from the data, edited by the office, released, as .docx and PDF."""

import io
import json

from docx import Document


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_office_drafts_edits_and_releases_the_final_report(client_for, people):
    office = client_for("office_admin")
    draft = _post(office, "/api/v1/supervision/evaluations", {"kind": "final"})
    assert draft.status_code == 201
    report = draft.json()
    assert report["title"] == "天津市南开区国家知识产权强市建设试点终期评估报告（2024年1月至2026年12月）"
    assert report["problems"].startswith("尚未达标指标") and "暂无数据指标32项" in report["problems"]
    edited = office.patch(f"/api/v1/supervision/evaluations/{report['id']}",
                          json.dumps({"highlights": "建成知识产权全链条服务平台。"}), content_type="application/json")
    assert edited.json()["highlights"] == "建成知识产权全链条服务平台。"
    assert _post(office, f"/api/v1/supervision/evaluations/{report['id']}/release", {}).json()["released"]
    frozen = office.patch(f"/api/v1/supervision/evaluations/{report['id']}", json.dumps({"problems": "x"}),
                          content_type="application/json")
    assert frozen.status_code == 422 and "报告已发布" in frozen.json()["detail"][0]

    document = Document(io.BytesIO(office.get(f"/supervision/evaluations/{report['id']}/", {"format": "docx"}).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "建成知识产权全链条服务平台。" in text and "【草稿】" not in text
    assert len(document.tables[0].rows) == 33 and len(document.tables[1].rows) == 19
    pdf = office.get(f"/api/v1/supervision/evaluations/{report['id']}/document", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"STSong-Light" in pdf.content  # the built-in CJK font, so Chinese renders without font files


def test_an_annual_report_needs_a_pilot_year(client_for, people):
    refused = _post(client_for("office_admin"), "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2030})
    assert refused.status_code == 422 and "试点期内的年度" in refused.json()["detail"][0]
    made = _post(client_for("office_admin"), "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2025})
    assert made.json()["title"].endswith("2025年度评估报告")


def test_the_pages_draft_and_release(client_for, people):
    office = client_for("office_admin")
    response = office.post("/supervision/evaluations/", {"kind": "annual", "year": 2025})
    page_url = response["Location"]
    office.post(page_url, {"highlights": "成效", "problems": "问题", "next_steps": "下一步", "action": "release"})
    page = office.get(page_url).content.decode()
    assert 'data-testid="evaluation-state">已发布' in page
