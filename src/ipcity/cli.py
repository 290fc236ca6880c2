"""`ipcity`: one command for serving, demo data, the plan, users, and any Django management command."""

import argparse
import gc
import os
import sys
from pathlib import Path

# gunicorn's gthread workers: a worker per core, threads for the requests waiting on the database or for their
# evidence certificate. A registrant's request holds its thread until the checkpoint (up to the merge window and a
# batch): bench/ledger.py on PostgreSQL sealed ~118 registrations/s with 4 threads, 150-175 with 8 (p50 600-700 ms)
# and 183-199 with 16 (p50 220-590 ms); 32 was slower again, SQLite the same at 8 and 16, and bench/web.py as fast
# at 8 and 16. Keep-alive longer than a user's pause between pages, so a browser's kept connection is not closed under
# it (bench/web.py measures).
SERVE_WORKERS = 2
SERVE_THREADS = 16
SERVE_KEEPALIVE_SECONDS = 5


def _setup(*, serving: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcity.settings")
    if not serving:
        # DEBUG is for pages (the debug page, the SQL it lists); a command shows none, and with DEBUG on every statement
        # is logged (on SQLite with a second query to quote its parameters): a tenth of `ipcity demo` in development.
        os.environ.setdefault("IPCITY_DEBUG", "0")
    import django
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    if serving:
        django.setup()
        return
    # Django's start makes over 100,000 objects that live as long as the command, and a command then makes rows by the
    # hundred thousand (an import, the demo) that live for one batch: collecting while the first are made finds
    # nothing, and a full collection would walk all of them again. So the start runs without the collector, what it
    # made is set aside for good (freeze), and the collector runs some seventy times less often: a fifth of a
    # 30,000-row XLSX import here (bench/imports.py). A server keeps the collector's defaults (bench/web.py measured them
    # so) and only freezes what its start made, before it forks its workers (cmd_serve).
    gc.disable()
    try:
        django.setup()
    finally:
        gc.freeze()
        gc.enable()
    gc.set_threshold(50_000, 20, 20)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _deployment_problems() -> list[str]:
    """What a production server needs done before it starts, each done once per deployment by its own command
    (several servers starting at once must not all migrate): the keys made, the database and static files current."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    from ipcity.evidence.keys import keys_path

    problems = []
    if not keys_path().exists():
        problems.append(f"存证签名密钥不存在（{keys_path()}）：请先运行 ipcity evidence keys init（只需一次，并与数据库一同备份）")
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        problems.append(f"无法连接数据库：{exc}".strip())
    else:
        if pending:
            problems.append(f"数据库尚有 {len(pending)} 项迁移未应用：请先运行 ipcity migrate")
    if not staticfiles_storage.exists(staticfiles_storage.manifest_name):
        problems.append("静态文件尚未收集：请先运行 ipcity migrate（它同时收集静态文件）")
    return problems


def _refuse_production(problems: list[str]) -> None:
    if problems:
        raise _Refused("ipcity serve 以生产模式启动，但以下条件未满足，未启动：\n"
                       + "\n".join(f"  · {p}" for p in problems)
                       + "\n在本机开发或试用请运行 ipcity serve --dev（或 python3 dev.py start）。", 2)


def cmd_serve(args) -> int:
    from ipcity.startup import production_problems, serve_environment

    # Production unless development is asked for (--dev or IPCITY_ENV=development, as `dev.py start` does): an error
    # shows the Chinese error page, never Django's debug page with the stack trace and settings.
    for note in serve_environment(args.host, development=args.dev):
        print(note, flush=True)
    production = os.environ["IPCITY_ENV"] == "production"
    if production:
        _refuse_production(production_problems(os.environ))
    _setup(serving=True)
    if production:
        _refuse_production(_deployment_problems())
    else:
        _migrate()
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    # Its table of fixed addresses imports every route and API module: once, here, for all the workers.
    from ipcity.wsgi import application

    connections.close_all()  # the checks' connection must not be shared by the workers forked below
    # What start-up made lives as long as the server: frozen (its garbage collected first), a full collection no longer
    # walks its ~220,000 objects (a pause of about a tenth of a second every thousand or so requests, holding every
    # thread of the worker).
    gc.collect()
    gc.freeze()

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            self.cfg.set("keepalive", SERVE_KEEPALIVE_SECONDS)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            self.cfg.set("control_socket_disable", True)  # one fixed path in $HOME: two servers on a machine would clash

        def load(self):
            return application

    print(f"ipcity 已启动：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    Server().run()
    return 0


def cmd_worker(args) -> int:
    """The task queue's worker: imports, reports, reminders and sealing (web processes only queue them)."""
    _setup()
    if args.migrate:
        _migrate()
    import logging

    from ipcity.jobs import run_worker

    logging.getLogger("django_tasks_db").setLevel(logging.INFO)
    logging.getLogger("ipcity.jobs").setLevel(logging.INFO)
    print("后台任务进程已启动（Ctrl+C 停止）" if not args.until_empty else "后台任务进程：运行全部待办任务后退出", flush=True)
    run_worker(until_empty=args.until_empty, interval=args.interval, handle_signals=True)
    return 0


def cmd_evidence_register(args) -> int:
    _setup()
    _migrate()
    from django.core.exceptions import ValidationError

    from ipcity.accounts.models import User
    from ipcity.accounts.permissions import has_perm
    from ipcity.accounts.roles import Perm
    from ipcity.evidence.ledger import bundle_text, sequence_pending
    from ipcity.evidence.services import RateLimited, registration_create

    members = User.objects.filter(organization__name=args.org, is_active=True)
    if args.user:
        members = members.filter(username=args.user)
    actor = next((u for u in members if has_perm(u, Perm.EVIDENCE_REGISTER)), None)
    if actor is None:
        raise _Refused(f"机构“{args.org}”没有可以登记存证的账号（企业、高校院所或服务机构用户）", 2)
    metadata = {}
    for pair in args.meta:
        key, sep, value = pair.partition("=")
        if not sep:
            raise _Refused(f"--meta 应写作 字段=值：{pair}", 2)
        metadata[key] = value
    path = Path(args.file)
    if not path.is_file():
        raise _Refused(f"文件不存在：{path}", 2)

    def chunks():
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                yield block

    try:
        registration, created = registration_create(actor=actor, kind=args.kind, metadata=metadata, chunks=chunks(),
                                                    filename=path.name, salted=args.salted)
    except ValidationError as exc:
        raise _Refused("登记未成功：" + "；".join(exc.messages), 1) from None
    except RateLimited as exc:
        raise _Refused(str(exc), 1) from None
    sequence_pending()
    registration.refresh_from_db()
    Path(args.out).write_text(bundle_text(registration), encoding="utf-8")
    state = "新登记" if created else "此前已登记"
    print(f"{state}：日志序号 {registration.index}，SHA-256 {registration.sha256}，证书包已写入 {args.out}")
    return 0


# `ipcity evidence verify` exit codes (README and docs/evidence-format.md §7 list them)
VERIFY_EXIT_PASSED, VERIFY_EXIT_FAILED, VERIFY_EXIT_USAGE, VERIFY_EXIT_UNPINNED = 0, 1, 2, 3


def cmd_evidence_verify(args) -> int:
    """Offline: reads only the files given, never the database or the network."""
    from ipcity.evidence.core.bundle import (
        FAILED,
        KEYS_CHECK,
        PASSED,
        UNPINNED,
        BundleError,
        TrustedKeys,
        verify_bundle,
    )
    from ipcity.evidence.core.note import NoteError

    try:
        text = Path(args.bundle).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Refused(f"无法读取证书包 {args.bundle}：{exc}", VERIFY_EXIT_USAGE) from None
    trusted = None
    if args.keys:
        try:
            trusted = TrustedKeys.from_lines(Path(args.keys).read_text(encoding="utf-8").splitlines())
        except (BundleError, NoteError, ValueError, OSError) as exc:
            raise _Refused(f"公钥文件无效：{exc}", VERIFY_EXIT_USAGE) from None
    content = None
    if args.file:
        try:
            content = bytes.fromhex(args.salt or "") + Path(args.file).read_bytes()
        except ValueError:
            raise _Refused("--salt 应为十六进制的盐值", VERIFY_EXIT_USAGE) from None
        except OSError as exc:
            raise _Refused(f"无法读取原文件 {args.file}：{exc}", VERIFY_EXIT_USAGE) from None
    report = verify_bundle(text, trusted=trusted, content=content)
    for check in report.checks:
        mark = "?" if check.name == KEYS_CHECK and not report.pinned else "✓" if check.ok else "✗"
        print(f"{mark} {check.name}：{check.detail or '通过'}")
    if not args.file:
        print("· 文件内容：未提供原文件，未核对")
    for note in report.notes:
        print(f"· 注意：{note}")
    if report.verdict == UNPINNED:
        print(f"{UNPINNED}：其余各项均已通过，但只对照了证书包自带的公钥，不能证明证书出自平台；请用 --keys 指定平台公钥")
        return VERIFY_EXIT_UNPINNED
    print(PASSED if report.ok else f"{FAILED}：{'、'.join(c.name for c in report.failures())}")
    return VERIFY_EXIT_PASSED if report.ok else VERIFY_EXIT_FAILED


def cmd_inspection_redo(args) -> int:
    """Offline: redo a published random inspection draw from its JSON and compare."""
    import json

    from ipcity.protection.core import draw as rules

    record = json.loads(Path(args.file).read_text(encoding="utf-8"))
    seed = rules.seed_of(record["code"], record["seed_source"])
    print(f"{'✓' if seed.hex() == record['seed'] else '✗'} 随机种子 {seed.hex()}")
    result = rules.draw(seed, [rules.Subject(c["key"], c["risk"]) for c in record["candidates"]],
                        [rules.Inspector(i["key"], frozenset(i["conflicts"])) for i in record["inspectors"]],
                        record["quotas"], record["inspectors_per_subject"])
    published = record.get("results") or {}
    same = (seed.hex() == record["seed"] and result.subjects == published.get("subjects")
            and result.inspectors == published.get("inspectors"))
    names = {c["key"]: c["name"] for c in record["candidates"]} | {i["key"]: i["name"] for i in record["inspectors"]}
    for subject in result.subjects:
        print(f"  {names[subject]}：{'、'.join(names[i] for i in result.inspectors[subject])}")
    print("复算结果与公示一致" if same else "复算结果与公示不一致")
    return 0 if same else 1


def cmd_migrate(args) -> int:
    """Once per deployment, before the servers start: apply the migrations and collect the static files."""
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"数据库已迁移到当前版本，静态文件已收集到 {settings.STATIC_ROOT}")
    return 0


def cmd_evidence_keys(args) -> int:
    _setup()
    from ipcity.evidence.keys import KeysMissing, keys_init, keys_path, log_keys

    if args.action == "init":
        if keys_init():
            print(f"已生成存证签名密钥：{keys_path()}（权限 0600，请与数据库一同备份；平台公钥用 ipcity evidence keys 输出）")
        else:
            print(f"存证签名密钥已存在，未改动：{keys_path()}")
        return 0
    try:
        text = log_keys().public_text()
    except KeysMissing as exc:
        raise _Refused(str(exc), 1) from None
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def cmd_evidence_sequencer(args) -> int:
    _setup()
    _migrate()
    import threading

    from ipcity.evidence.ledger import sequence_pending
    from ipcity.evidence.worker import run

    if args.once:
        checkpoint = sequence_pending()
        print(f"已封存至检查点 {checkpoint.size}" if checkpoint else "没有待封存的登记")
        return 0
    print("存证定序器已启动（Ctrl+C 停止）", flush=True)
    try:
        run(threading.Event())
    except KeyboardInterrupt:
        pass
    return 0


def _demo_scale(text: str) -> float:
    try:
        scale = float(text)
    except ValueError:
        scale = 0.0
    if not 0.01 <= scale <= 1:
        raise argparse.ArgumentTypeError("规模应为 0.01 到 1 之间的数")
    return scale


def cmd_demo(args) -> int:
    _setup()
    _migrate()
    from ipcity.demo import build_demo

    print(build_demo(reset=args.reset, scale=args.scale))
    return 0


def cmd_plan_export(args) -> int:
    _setup()
    from ipcity.plan.core.schema import dump_plan
    from ipcity.plan.selectors import current_plan, plan_export

    plan = current_plan()
    if plan is None:
        print("尚未导入工作方案：先运行 ipcity demo 或 ipcity plan import FILE", file=sys.stderr)
        return 1
    text = dump_plan(plan_export(plan=plan))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


def cmd_plan_import(args) -> int:
    _setup()
    _migrate()
    from django.core.exceptions import ValidationError

    from ipcity.plan.core.schema import PlanFormatError, parse_plan
    from ipcity.plan.services import plan_import

    try:
        data = parse_plan(Path(args.file).read_bytes())
        plan = plan_import(plan_data=data, actor=None)
    except FileNotFoundError:
        print(f"找不到文件：{args.file}", file=sys.stderr)
        return 2
    except PlanFormatError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ValidationError as exc:
        print("；".join(exc.messages), file=sys.stderr)
        return 2
    print(f"已导入：{plan.title}（{plan.code} 第 {plan.version} 版），指标 {plan.indicators.count()} 项，重点任务 {plan.tasks.count()} 项")
    return 0


def cmd_user_create(args) -> int:
    _setup()
    _migrate()
    import getpass

    from django.core.exceptions import ValidationError

    from ipcity.accounts.models import Organization
    from ipcity.accounts.services import user_create

    org = Organization.objects.filter(name=args.org).first()
    if org is None:
        print(f"找不到机构：{args.org}", file=sys.stderr)
        return 2
    password = os.environ.get("IPCITY_NEW_PASSWORD") or getpass.getpass("新用户密码：")
    try:
        user_create(actor=None, username=args.username, password=password, organization=org, role=args.role,
                    full_name=args.full_name)
    except ValidationError as exc:
        print("；".join(exc.messages), file=sys.stderr)
        return 2
    print(f"已创建用户 {args.username}（{org.name}，{args.role}）")
    return 0


def cmd_import(args) -> int:
    _setup()
    _migrate()
    from ipcity.stats.services import ImportRejected, import_batch_run, import_batch_start

    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件：{args.file}", file=sys.stderr)
        return 2
    batch = import_batch_start(kind=args.kind, filename=path.name, actor=None, note=args.note or "")

    def bar(done: int, total: int) -> None:
        filled = int(30 * done / total) if total else 30
        print(f"\r导入中 [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        batch = import_batch_run(batch=batch, data=path.read_bytes(), progress=bar)
    except ImportRejected as rejected:
        print(f"\n文件有 {len(rejected.batch.problems)} 处问题，未导入任何数据：", file=sys.stderr)
        for problem in rejected.batch.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print(f"\n已导入 {path.name}：新增 {batch.created} 条，更新 {batch.updated} 条（编码 {batch.encoding}）", file=sys.stderr)
    return 0


class _Refused(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _plan_and_as_of(args):
    """The current plan and the --as-of date (today when absent), or a refusal saying what is wrong."""
    import datetime as dt

    from ipcity import clock
    from ipcity.plan.selectors import current_plan

    plan = current_plan()
    if plan is None:
        raise _Refused("尚未导入工作方案：先运行 ipcity demo 或 ipcity plan import FILE", 1)
    from ipcity.inputs import day_problem

    try:
        day = dt.date.fromisoformat(args.as_of) if args.as_of else clock.today()
    except ValueError:
        raise _Refused(f"--as-of 应为 YYYY-MM-DD，实际为 {args.as_of!r}", 2) from None
    if day_problem(day):  # the same range the pages and the API hold dates to
        raise _Refused(f"--as-of：{day_problem(day)}", 2)
    return plan, day


def _indicators_by_year(args) -> int:
    """Every indicator for each pilot year (issue 13): the same data as GET /api/v1/indicators/by-year."""
    import json

    from ipcity.plan.selectors import current_plan
    from ipcity.stats.by_year import as_json, indicator_years, pilot_years, xlsx

    if args.as_of:
        raise _Refused("--by-year 按各年度12月31日计算，不接受 --as-of；可用 --year 选择年度", 2)
    plan = current_plan()
    if plan is None:
        raise _Refused("尚未导入工作方案：先运行 ipcity demo 或 ipcity plan import FILE", 1)
    allowed = pilot_years(plan)
    outside = [y for y in args.year or [] if y not in allowed]
    if outside:
        raise _Refused(f"--year 应在试点期内（{allowed[0]}～{allowed[-1]}年），实际为 {outside[0]}", 2)
    if args.format == "xlsx" and not args.output:
        raise _Refused("--format xlsx 需要 --output 文件名", 2)
    rows = indicator_years(plan=plan, years=args.year or None)
    if args.format == "xlsx":
        body = xlsx(rows=rows)
    else:
        body = (json.dumps(as_json(plan=plan, rows=rows), ensure_ascii=False, indent=1) + "\n").encode()
    if args.output:
        Path(args.output).write_bytes(body)
        print(f"已生成 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(body.decode())
    return 0


def cmd_indicators(args) -> int:
    _setup()
    import json

    from ipcity.stats.selectors import indicator_table

    if args.by_year:
        return _indicators_by_year(args)
    if args.format != "json" or args.output or args.year:
        raise _Refused("--format xlsx、--output 与 --year 仅用于 --by-year", 2)
    plan, as_of = _plan_and_as_of(args)
    rows = []
    for row in indicator_table(plan=plan, as_of=as_of):
        indicator, latest = row["indicator"], row["latest"]
        rows.append({"code": indicator.code, "name": indicator.name, "target": indicator.target,
                     "comparison": indicator.comparison, "period_type": indicator.period_type,
                     "value": latest.value if latest else None, "value_as_of": latest.as_of if latest else None,
                     "source": latest.source if latest else "", "computed": row.get("computed") is not None,
                     "status": row["status"].value, "status_label": row["status"].label})
    print(json.dumps({"as_of": as_of, "plan": plan.code, "indicators": rows}, ensure_ascii=False, indent=1, default=str))
    return 0


def cmd_report(args) -> int:
    _setup()
    from ipcity.stats.reports import indicator_report_docx, indicator_report_xlsx

    plan, as_of = _plan_and_as_of(args)
    build = indicator_report_xlsx if args.format == "xlsx" else indicator_report_docx
    Path(args.out).write_bytes(build(plan=plan, as_of=as_of))
    print(f"已生成 {args.out}（截至 {as_of}）", file=sys.stderr)
    return 0


def cmd_remind(args) -> int:
    _setup()
    _migrate()
    from ipcity.jobs import send_reminders

    sent = send_reminders.call()  # the worker runs the same task once a day
    print(f"临近提醒 {sent['reminder']} 条，到期催办 {sent['chaser']} 条，贯标证书到期提醒 {sent['certification']} 条")
    return 0


def cmd_evidence_package(args) -> int:
    """The evidence package of a pilot year, written beside the target and moved into place when complete."""
    _setup()
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from ipcity.web.evidence_package import year_param
    from ipcity.web.tasks import write_evidence_package

    target = Path(args.output).resolve()
    if not target.parent.is_dir():
        raise _Refused(f"目录不存在：{target.parent}", 2)
    try:
        year = year_param(args.year)
    except (ValidationError, Http404) as exc:
        raise _Refused("；".join(getattr(exc, "messages", [str(exc)])), 2) from None
    if args.queue:
        result = write_evidence_package.enqueue(year=year, output=str(target))
        print(f"已排队（任务 {result.id}）：ipcity worker 将生成 {target}", file=sys.stderr)
        return 0
    try:
        summary = write_evidence_package.call(year=year, output=str(target))
    except ValidationError as exc:  # the package would pass its size limit
        raise _Refused("；".join(exc.messages), 1) from None
    missing = f"，{summary['missing']} 个文件缺失（见目录的“文件缺失”表）" if summary["missing"] else ""
    print(f"已生成 {target}：{year}年佐证材料 {summary['files']} 个，{summary['folders']} 个文件夹{missing}", file=sys.stderr)
    return 0


def cmd_manage(argv: list[str]) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ipcity", *argv])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipcity", description="知识产权强市建设试点平台")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="启动网站（gunicorn）；默认为生产模式，先检查配置、存证密钥、数据库迁移与静态文件")
    serve.add_argument("--dev", action="store_true",
                       help="开发模式：显示调试页面、使用内置开发密钥、启动时自动迁移数据库（切勿对外提供服务）")
    serve.add_argument("--host", default=os.environ.get("IPCITY_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("IPCITY_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=SERVE_WORKERS)
    serve.add_argument("--threads", type=int, default=SERVE_THREADS)
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="应用数据库迁移并收集静态文件（每次部署新版本后、启动网站前运行一次）")
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="生成确定性的合成演示数据（已存在则保持不变）")
    demo.add_argument("--reset", action="store_true", help="先清空数据库再生成")
    demo.add_argument("--scale", type=_demo_scale, default=1.0, help="登记数据规模（0.01～1，默认1：全区规模）")
    demo.set_defaults(func=cmd_demo)

    plan = sub.add_parser("plan", help="工作方案的导出与导入").add_subparsers(dest="plan_command", required=True)
    export = plan.add_parser("export", help="打印当前方案（含修改）")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument("--out", help="写入文件而不是标准输出")
    export.set_defaults(func=cmd_plan_export)
    imp = plan.add_parser("import", help="导入方案文件（ipcity.workplan/1 格式）")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_plan_import)

    user = sub.add_parser("user", help="用户管理").add_subparsers(dest="user_command", required=True)
    create = user.add_parser("create", help="创建用户（密码从 IPCITY_NEW_PASSWORD 或交互输入）")
    create.add_argument("--username", required=True)
    create.add_argument("--org", required=True, help="机构名称")
    create.add_argument("--role", required=True)
    create.add_argument("--full-name", default="")
    create.set_defaults(func=cmd_user_create)

    imp_data = sub.add_parser("import", help="导入登记数据（CSV 或 XLSX，UTF-8 或 GBK）")
    imp_data.add_argument("kind", choices=["patents", "events", "trademarks", "pledges", "population", "sei", "policies",
                                           "securitizations", "copyrights", "gis"])
    imp_data.add_argument("file")
    imp_data.add_argument("--note", help="备注；导入战略性新兴产业对照表时写版本号")
    imp_data.set_defaults(func=cmd_import)

    indicators = sub.add_parser("indicators", help="按日期计算全部指标")
    indicators.add_argument("--as-of", help="截至日期 YYYY-MM-DD，默认今天")
    indicators.add_argument("--format", choices=["json", "xlsx"], default="json")
    indicators.add_argument("--by-year", action="store_true", help="各试点年度（截至12月31日）的目标、计算值、报送值、核定值与状态")
    indicators.add_argument("--year", type=int, action="append", help="只输出该年度（可重复；仅与 --by-year 同用）")
    indicators.add_argument("--output", help="写入文件（xlsx 必填；json 默认输出到屏幕）")
    indicators.set_defaults(func=cmd_indicators)

    report = sub.add_parser("report", help="生成报告").add_subparsers(dest="report_command", required=True)
    indicator_report = report.add_parser("indicators", help="指标监测报告（.xlsx 按季度 / .docx 文字报告）")
    indicator_report.add_argument("--as-of", help="截至日期 YYYY-MM-DD，默认今天")
    indicator_report.add_argument("--format", choices=["xlsx", "docx"], required=True)
    indicator_report.add_argument("--out", required=True)
    indicator_report.set_defaults(func=cmd_report)

    remind = sub.add_parser("remind", help="立即发送到期提醒与催办（ipcity worker 每天自动发送；重复运行不会重复催办）")
    remind.set_defaults(func=cmd_remind)

    worker = sub.add_parser("worker", help="运行后台任务（导入、报告、提醒、存证封存）；网站进程只负责排队")
    worker.add_argument("--until-empty", action="store_true", help="运行完当前待办任务后退出（不安排定时任务）")
    worker.add_argument("--interval", type=float, default=1.0, help="无任务时每隔几秒查看一次队列")
    worker.add_argument("--migrate", action="store_true", help="启动前先应用数据库迁移")
    worker.set_defaults(func=cmd_worker)

    evidence = sub.add_parser("evidence", help="存证：登记、离线核验、公钥、定序器").add_subparsers(
        dest="evidence_command", required=True)
    register = evidence.add_parser("register", help="登记文件并等待证书，写出证书包")
    register.add_argument("file")
    register.add_argument("--kind", required=True, choices=["electronic_data", "data_ip", "research_result",
                                                            "copyright_work", "notarization"])
    register.add_argument("--org", required=True, help="登记机构名称")
    register.add_argument("--user", help="以该机构的哪个账号登记（默认第一个可登记的账号）")
    register.add_argument("--meta", action="append", default=[], help="登记信息，字段=值，可重复，例如 --meta title=作品")
    register.add_argument("--salted", action="store_true", help="加盐登记")
    register.add_argument("--out", required=True, help="证书包写入的文件")
    register.set_defaults(func=cmd_evidence_register)
    verify = evidence.add_parser("verify", help="离线核验证书包（和原文件），不访问平台")
    verify.add_argument("bundle")
    verify.add_argument("file", nargs="?")
    verify.add_argument("--keys", help="平台公钥文件（ipcity evidence keys 的输出）；不给则只能对照证书包自带的公钥，"
                                       "结果为“未核验平台公钥”（退出码 3），不是核验通过")
    verify.add_argument("--salt", help="只登记摘要的加盐登记：盐值（十六进制）")
    verify.set_defaults(func=cmd_evidence_verify)
    keys = evidence.add_parser("keys", help="输出平台公钥（供核验方固定使用）；keys init 生成签名密钥（部署时一次）")
    keys.add_argument("action", nargs="?", choices=["init"], help="init：生成存证签名密钥（已存在则不改动）")
    keys.add_argument("--out")
    keys.set_defaults(func=cmd_evidence_keys)
    sequencer = evidence.add_parser("sequencer", help="运行定序器（每秒封存待上链的登记）")
    sequencer.add_argument("--once", action="store_true", help="只封存一次后退出")
    sequencer.set_defaults(func=cmd_evidence_sequencer)

    inspection = sub.add_parser("inspection", help="双随机抽查").add_subparsers(dest="inspection_command", required=True)
    redo_cmd = inspection.add_parser("redo", help="用公示数据（JSON）离线复算抽取结果")
    redo_cmd.add_argument("file")
    redo_cmd.set_defaults(func=cmd_inspection_redo)

    package = sub.add_parser("evidence-package", help="导出某一试点年度的佐证材料包（.zip：按指标、重点任务、保障措施分文件夹，含目录.xlsx）")
    package.add_argument("--year", required=True, help="试点年度，如 2025")
    package.add_argument("--output", required=True, help="写入的 .zip 文件")
    package.add_argument("--queue", action="store_true", help="交给后台任务进程（ipcity worker）生成，命令立即返回")
    package.set_defaults(func=cmd_evidence_package)

    sub.add_parser("manage", help="Django 管理命令，例如 ipcity manage migrate", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        return cmd_manage(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except _Refused as refused:
        print(str(refused), file=sys.stderr)
        return refused.code


if __name__ == "__main__":
    sys.exit(main())
