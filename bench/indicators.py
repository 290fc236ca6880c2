"""Indicator engine against DuckDB on the same synthetic registry, in the same run.

    python bench/indicators.py [--patents 1000000] [--events 3000000]

Generates N patents with 3N legal events, N/10 pledges and N trademarks (deterministic), hands the
engine its plain records and DuckDB the same rows as tables (neither load is timed), then times:
1. a full as-of recomputation from the loaded columns: ours applies every rule (terms, state-event order,
   high-value dates, dealings) and evaluates all indicators; DuckDB runs the same rules as one SQL query;
2. as-of evaluations for 12 month-ends (ours reuses its index, as the platform does);
checks that both give exactly the same numbers, and prints both times and the ratio."""

import argparse
import csv
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ipcity.stats.core import engine  # noqa: E402
from ipcity.stats.core.columns import RawColumns  # noqa: E402
from ipcity.stats.core.forecast import month_ends  # noqa: E402
from ipcity.stats.core.records import (  # noqa: E402
    EventType,
    LegalEvent,
    Patent,
    PatentType,
    Pledge,
    PopulationFigure,
    Registry,
    SeiIpcTable,
    Trademark,
)

HERE, THERE = "天津市南开区", "北京市海淀区"
DISTRICTS = [HERE, THERE, None]
TYPES = [PatentType.INVENTION, PatentType.UTILITY_MODEL, PatentType.DESIGN]
IPC = ["G06N3/08", "C12N15/10", "A61K36/00", "B65D81/00", "F16H1/00", "E04B1/00", "A47J27/00", "H01M10/05"]
SEI = (("G06N", "新一代信息技术产业"), ("C12N", "生物产业"), ("H01M10", "新能源汽车产业"))
EVENT_KINDS = [EventType.FEE_TERMINATION, EventType.RESTORATION, EventType.TRANSFER, EventType.LICENCE,
               EventType.FAMILY_ABROAD, EventType.INVALIDATION_PARTIAL, EventType.INVALIDATION_FULL, EventType.AWARD]
EVENT_WEIGHTS = [0.2, 0.05, 0.25, 0.25, 0.15, 0.04, 0.03, 0.03]
POPULATION_10K = Decimal("89.3")
AS_OF = dt.date(2026, 10, 31)
BASE = dt.date(2004, 1, 1).toordinal()


def generate(n: int, target_events: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    kind = rng.choice(3, n, p=[0.55, 0.37, 0.08])
    filed = BASE + rng.integers(0, 365 * 22, n)
    delay = np.where(kind == 0, rng.integers(500, 1100, n), rng.integers(150, 330, n))
    granted = np.where(rng.random(n) < 0.9, filed + delay, -1)
    owner = rng.choice(3, n, p=[0.9, 0.07, 0.03])
    ipc = rng.integers(0, len(IPC), n)
    m = target_events * 2  # about half fall after the as-of date or repeat; the first target_events kept are used
    e_patent = rng.integers(0, n, m)
    e_kind = rng.choice(len(EVENT_KINDS), m, p=EVENT_WEIGHTS)
    e_date = filed[e_patent] + rng.integers(200, 365 * 20, m)
    e_owner = rng.choice(3, m, p=[0.6, 0.35, 0.05])
    keep = e_date <= AS_OF.toordinal()
    e_patent, e_kind, e_date, e_owner = e_patent[keep], e_kind[keep], e_date[keep], e_owner[keep]
    # One event of a kind per patent and day, as the registry's unique constraint guarantees.
    _, first = np.unique(np.stack([e_patent, e_kind, e_date]), axis=1, return_index=True)
    first = np.sort(first)[:target_events]
    events = (e_patent[first], e_kind[first], e_date[first], e_owner[first])
    p_count = n // 10
    pledge_patent = rng.integers(0, n, p_count)
    pledge_amount = rng.integers(10, 5000, p_count) * 10000
    pledge_date = np.minimum(filed[pledge_patent] + rng.integers(300, 4000, p_count), AS_OF.toordinal())
    t_registered = BASE + rng.integers(0, 365 * 22, n)
    t_owner = rng.choice(3, n, p=[0.9, 0.07, 0.03])
    return {"kind": kind, "filed": filed, "granted": granted, "owner": owner, "ipc": ipc, "events": events,
            "pledges": (pledge_patent, pledge_amount, pledge_date), "trademarks": (t_registered, t_owner)}


def to_registry(data) -> Registry:
    day = dt.date.fromordinal
    numbers = [f"P{i}" for i in range(len(data["kind"]))]
    patents = [Patent(numbers[i], TYPES[k], day(f), day(g) if g > 0 else None, (IPC[c],), DISTRICTS[o])
               for i, (k, f, g, o, c) in enumerate(zip(data["kind"].tolist(), data["filed"].tolist(), data["granted"].tolist(),
                                                      data["owner"].tolist(), data["ipc"].tolist(), strict=True))]
    e_patent, e_kind, e_date, e_owner = (a.tolist() for a in data["events"])
    events = [LegalEvent(numbers[p], EVENT_KINDS[k], day(d), new_owner_district=DISTRICTS[o] if EVENT_KINDS[k] == EventType.TRANSFER else None)
              for p, k, d, o in zip(e_patent, e_kind, e_date, e_owner, strict=True)]
    pledges = [Pledge(f"Z{i}", day(d), None, Decimal(a), HERE, (numbers[p],))
               for i, (p, a, d) in enumerate(zip(*(a.tolist() for a in data["pledges"]), strict=True))]
    t_registered, t_owner = (a.tolist() for a in data["trademarks"])
    trademarks = [Trademark(f"T{i}", day(r), day(r + 3652), None, DISTRICTS[o]) for i, (r, o) in enumerate(zip(t_registered, t_owner, strict=True))]
    return Registry(district=HERE, patents=patents, events=events, pledges=pledges, trademarks=trademarks,
                    population=[PopulationFigure(2025, POPULATION_10K, "bench")], sei_table=SeiIpcTable("bench", SEI))


def load_duckdb(data, folder: Path) -> duckdb.DuckDBPyConnection:
    def write(name, header, columns):
        with open(folder / f"{name}.csv", "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(zip(*(c.tolist() for c in columns), strict=True))

    n = len(data["kind"])
    write("patents", ["id", "kind", "filed", "granted", "owner", "sei"],
          [np.arange(n), data["kind"], data["filed"], data["granted"], data["owner"],
           np.isin(data["ipc"], [IPC.index(c) for c in ("G06N3/08", "C12N15/10", "H01M10/05")]).astype(int)])
    e_patent, e_kind, e_date, e_owner = data["events"]
    write("events", ["seq", "patent", "kind", "day", "owner"], [np.arange(len(e_patent)), e_patent, e_kind, e_date, e_owner])
    write("pledges", ["patent", "amount", "day"], list(data["pledges"]))
    write("trademarks", ["registered", "owner"], list(data["trademarks"]))
    con = duckdb.connect()
    con.execute("SET threads TO 1")  # the engine runs on one core; so does its peer here
    for name in ("patents", "events", "pledges", "trademarks"):
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{folder / name}.csv')")
    # Ordinals to dates inside DuckDB, so it does its own date arithmetic (terms, anniversaries).
    con.execute("""CREATE TABLE p AS SELECT id, kind, owner, sei,
                   DATE '0001-01-01' + (filed - 1)::INTEGER AS filed,
                   CASE WHEN granted > 0 THEN DATE '0001-01-01' + (granted - 1)::INTEGER END AS granted FROM patents""")
    con.execute("CREATE TABLE e AS SELECT seq, patent, kind, owner, DATE '0001-01-01' + (day - 1)::INTEGER AS day FROM events")
    con.execute("CREATE TABLE z AS SELECT patent, amount, DATE '0001-01-01' + (day - 1)::INTEGER AS day FROM pledges")
    con.execute("CREATE TABLE t AS SELECT owner, DATE '0001-01-01' + (registered - 1)::INTEGER AS registered FROM trademarks")
    return con


ENDING = [EVENT_KINDS.index(k) for k in (EventType.FEE_TERMINATION, EventType.INVALIDATION_FULL)]
RESTORE = EVENT_KINDS.index(EventType.RESTORATION)
TRANSFER = EVENT_KINDS.index(EventType.TRANSFER)
LICENCE = EVENT_KINDS.index(EventType.LICENCE)
FAMILY = EVENT_KINDS.index(EventType.FAMILY_ABROAD)
AWARD = EVENT_KINDS.index(EventType.AWARD)

SQL = f"""
WITH state AS (
  SELECT patent,
         arg_max(kind, (day, seq)) FILTER (WHERE kind IN ({ENDING[0]}, {ENDING[1]}, {RESTORE})) AS last_end,
         arg_max(owner, (day, seq)) FILTER (WHERE kind = {TRANSFER}) AS moved_to,
         bool_or(kind IN ({FAMILY}, {AWARD})) AS honoured
  FROM e WHERE day <= $as_of GROUP BY patent),
pledged AS (SELECT DISTINCT patent FROM z WHERE day <= $as_of AND amount >= 10000000),
valid AS (
  SELECT p.id, p.kind, p.sei, p.filed, s.honoured FROM p LEFT JOIN state s ON s.patent = p.id
  WHERE p.granted <= $as_of
    AND $as_of < p.filed + CASE WHEN p.kind = 0 THEN INTERVAL 20 YEAR
                                WHEN p.kind = 2 AND p.filed >= DATE '2021-06-01' THEN INTERVAL 15 YEAR
                                ELSE INTERVAL 10 YEAR END
    AND coalesce(s.last_end, {RESTORE}) = {RESTORE}
    AND coalesce(s.moved_to, p.owner) = 0),
dealings AS (
  SELECT year(d.day) AS year FROM (SELECT * FROM e WHERE kind IN ({TRANSFER}, {LICENCE}) AND day <= $as_of) d
  ASOF LEFT JOIN (SELECT patent, day, owner FROM e WHERE kind = {TRANSFER}) before
    ON d.patent = before.patent AND d.day > before.day
  JOIN p ON p.id = d.patent
  WHERE coalesce(before.owner, p.owner) = 0)
SELECT
  (SELECT count(*) FROM valid) AS valid_patents,
  (SELECT count(*) FROM valid WHERE kind = 0) AS valid_inventions,
  (SELECT count(*) FROM valid v WHERE kind = 0 AND (sei = 1 OR coalesce(honoured, false)
      OR $as_of >= v.filed + INTERVAL 10 YEAR OR v.id IN (SELECT patent FROM pledged))) AS high_value,
  (SELECT list(n ORDER BY year) FROM (SELECT year, count(*) AS n FROM dealings GROUP BY year)) AS dealings_by_year,
  (SELECT list(year ORDER BY year) FROM (SELECT DISTINCT year FROM dealings)) AS dealing_years,
  (SELECT count(*) FROM t WHERE owner = 0 AND registered <= $as_of AND $as_of <= registered + INTERVAL 3652 DAY) AS trademarks
"""


def ours_numbers(results, as_of: dt.date) -> dict:
    per10k = results["valid_invention_patents_per_10k"]
    hv = results["high_value_invention_patents_per_10k"]
    years = {year: int(n) for year, n in results["transfers_and_licences_growth"].series.items()}
    return {"valid_patents": int(results["valid_patents"].value), "valid_inventions": len(per10k.records),
            "high_value": len(hv.records), "dealings": years,
            "trademarks": int(results["valid_trademarks"].value)}


def duck_numbers(con, as_of: dt.date) -> dict:
    row = con.execute(SQL, {"as_of": as_of}).fetchone()
    by_year = dict(zip(row[4], row[3], strict=True))
    years = {year: by_year.get(year, 0) for year in range(engine.BASE_YEAR, as_of.year + 1)}  # what the growth uses
    return {"valid_patents": row[0], "valid_inventions": row[1], "high_value": row[2], "dealings": years,
            "trademarks": row[5]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patents", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=None, help="default: three per patent")
    args = parser.parse_args()
    started = time.perf_counter()
    data = generate(args.patents, args.events if args.events is not None else 3 * args.patents)
    registry = to_registry(data)
    with tempfile.TemporaryDirectory() as folder:
        con = load_duckdb(data, Path(folder))
    print(f"data: {len(registry.patents):,} patents, {len(registry.events):,} events, {len(registry.pledges):,} pledges, "
          f"{len(registry.trademarks):,} trademarks (generated and loaded in {time.perf_counter() - started:.1f} s, not timed)")

    t0 = time.perf_counter()
    raw = RawColumns.of(registry)
    load = time.perf_counter() - t0
    print(f"ours: records into columns in {load:.2f} s (its load, like DuckDB's table load; not timed below)")

    t0 = time.perf_counter()
    index = engine._Index.from_raw(raw)
    results = engine.evaluate(registry, AS_OF, index)
    ours_full = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = duck_numbers(con, AS_OF)
    duck_full = time.perf_counter() - t0
    ours = ours_numbers(results, AS_OF)
    assert ours == theirs, f"results differ:\n ours   {ours}\n duckdb {theirs}"
    print(f"results match: {ours['valid_patents']:,} valid patents, {ours['valid_inventions']:,} inventions, "
          f"{ours['high_value']:,} high-value, {ours['trademarks']:,} trademarks, dealings by year {ours['dealings']}")
    print(f"full as-of recomputation : ours {ours_full:7.2f} s   duckdb {duck_full:7.2f} s   ratio ours/duckdb {ours_full / duck_full:5.2f}")

    days = month_ends(dt.date(2025, 11, 1), AS_OF)[-12:]
    t0 = time.perf_counter()
    ours_months = [ours_numbers(engine.evaluate(registry, day, index), day) for day in days]
    ours_12 = time.perf_counter() - t0
    t0 = time.perf_counter()
    duck_months = [duck_numbers(con, day) for day in days]
    duck_12 = time.perf_counter() - t0
    assert ours_months == duck_months, "month-end results differ"
    print(f"12 month-end evaluations : ours {ours_12:7.2f} s   duckdb {duck_12:7.2f} s   ratio ours/duckdb {ours_12 / duck_12:5.2f}")
    print("goal: full recomputation within 2x of DuckDB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
