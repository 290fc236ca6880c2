"""Registry imports through `ipcity import` against plain loaders of the same rows, in the same run.

    python3 dev.py bench imports                                   (100,000 patents, 300,000 legal events, both databases)
    .venv/bin/python bench/imports.py --patents 5000 --events 15000 --database sqlite

Generates deterministic synthetic files (seeded; every name and number made up) with the column headings the importer
reads (docs/data-formats.md): N patents and M legal events (each event of a generated patent, transfers and licences
among them), as CSV (UTF-8 with BOM, as the platform's own exports) and as XLSX as Excel writes it (shared strings,
date cells, number cells).
No file holds more rows than the platform's reader takes in one file (100,000 with data, ipcity.web.spreadsheets):
larger sets are split into parts, as docs/data-formats.md asks, and every part is imported.

For each database (SQLite in a fresh data folder; PostgreSQL in a fresh database at 127.0.0.1:5432 when it answers)
and each format: the data starts from a freshly migrated schema (migrated once and kept, keyed by the migrations, in
the temporary folder and as a PostgreSQL template database: not timed), then every part is imported by
`ipcity import patents|events FILE` in its own process, timed from start to exit (Django's start and the migration
check included; the time the batches themselves record is printed beside it), and the stored rows are counted. In the same run the same CSV rows are loaded by DuckDB's `read_csv` into a table (one thread, as the
import runs on one core) and by Python's csv module and `sqlite3.executemany` into a bare table of text columns in a
file: floors that neither check a cell nor resolve an address nor keep a batch. Prints rows/s for each and whether the
goal is met per format and database: at least 10,000 rows/s for patents and for events, every file whole or not at all
(the importer's tests hold that part).

Then, on each database, `ipcity demo` builds the demo from a fresh copy of the schema, timed as a whole process (goal:
under 20 s), beside the floor of having the same records: the finished database copied (SQLite's backup; a
PostgreSQL database created from it as a template)."""

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from servers import POSTGRES_ADMIN, drop_postgres, fresh_postgres

ROOT = Path(__file__).resolve().parents[1]
IPCITY = [sys.executable, "-m", "ipcity.cli"]
POSTGRES_BENCH = "ipcity_bench_imports"
POSTGRES_TEMPLATE = "ipcity_bench_imports_schema"
GOAL_ROWS_PER_SECOND = 10_000
GOAL_DEMO_SECONDS = 20
FILE_ROWS = 99_999  # rows with data per file at most: the reader takes 100,000 rows, the header included

PATENT_HEADERS = ["申请号", "申请日", "专利类型", "发明名称", "摘要", "申请人", "专利权人", "专利权人地址", "主分类号",
                  "IPC分类号", "授权公告日", "法律状态"]
EVENT_HEADERS = ["申请号", "法律事件", "生效日", "金额（元）", "相对方", "受让人地址"]
PATENT_DATES = (1, 10)  # columns holding dates (XLSX date cells)
EVENT_DATES = (2,)
EVENT_NUMBERS = (3,)  # the amount (XLSX number cells)
LAST_EVENT = dt.date(2025, 12, 31)

STREETS = ["长虹街道", "鼓楼街道", "兴南街道", "广开街道", "万兴街道", "学府街道", "向阳路街道", "嘉陵道街道", "王顶堤街道",
           "水上公园街道", "体育中心街道", "华苑街道"]
ELSEWHERE = ["天津市西青区", "天津市滨海新区", "北京市海淀区", "上海市浦东新区", "河北省石家庄市长安区", "江苏省苏州市工业园区"]
TYPES = [("发明", 0.55), ("实用新型", 0.37), ("外观设计", 0.08)]
IPC = ["G06N 3/08", "C12N 15/10", "A61K 36/00", "B65D 81/00", "F16H 1/00", "E04B 1/00", "A47J 27/00", "H01M 10/05"]
WORDS = ["智能", "电池", "图像", "识别", "夹具", "包装", "材料", "传感", "控制", "检测", "装置", "方法", "系统", "组合物"]
EVENTS = [("未缴年费专利权终止", 0.2), ("专利权的恢复", 0.05), ("专利权的转移", 0.25), ("专利实施许可合同备案的生效", 0.2),
          ("专利权质押合同登记的生效", 0.1), ("同族境外公开", 0.1), ("宣告专利权部分无效", 0.05), ("获奖", 0.05)]
WITH_COUNTERPARTY = {"专利权的转移", "专利实施许可合同备案的生效", "专利权质押合同登记的生效"}


def _address(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return f"天津市南开区{rng.choice(STREETS)}科技路{rng.randrange(1, 400)}号"
    if roll < 0.95:
        return f"{rng.choice(ELSEWHERE)}创新大道{rng.randrange(1, 400)}号"
    return f"某某路{rng.randrange(1, 400)}号"  # names no district: stored as unknown


def _company(rng: random.Random) -> str:
    return f"合成{rng.choice(WORDS)}{rng.choice(WORDS)}科技有限公司{rng.randrange(1, 2000)}"


def generate_patents(n: int, seed: int = 16) -> list[list[str]]:
    rng = random.Random(seed)
    base = dt.date(2004, 1, 1).toordinal()
    rows = []
    for i in range(n):
        kind = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
        filed = dt.date.fromordinal(base + rng.randrange(365 * 20))
        granted = filed + dt.timedelta(days=rng.randrange(150, 1100)) if rng.random() < 0.9 else None
        owner = _company(rng)
        codes = rng.sample(IPC, rng.randrange(1, 4))
        title = "一种" + "".join(rng.sample(WORDS, 3))
        rows.append([f"{2004 + i % 21}{1 + i % 3}{i:07d}.{i % 10}", filed.isoformat(), kind, title,
                     f"合成数据：{title}的摘要{i}", owner, owner, _address(rng), codes[0], ";".join(codes),
                     granted.isoformat() if granted else "", "有效" if granted else "审中"])
    return rows


def generate_events(patents: list[list[str]], n: int, seed: int = 17) -> list[list[str]]:
    """n events spread over the patents in turn; one event per patent, kind and day, as the registry keeps them."""
    rng = random.Random(seed)
    kinds, weights = [k for k, _ in EVENTS], [w for _, w in EVENTS]
    rows, seen = [], set()
    while len(rows) < n:
        patent = patents[len(rows) % len(patents)]
        kind = rng.choices(kinds, weights)[0]
        filed = dt.date.fromisoformat(patent[1])
        day = filed + dt.timedelta(days=rng.randrange(30, (LAST_EVENT - filed).days))
        if (patent[0], kind, day) in seen:
            continue
        seen.add((patent[0], kind, day))
        party = _company(rng) if kind in WITH_COUNTERPARTY else ""
        amount = f"{rng.randrange(1, 5000) * 10000}" if kind in WITH_COUNTERPARTY and rng.random() < 0.5 else ""
        rows.append([patent[0], kind, day.isoformat(), amount, party, _address(rng) if kind == "专利权的转移" else ""])
    return rows


def _parts(rows: list, most: int = FILE_ROWS) -> list[list]:
    """The rows in as few files as the reader's limit allows, of equal size."""
    count = max(1, -(-len(rows) // most))
    size = -(-len(rows) // count) if rows else 0
    return [rows[i:i + size] for i in range(0, len(rows), size)] if rows else [[]]


def write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)


XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>',
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
}
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(path: Path, headers: list[str], rows: list[list[str]], date_columns: tuple[int, ...],
               number_columns: tuple[int, ...] = ()) -> None:
    """A workbook as Excel writes one: text in the shared strings table, dates as day numbers with a date format,
    numbers as numbers (written here directly, as openpyxl would take minutes for 300,000 rows)."""
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    letters = [_column_letters(i + 1) for i in range(len(headers))]
    lines = []
    for number, row in enumerate([headers, *rows], 1):
        cells = []
        for column, value in enumerate(row):
            if value == "":
                continue
            ref = f"{letters[column]}{number}"
            if number > 1 and column in date_columns:
                cells.append(f'<c r="{ref}" s="1"><v>{(dt.date.fromisoformat(value) - EXCEL_EPOCH).days}</v></c>')
            elif number > 1 and column in number_columns:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:{letters[-1]}{len(rows) + 1}"/><sheetData>{"".join(lines)}</sheetData></worksheet>')
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
              f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings) + "</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)


def write_files(folder: Path, patents: list, events: list) -> dict[str, dict[str, list[Path]]]:
    files: dict[str, dict[str, list[Path]]] = {"csv": {"patents": [], "events": []}, "xlsx": {"patents": [], "events": []}}
    for kind, headers, rows, dates, numbers in (("patents", PATENT_HEADERS, patents, PATENT_DATES, ()),
                                                ("events", EVENT_HEADERS, events, EVENT_DATES, EVENT_NUMBERS)):
        for number, part in enumerate(_parts(rows), 1):
            path = folder / f"{kind}-{number}.csv"
            write_csv(path, headers, part)
            files["csv"][kind].append(path)
            path = folder / f"{kind}-{number}.xlsx"
            write_xlsx(path, headers, part, dates, numbers)
            files["xlsx"][kind].append(path)
    return files


# ---------------------------------------------------------------- the platform

def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


MIGRATE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcity.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
"""
COUNT = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcity.settings")
django.setup()
from ipcity.stats.models import ImportBatch, LegalEvent, Patent
batches = {kind: sum((b.finished_at - b.started_at).total_seconds() for b in ImportBatch.objects.filter(kind=kind))
           for kind in ("patents", "events")}
print(json.dumps({"stored": [Patent.objects.count(), LegalEvent.objects.count()], "inside": batches}))
"""


def _environment(folder: Path, database_url: str = "") -> dict:
    env = {**os.environ, "IPCITY_DATA_DIR": str(folder), "IPCITY_EMAIL_DISABLED": "1", "IPCITY_ENV": "development"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _schema_key() -> str:
    """What the migrated schema depends on: every migration file and Django's version."""
    import django

    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted((ROOT / "src" / "ipcity").glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _postgres_databases(prefix: str) -> list[str]:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        return [row[0] for row in connection.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                                     [prefix + "%"])]


class Schema:
    """A database migrated once (not timed) and kept, keyed by the migrations, so that later runs start at once; each
    measurement starts from a copy of it: the SQLite file copied into a fresh data folder, or a PostgreSQL database
    created from it as a template."""

    def __init__(self, database: str):
        self.database = database
        key = _schema_key()
        if database == "sqlite":
            self.folder = Path(tempfile.gettempdir()) / f"ipcity-bench-imports-schema-{key}"
            if not (self.folder / "ipcity.sqlite3").exists():
                partial = Path(tempfile.mkdtemp(prefix="ipcity-bench-imports-schema-"))
                subprocess.run([sys.executable, "-c", MIGRATE], env=_environment(partial), check=True, cwd=ROOT)
                shutil.rmtree(self.folder, ignore_errors=True)
                partial.rename(self.folder)
            return
        self.template = f"{POSTGRES_TEMPLATE}_{key}"
        if self.template not in _postgres_databases(self.template):
            for older in _postgres_databases(POSTGRES_TEMPLATE):
                drop_postgres(older)
            url = fresh_postgres(self.template + "_partial")
            with tempfile.TemporaryDirectory() as scratch:
                subprocess.run([sys.executable, "-c", MIGRATE], env=_environment(Path(scratch), url), check=True,
                               cwd=ROOT)
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
                connection.execute(f'ALTER DATABASE "{self.template}_partial" RENAME TO "{self.template}"')

    def fresh(self, folder: Path) -> dict:
        if self.database == "sqlite":
            for part in self.folder.glob("ipcity.sqlite3*"):
                shutil.copy(part, folder / part.name)
            return _environment(folder)
        return _environment(folder, fresh_postgres(POSTGRES_BENCH, template=self.template))

    def close(self) -> None:
        if self.database == "postgres":
            drop_postgres(POSTGRES_BENCH)


def import_through_platform(schema: Schema, files: dict[str, list[Path]]) -> dict:
    """Seconds each kind took through `ipcity import`, all its parts in order, from a fresh copy of the schema: the
    processes' whole time and the time the import batches themselves record (from the batch's start to its end)."""
    folder = Path(tempfile.mkdtemp(prefix="ipcity-bench-imports-"))
    try:
        env = schema.fresh(folder)
        seconds = {}
        for kind in ("patents", "events"):
            started = time.perf_counter()
            for path in files[kind]:
                done = subprocess.run([*IPCITY, "import", kind, str(path)], env=env, capture_output=True, text=True,
                                      cwd=ROOT)
                if done.returncode != 0:
                    raise RuntimeError(f"ipcity import {kind} {path.name} failed:\n{done.stderr[-3000:]}")
            seconds[kind] = time.perf_counter() - started
        counted = json.loads(subprocess.run([sys.executable, "-c", COUNT], env=env, check=True, capture_output=True,
                                            text=True, cwd=ROOT).stdout)
        return {**seconds, "stored": tuple(counted["stored"]), "inside": counted["inside"]}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def demo_through_platform(schema: Schema) -> dict:
    """Seconds `ipcity demo` takes from a fresh copy of the schema, and the seconds copying the finished database takes."""
    folder = Path(tempfile.mkdtemp(prefix="ipcity-bench-demo-"))
    try:
        env = schema.fresh(folder)
        started = time.perf_counter()
        done = subprocess.run([*IPCITY, "demo"], env=env, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"ipcity demo failed:\n{done.stderr[-3000:]}")
        started = time.perf_counter()
        if schema.database == "sqlite":
            with sqlite3.connect(folder / "ipcity.sqlite3") as source, sqlite3.connect(folder / "copy.sqlite3") as copy:
                source.backup(copy)
        else:
            fresh_postgres(POSTGRES_BENCH + "_copy", template=POSTGRES_BENCH)
        copied = time.perf_counter() - started
        if schema.database == "postgres":
            drop_postgres(POSTGRES_BENCH + "_copy")
        return {"seconds": seconds, "copy_seconds": copied}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- the floors

def load_duckdb(files: dict[str, list[Path]]) -> dict[str, float]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 1")
    seconds = {}
    for kind in ("patents", "events"):
        started = time.perf_counter()
        for number, path in enumerate(files[kind]):
            con.execute(f"CREATE TABLE {kind}_{number} AS SELECT * FROM read_csv('{path}', header = true, all_varchar = true)")
        seconds[kind] = time.perf_counter() - started
    con.close()
    return seconds


def load_sqlite(files: dict[str, list[Path]], folder: Path) -> dict[str, float]:
    path = folder / "bare.sqlite3"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    seconds = {}
    for kind in ("patents", "events"):
        started = time.perf_counter()
        width = len(PATENT_HEADERS if kind == "patents" else EVENT_HEADERS)
        connection.execute(f"CREATE TABLE {kind} ({', '.join(f'c{i} TEXT' for i in range(width))})")
        for file in files[kind]:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                reader = csv.reader(stream)
                next(reader)
                connection.executemany(f"INSERT INTO {kind} VALUES ({', '.join('?' * width)})", reader)
            connection.commit()
        seconds[kind] = time.perf_counter() - started
    connection.close()
    path.unlink(missing_ok=True)
    return seconds


# ---------------------------------------------------------------- the report

def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>10,.0f}" if seconds > 0 else f"{'—':>10}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--format", choices=["csv", "xlsx", "both"], default="both")
    args = parser.parse_args(argv)
    if not 1 <= args.patents <= 10_000_000 or not 0 <= args.events <= 30_000_000:
        parser.error("--patents 1..10,000,000, --events 0..30,000,000")
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    if "postgres" in databases and not _postgres_reachable():
        print(f"PostgreSQL does not answer at {POSTGRES_ADMIN}: measuring SQLite only")
        databases = [d for d in databases if d != "postgres"]
    formats = ["csv", "xlsx"] if args.format == "both" else [args.format]

    folder = Path(tempfile.mkdtemp(prefix="ipcity-bench-import-files-"))
    try:
        started = time.perf_counter()
        patents = generate_patents(args.patents)
        events = generate_events(patents, args.events)
        files = write_files(folder, patents, events)
        count = {"patents": len(patents), "events": len(events)}
        print(f"data: {count['patents']:,} patents and {count['events']:,} legal events, synthetic, in "
              f"{len(files['csv']['patents']) + len(files['csv']['events'])} files per format of at most {FILE_ROWS:,} rows "
              f"(generated and written in {time.perf_counter() - started:.1f} s, not timed)")
        floors = {"DuckDB read_csv (1 thread)": load_duckdb(files["csv"]),
                  "csv + sqlite3.executemany, bare table": load_sqlite(files["csv"], folder)}
        results, demos = {}, {}
        for database in databases:
            schema = Schema(database)
            try:
                for kind_of_file in formats:
                    outcome = import_through_platform(schema, files[kind_of_file])
                    if outcome["stored"] != (count["patents"], count["events"]):
                        print(f"{database} {kind_of_file}: stored {outcome['stored']}, expected "
                              f"{(count['patents'], count['events'])}")
                        return 1
                    results[(database, kind_of_file)] = outcome
                demos[database] = demo_through_platform(schema)
            finally:
                schema.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    total = count["patents"] + count["events"]
    print(f"\n{'rows/s':58} {'patents':>10} {'events':>10} {'all':>10}  goal ≥ {GOAL_ROWS_PER_SECOND:,} rows/s")
    all_met = True
    for (database, kind_of_file), seconds in results.items():
        met = all(count[k] / seconds[k] >= GOAL_ROWS_PER_SECOND for k in ("patents", "events") if count[k])
        all_met = all_met and met
        print(f"{f'ipcity import, {database}, {kind_of_file}':58} {_rate(count['patents'], seconds['patents'])} "
              f"{_rate(count['events'], seconds['events'])} {_rate(total, seconds['patents'] + seconds['events'])}"
              f"  {'met' if met else 'NOT met'}")
        inside = seconds["inside"]
        print(f"{'  of which inside the import (batch start to end)':58} {_rate(count['patents'], inside['patents'])} "
              f"{_rate(count['events'], inside['events'])} {_rate(total, inside['patents'] + inside['events'])}")
    for name, seconds in floors.items():
        print(f"{'floor: ' + name + ', csv':58} {_rate(count['patents'], seconds['patents'])} "
              f"{_rate(count['events'], seconds['events'])} {_rate(total, seconds['patents'] + seconds['events'])}")
    print(f"goal ≥ {GOAL_ROWS_PER_SECOND:,} rows/s for patents and for events through `ipcity import` (whole processes), "
          f"every format and database: {'met' if all_met else 'NOT met'}")
    print()
    for database, demo in demos.items():
        met = demo["seconds"] < GOAL_DEMO_SECONDS
        all_met = all_met and met
        print(f"ipcity demo, {database}: {demo['seconds']:.1f} s; floor (the finished database copied): "
              f"{demo['copy_seconds']:.1f} s; ratio ours/floor = {demo['seconds'] / max(demo['copy_seconds'], 1e-3):.0f}  "
              f"[goal < {GOAL_DEMO_SECONDS} s: {'met' if met else 'NOT met'}]")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
