"""Two app servers on one PostgreSQL, as docs/deploy.md describes, checked the way a deployment would fail.

    .venv/bin/python .ci/two_servers.py [--registrations 60]

One data folder shared by both servers (uploads and signing keys: the shared file system of docs/deploy.md), one
PostgreSQL database with the plan and a small patent register, then: two `ipcity serve` on different ports and two `ipcity worker`.
Evidence is registered through both servers at once (half sealed in the request, half left to the workers), and
the check fails unless
  - every registration is sealed, and its certificate bundle, fetched from the other server, verifies offline
    against the published keys;
  - every checkpoint ever signed is a prefix of one log: replaying the registered leaves in index order gives each
    checkpoint's root at its size (no fork, no gap, no leaf twice), and both servers publish the same latest one;
  - both servers answer the indicator API with the same figures, and both show the indicator page.
Exit status 0 when all hold; every failure is printed."""

import argparse
import concurrent.futures
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from servers import free_port, fresh_postgres, production_env, wait_for_server  # noqa: E402

DATABASE = "ipcity_two_servers"
IPCITY = [sys.executable, "-m", "ipcity.cli"]
SETUP = """
import django
django.setup()
from importlib import resources
from ipcity.accounts.models import Organization
from ipcity.accounts.services import api_token_create, user_create
from ipcity.plan.core.schema import parse_plan
from ipcity.plan.services import plan_import
from ipcity.stats.services import import_batch_run, import_batch_start

plan_import(plan_data=parse_plan(resources.files("ipcity.plan").joinpath("fixtures/nankai-2024.json").read_bytes()),
            actor=None)
rows = ["申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,授权公告日"] + [
    f"2023100{n:05d}.{n % 10},2023-01-{1 + n % 28:02d},发明,一种方法{n},南开企业{n % 7},天津市南开区华苑街道,2024-06-01"
    for n in range(40)]
import_batch_run(batch=import_batch_start(kind="patents", filename="p.csv", actor=None),
                 data="\\n".join(rows).encode())
enterprise = Organization.objects.create(name="双服务器检查企业", org_type="enterprise")
user = user_create(actor=None, username="two_servers", password="Nk-Check#4417xq", organization=enterprise,
                   role="enterprise_user")
print(api_token_create(user=user, name="two servers")[1])
"""


def _call(port: int, path: str, token: str = "", body: dict | None = None) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as reply:
        return reply.read()


def _register(port: int, token: str, n: int) -> int:
    wait = "true" if n % 2 == 0 else "false"  # half sealed in the request, half by the workers
    body = {"kind": "trade_secret", "metadata": {"title": f"双服务器存证{n}", "secret_type": "技术信息"},
            "sha256": uuid.uuid4().hex * 2, "sm3": uuid.uuid4().hex * 2}
    return json.loads(_call(port, f"/api/v1/evidence/registrations?wait={wait}", token, body))["id"]


def _sealed(port: int, token: str, ids: list[int], timeout: float = 120) -> list[int]:
    deadline, waiting = time.monotonic() + timeout, list(ids)
    while waiting and time.monotonic() < deadline:
        waiting = [i for i in waiting
                   if json.loads(_call(port, f"/api/v1/evidence/registrations/{i}", token))["status"] != "sequenced"]
        if waiting:
            time.sleep(0.5)
    return waiting


def _replay_checkpoints(database_url: str) -> list[str]:
    """Replays the log from the database: every checkpoint's root must be the root of the first `size` leaves."""
    import psycopg

    from ipcity.evidence.core.log import EvidenceLog

    problems = []
    with psycopg.connect(database_url) as connection:
        leaves = connection.execute('SELECT "index", leaf FROM evidence_registration WHERE "index" IS NOT NULL '
                                    'ORDER BY "index"').fetchall()
        checkpoints = connection.execute("SELECT size, root_sha256 FROM evidence_logcheckpoint ORDER BY id").fetchall()
    if [index for index, _ in leaves] != list(range(len(leaves))):
        problems.append("the sealed registrations' indexes are not 0, 1, 2, … without gap or repeat")
    sizes = [size for size, _ in checkpoints]
    if sizes != sorted(set(sizes)):
        problems.append(f"checkpoint sizes do not strictly grow: {sizes}")
    roots_at = {size: root for size, root in checkpoints}
    log = EvidenceLog("replay")
    for _, leaf in leaves:
        log.append(bytes(leaf))
        expected = roots_at.get(log.size)
        if expected is not None and log.sha256_tree.root().hex() != expected:
            problems.append(f"the checkpoint of size {log.size} has a root no replay of the log gives: a fork")
    if sizes and sizes[-1] != len(leaves):
        problems.append(f"the latest checkpoint covers {sizes[-1]} of {len(leaves)} sealed registrations")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=60)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ipcity-two-servers-"))
    env = production_env(folder, fresh_postgres(DATABASE), IPCITY_EVIDENCE_RATE_PER_MINUTE="100000",
                         DJANGO_SETTINGS_MODULE="ipcity.settings")
    processes: list[subprocess.Popen] = []
    problems: list[str] = []
    try:
        started = time.monotonic()
        subprocess.run([*IPCITY, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*IPCITY, "evidence", "keys", "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        token = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True,
                               text=True).stdout.strip().splitlines()[-1]
        ports = [free_port(), free_port()]
        for port in ports:
            processes.append(subprocess.Popen([*IPCITY, "serve", "--port", str(port), "--workers", "2"], env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            processes.append(subprocess.Popen([*IPCITY, "worker"], env=env, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL))
        for port, server in zip(ports, processes[::2], strict=True):
            wait_for_server(port, server)
        print(f"two servers on ports {ports[0]} and {ports[1]}, two workers, one PostgreSQL "
              f"({time.monotonic() - started:.0f} s to set up)")

        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            registered = list(pool.map(lambda n: (n, _register(ports[n % 2], token, n)), range(args.registrations)))
        waiting = _sealed(ports[0], token, [i for _, i in registered])
        if waiting:
            problems.append(f"{len(waiting)} registrations were never sealed: {waiting[:10]}")

        from ipcity.evidence.core.bundle import TrustedKeys, verify_bundle

        keys = {port: _call(port, "/evidence/log/keys").decode() for port in ports}
        if keys[ports[0]] != keys[ports[1]]:
            problems.append("the two servers publish different keys")
        trusted = TrustedKeys.from_lines(keys[ports[0]].splitlines())
        for n, registration in registered:
            if registration in waiting:
                continue
            other = ports[(n + 1) % 2]  # the certificate comes from the server the registration did not go through
            report = verify_bundle(_call(other, f"/api/v1/evidence/registrations/{registration}/bundle", token)
                                   .decode(), trusted=trusted)
            if not report.ok:
                problems.append(f"registration {registration}: the bundle does not verify: {report.verdict}")

        problems += _replay_checkpoints(env["DATABASE_URL"])
        latest = {port: _call(port, "/evidence/log/checkpoint") for port in ports}
        if latest[ports[0]] != latest[ports[1]]:
            problems.append("the two servers publish different latest checkpoints")

        indicators = {port: json.loads(_call(port, "/api/v1/plan/indicators")) for port in ports}
        if indicators[ports[0]] != indicators[ports[1]]:
            problems.append("the two servers answer the indicator API with different figures")
        for port in ports:
            _call(port, "/indicators/")  # answers 200 on each (urlopen raises on an error status)
        print(f"{len(registered)} registrations through both servers, "
              f"{len(indicators[ports[0]])} indicators compared")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
    for problem in problems:
        print(f"FAIL: {problem}")
    print("two servers, one log, the same figures: " + ("ok" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
