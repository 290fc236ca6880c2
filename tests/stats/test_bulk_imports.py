"""The registries' own imports store a file's rows in bulk (a chunk of rows per lookup and per statement): the same
counts as row by row, a file whole or not at all, every problem named with its row and column, and a number of
queries that does not grow with the rows. Through `ipcity import` and the import service, as the office imports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipcity.audit.models import AuditEntry
from ipcity.cli import main as ipcity_main
from ipcity.stats import bulk, services
from ipcity.stats.core import importer
from ipcity.stats.models import ImportBatch, LegalEvent, Patent

HEADER = "申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,授权公告日"
EVENTS_HEADER = "申请号,法律事件,生效日,金额（元）,相对方,受让人地址"
STREETS = ("华苑街道", "学府街道", "鼓楼街道")


def _number(i: int) -> str:
    return f"2023{i:08d}.{i % 10}"


def _patents(count: int, *, start: int = 0, title: str = "一种装置") -> str:
    lines = [HEADER] + [f"{_number(i)},2023-01-05,发明,{title}{i},企业{i},天津市南开区{STREETS[i % 3]}{i}号,2024-06-01"
                        for i in range(start, start + count)]
    return "\n".join(lines) + "\n"


def _events(count: int, *, start: int = 0) -> str:
    lines = [EVENTS_HEADER] + [f"{_number(i)},专利权的转移,2025-05-{1 + i % 28:02d},{i * 100},受让企业{i},北京市海淀区某路{i}号"
                               for i in range(start, start + count)]
    return "\n".join(lines) + "\n"


def _import(tmp_path, kind: str, name: str, text: str) -> int:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ipcity_main(["import", kind, str(path)])


def _run(kind: str, text: str, name: str = "file.csv") -> ImportBatch:
    batch = services.import_batch_start(kind=kind, filename=name, actor=None)
    return services.import_batch_run(batch=batch, data=text.encode())


def test_importing_the_same_files_again_creates_nothing_and_counts_every_row_as_updated(db, tmp_path, capsys):
    assert _import(tmp_path, "patents", "p.csv", _patents(1200)) == 0
    assert _import(tmp_path, "events", "e.csv", _events(1200)) == 0
    assert "新增 1200 条，更新 0 条" in capsys.readouterr().err
    assert _import(tmp_path, "patents", "p.csv", _patents(1200)) == 0
    assert _import(tmp_path, "events", "e.csv", _events(1200)) == 0
    assert capsys.readouterr().err.count("新增 0 条，更新 1200 条") == 2
    assert (Patent.objects.count(), LegalEvent.objects.count()) == (1200, 1200)
    first = ImportBatch.objects.filter(kind="patents").order_by("pk").first()
    assert Patent.objects.filter(batch=first).count() == 1200  # nothing new to say: each record keeps its source


def test_a_changed_row_in_a_later_chunk_is_updated_and_only_it_takes_the_new_batch(db):
    _run("patents", _patents(2000))
    changed = _patents(2000).replace("一种装置1500,", "一种改进的装置1500,")
    batch = _run("patents", changed)
    assert (batch.created, batch.updated) == (0, 2000)
    patent = Patent.objects.get(application_number=_number(1500))
    assert (patent.title, patent.batch_id) == ("一种改进的装置1500", batch.pk)
    assert Patent.objects.filter(batch=batch).count() == 1
    assert patent.owner_district == "天津市南开区" and patent.owner_street == "huayuan"


def test_a_key_repeated_in_a_file_is_refused_naming_both_rows_and_nothing_is_stored(db, tmp_path, capsys):
    text = _patents(3) + f"{_number(1)},2023-01-05,发明,后一行,企业,天津市南开区,2024-06-01\n"
    assert _import(tmp_path, "patents", "p.csv", text) == 2
    assert f"第5行“申请号”列（值：{_number(1)}）：与第3行重复" in capsys.readouterr().err
    assert Patent.objects.count() == 0


def test_the_bulk_store_keeps_the_later_row_when_a_key_repeats_and_counts_it_as_an_update(db):
    """The parser refuses such a file first; the store still keeps a repeated key once, as row-by-row writes did."""
    rows = importer.parse(importer.PATENTS, _patents(3).encode(), "a.csv").rows
    later = importer.parse(importer.PATENTS, _patents(1, start=1, title="后来的名称").encode(), "b.csv").rows
    batch = ImportBatch.objects.create(kind="patents", filename="x.csv", started_at="2026-01-01T00:00:00Z")
    assert services._store_patents(rows + later, batch, lambda done: None) == (3, 1)
    assert Patent.objects.count() == 3
    assert Patent.objects.get(application_number=_number(1)).title == "后来的名称1"


def test_one_bad_row_in_the_middle_of_a_large_file_is_named_and_nothing_is_stored(db, tmp_path, capsys):
    lines = _patents(2000).splitlines()
    lines[1001] = lines[1001].replace("2023-01-05", "2023-02-30")
    assert _import(tmp_path, "patents", "p.csv", "\n".join(lines)) == 2
    err = capsys.readouterr().err
    assert "第1002行“申请日”列（值：2023-02-30）：不是有效日期" in err and "未导入任何数据" in err
    assert Patent.objects.count() == 0
    assert ImportBatch.objects.get().state == "failed"


def test_a_failure_while_storing_a_later_chunk_leaves_nothing_of_the_earlier_ones(db, monkeypatch):
    inserted = bulk.Writer.insert
    calls = []

    def failing(self, rows):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return inserted(self, rows)

    monkeypatch.setattr(bulk.Writer, "insert", failing)
    with pytest.raises(RuntimeError):
        _run("patents", _patents(2000))
    assert Patent.objects.count() == 0


def _queries(kind: str, text: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        _run(kind, text)
    return len(captured.captured_queries)


def test_the_queries_of_an_import_do_not_grow_with_its_rows(db):
    small = _queries("patents", _patents(50))
    large = _queries("patents", _patents(500, start=50))
    assert large <= small, (small, large)  # both fit one chunk: one lookup, one INSERT for all their rows
    small_events = _queries("events", _events(50))
    large_events = _queries("events", _events(500, start=50))
    assert large_events <= small_events, (small_events, large_events)
    more = _queries("patents", _patents(2 * services.CHUNK, start=550))  # two chunks: twice the per-chunk statements
    assert more <= small + 2 * 3, (small, more)


def test_an_official_file_matches_the_deal_event_it_holds_and_stores_the_others_in_bulk(db, people):
    _run("patents", _patents(1000))
    deal_row = f"{EVENTS_HEADER}\n{_number(700)},专利权的转移,2025-05-{1 + 700 % 28:02d},80000,平台受让企业,天津市南开区华苑街道\n"
    services.registry_write(kind="events", data=deal_row.encode(), origin="operations.deal:7", filename="deal.csv")
    batch = _run("events", _events(1000))
    assert (batch.created, batch.updated) == (999, 1)
    assert LegalEvent.objects.count() == 1000
    matched = LegalEvent.objects.get(patent__application_number=_number(700))
    assert (matched.origin, matched.match_batch_id) == ("operations.deal:7", batch.pk)
    assert (matched.counterparty, matched.new_owner_district) == ("受让企业700", "北京市海淀区")  # the official values win
    assert matched.match_values["platform"]["counterparty"] == "平台受让企业"
    assert AuditEntry.objects.filter(action="stats.legal_event.match").count() == 1
    again = _run("events", _events(1000))
    assert (again.created, again.updated) == (0, 1000)
    assert AuditEntry.objects.filter(action__startswith="stats.legal_event.").count() == 1  # the same file: no change
