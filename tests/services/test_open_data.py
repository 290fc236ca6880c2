"""Open data: every dataset downloads as CSV (Excel-ready) and JSON without login, built from public pages only."""

import csv
import io

from ipcity.services.open_data import DATASETS
from tests.helpers import post_json
from tests.services.helpers import make_item


def test_every_dataset_downloads_as_csv_and_json_without_login(client_for, people):
    make_item(client_for("office_admin"), people["unit_staff"].organization_id)
    public = client_for(None)
    index = public.get("/api/v1/services/open-data").json()
    assert {d["code"] for d in index} == set(DATASETS)
    for code, dataset in DATASETS.items():
        response = public.get(f"/services/open-data/{code}.csv")
        assert response.status_code == 200 and response.content.startswith("\ufeff".encode()), code
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert tuple(rows[0]) == dataset.headers, code
        records = public.get(f"/api/v1/services/open-data/{code}").json()["records"]
        assert len(records) == len(rows) - 1, code
    items = public.get("/api/v1/services/open-data/service_items").json()["records"]
    assert items[0]["事项编码"] == "NK-TEST-001" and items[0]["受理时限（工作日）"] == "5"
    indicators = public.get("/api/v1/services/open-data/indicators").json()["records"]
    assert len(indicators) == 32
    assert public.get("/services/open-data/nothing.csv").status_code == 404
    assert public.get("/services/open-data/indicators.xml").status_code == 404


def test_a_training_dataset_carries_counts_and_never_who_attended(client_for, people, frozen_clock):
    unit = client_for("unit_staff")
    training = post_json(unit, "/api/v1/services/trainings", {"title": "培训", "audience": "public",
                                                              "held_on": "2026-11-02", "hours": "2", "place": "线上"}).json()
    token = unit.get(f"/api/v1/services/trainings/{training['id']}/attendees").json()["sign_in_token"]
    post_json(client_for(None), f"/api/v1/services/trainings/{training['id']}/sign-in",
              {"token": token, "name": "隐私学员", "organization_name": "某公司", "phone": "13912340000"})
    shown = client_for(None).get("/services/open-data/trainings.json").content.decode()
    assert "隐私学员" not in shown and "1391234" not in shown and '"人次": "1"' in shown
