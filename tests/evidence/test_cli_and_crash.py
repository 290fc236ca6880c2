"""The command line: register and wait for the certificate, then verify it where the platform cannot be reached;
and the sequencer killed with SIGKILL in the middle of a batch loses nothing it acknowledged."""

import os
import signal
import subprocess
import sys
import textwrap

from ipcity.accounts.models import Organization
from ipcity.cli import main as ipcity_main
from tests.evidence.helpers import verify_offline
from tests.serving import migrated_sqlite


def test_the_cli_registers_a_file_and_an_offline_machine_verifies_it(people, tmp_path, capsys):
    work = tmp_path / "作品.txt"
    work.write_text("南开大学校园速写集（第一卷）", encoding="utf-8")
    org = Organization.objects.get(pk=people["enterprise_user"].organization_id).name
    bundle, keys = tmp_path / "work.ipcity-evidence", tmp_path / "keys.txt"
    assert ipcity_main(["evidence", "register", str(work), "--kind", "copyright_work", "--org", org,
                        "--meta", "title=校园速写集", "--meta", "work_type=美术", "--meta", "author=李四",
                        "--meta", "completed_on=2026-09-01", "--out", str(bundle)]) == 0
    assert "新登记：日志序号 0" in capsys.readouterr().out
    assert ipcity_main(["evidence", "keys", "--out", str(keys)]) == 0
    good = verify_offline(tmp_path, str(bundle), str(work), "--keys", str(keys))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "✓ SHA-256 包含证明" in good.stdout and "✓ RFC 3161 时间戳" in good.stdout and "核验通过" in good.stdout
    work.write_text("南开大学校园速写集（第二卷）", encoding="utf-8")
    bad = verify_offline(tmp_path, str(bundle), str(work), "--keys", str(keys))
    assert bad.returncode == 1 and "✗ 文件内容" in bad.stdout and "核验未通过：文件内容" in bad.stdout


def test_the_cli_refuses_an_organization_that_cannot_register(people, tmp_path, capsys):
    work = tmp_path / "a.txt"
    work.write_text("x")
    assert ipcity_main(["evidence", "register", str(work), "--kind", "copyright_work", "--org", "区科技局",
                        "--out", str(tmp_path / "b")]) == 2
    assert "没有可以登记存证的账号" in capsys.readouterr().err


PREPARE = textwrap.dedent('''
    import django, os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcity.settings")
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from ipcity.accounts.models import Organization
    from ipcity.accounts.services import user_create
    from ipcity.evidence.ledger import sequence_pending
    from ipcity.evidence.services import registration_create
    org = Organization.objects.create(name="崩溃测试企业", org_type="enterprise")
    user = user_create(actor=None, username="crash", password="Crash@Test2024", organization=org,
                       role="enterprise_user")
    meta = {"title": "t", "work_type": "美术", "author": "a", "completed_on": "2026-01-01"}
    from django.test import override_settings
    with override_settings(EVIDENCE_RATE_PER_MINUTE=10**6):
        for i in range(int(sys.argv[1])):
            registration_create(actor=user, kind="copyright_work", metadata=meta, chunks=[b"early %d" % i])
        sequence_pending()  # a published checkpoint the crash must not contradict
        for i in range(int(sys.argv[2])):
            registration_create(actor=user, kind="copyright_work", metadata=meta, chunks=[b"late %d" % i])
''')

CHECK = textwrap.dedent('''
    import django, os, json
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcity.settings")
    django.setup()
    from ipcity.evidence.models import LogCheckpoint, Registration
    print(json.dumps({"pending": Registration.objects.filter(index__isnull=True).count(),
                      "total": Registration.objects.count(),
                      "checkpoints": [[c.size, c.root_sha256] for c in LogCheckpoint.objects.order_by("size")]}))
''')


def test_killing_the_sequencer_mid_batch_loses_no_acknowledged_registration(tmp_path):
    import json

    from ipcity.evidence.core.merkle import MerkleTree, leaf_hash, sha256, verify_consistency

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(IPCITY_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ipcity.settings", IPCITY_ENV="test",
               IPCITY_EVIDENCE_BACKGROUND_SEQUENCER="0")
    migrated_sqlite(tmp_path)

    def python(code, *args, **kwargs):
        return subprocess.run([sys.executable, "-c", code, *args], env={**env, **kwargs.pop("extra", {})},
                              capture_output=True, text=True, timeout=300, **kwargs)

    prepared = python(PREPARE, "5", "40")
    assert prepared.returncode == 0, prepared.stderr
    sequencer = subprocess.Popen([sys.executable, "-m", "ipcity.cli", "evidence", "sequencer"],
                                 env={**env, "IPCITY_EVIDENCE_TEST_PAUSE": "60"}, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "not yet committed" not in line:
            line = sequencer.stderr.readline()
            assert line or sequencer.poll() is None, "the sequencer exited before reaching the batch"
        os.kill(sequencer.pid, signal.SIGKILL)  # mid-batch: indices assigned in the transaction, nothing committed
    finally:
        sequencer.kill()
        sequencer.wait(timeout=30)
        sequencer.stderr.close()
    after_crash = json.loads(python(CHECK).stdout)
    assert after_crash["total"] == 45 and after_crash["pending"] == 40
    assert [size for size, _ in after_crash["checkpoints"]] == [5]
    sealed = python("from ipcity.cli import main; main(['evidence', 'sequencer', '--once'])")
    assert sealed.returncode == 0 and "已封存至检查点 45" in sealed.stdout, sealed.stderr
    final = json.loads(python(CHECK).stdout)
    assert final["pending"] == 0 and [size for size, _ in final["checkpoints"]] == [5, 45]
    leaves = python(textwrap.dedent('''
        import django, os
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcity.settings")
        django.setup()
        from ipcity.evidence.models import Registration
        for leaf in Registration.objects.order_by("index").values_list("leaf", flat=True):
            print(bytes(leaf).hex())
    ''')).stdout.split()
    tree = MerkleTree()
    for leaf in leaves:
        tree.append_leaf_hash(leaf_hash(sha256, bytes.fromhex(leaf)))
    (old_size, old_root), (new_size, new_root) = final["checkpoints"]
    verify_consistency(sha256, old_size, new_size, bytes.fromhex(old_root), bytes.fromhex(new_root),
                       tree.consistency_proof(old_size, new_size))
