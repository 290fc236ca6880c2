"""A certificate bundle proves something only against keys the verifier pinned: anyone can make a bundle whose
signatures, proofs and time stamp are all valid under keys of their own. Offline verification without pinned keys
therefore never says 核验通过; the public verifier always pins the platform's keys."""

import datetime as dt
import hashlib
import json

from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.cli import main as ipcity_main
from ipcity.evidence.core.bundle import TrustedKeys, verify_bundle
from ipcity.evidence.core.leaf import Leaf, canonical_json, content_digests, format_time, submitter_commitment
from ipcity.evidence.core.log import EvidenceLog, Witness, bundle_for
from ipcity.evidence.core.note import Signer
from ipcity.evidence.core.tsa import TsaIdentity, issue_token
from ipcity.evidence.keys import log_keys

WORK = b"%PDF-1.4 the victim's manuscript"
METADATA = {"title": "手稿", "work_type": "文字", "author": "冒名者", "completed_on": "2020-01-01"}
EXIT_UNPINNED = 3


def _forged_bundle(content: bytes = WORK, *, origin: str | None = None) -> str:
    """What an attacker makes with freshly generated keys: a bundle whose every signature, proof and time stamp is
    valid under the keys it carries, claiming the file was registered by them long ago."""
    origin = origin or log_keys().origin
    claimed = dt.datetime(2020, 1, 2, 9, 0, tzinfo=dt.UTC)
    log_signer, sm2_signer = Signer.generate(origin, "ed25519"), Signer.generate(origin, "sm2")
    witness = Witness(Signer.generate("witness.ipcity.local/court", "cosignature"), log_signer.verifier)
    tsa = TsaIdentity.generate("南开区知识产权局", claimed)
    keys = TrustedKeys(log_signer.verifier, sm2_signer.verifier, (witness.signer.verifier,),
                       tsa.root_cert.public_bytes(serialization.Encoding.DER))
    digest256, digest_sm3 = content_digests(content)
    salt = b"s" * 16
    leaf = Leaf(kind="copyright_work", time=format_time(claimed), submitter=submitter_commitment("冒名公司", salt),
                sha256=digest256, sm3=digest_sm3, salted=False,
                meta=hashlib.sha256(canonical_json(METADATA)).hexdigest()).encode()
    log = EvidenceLog(origin)
    log.append(leaf)
    note = log.signed_checkpoint([log_signer, sm2_signer])
    note += witness.cosign(note, [], timestamp=int(claimed.timestamp()))
    token = issue_token(tsa, note[:note.index("\n\n") + 1].encode(), claimed)
    bundle = bundle_for(log, index=0, leaf=leaf, checkpoint_note=note, timestamp=token, keys=keys, metadata=METADATA,
                        submitter="冒名公司", submitter_salt=salt)
    return bundle.encode(log_signer)


def _files(tmp_path, bundle_text: str, with_keys: bool):
    bundle, work, keys = tmp_path / "b.ipcity-evidence", tmp_path / "work.pdf", tmp_path / "keys.txt"
    bundle.write_text(bundle_text, encoding="utf-8")
    work.write_bytes(WORK)
    keys.write_text(log_keys().public_text(), encoding="utf-8")
    return [str(bundle), str(work), *(["--keys", str(keys)] if with_keys else [])]


def test_a_bundle_forged_with_the_attackers_own_keys_is_not_passed_offline_without_pinned_keys(tmp_path, capsys):
    code = ipcity_main(["evidence", "verify", *_files(tmp_path, _forged_bundle(), with_keys=False)])
    out = capsys.readouterr().out
    assert code == EXIT_UNPINNED, out
    assert "核验通过" not in out and "未核验平台公钥" in out
    assert out.strip().splitlines()[-1].startswith("未核验平台公钥")


def test_a_forged_bundle_fails_against_the_pinned_platform_keys(tmp_path, capsys):
    code = ipcity_main(["evidence", "verify", *_files(tmp_path, _forged_bundle(), with_keys=True)])
    out = capsys.readouterr().out
    assert code == 1 and "✗ 公钥" in out and "✗ 证书包封签" in out and "核验未通过" in out


def test_a_genuine_bundle_without_pinned_keys_is_reported_as_unpinned_and_with_them_passes(client_for, tmp_path, capsys):
    owner = client_for("enterprise_user")
    registered = owner.post("/api/v1/evidence/registrations/file", {
        "kind": "copyright_work", "metadata": json.dumps(METADATA, ensure_ascii=False),
        "file": SimpleUploadedFile("work.pdf", WORK)}).json()
    text = owner.get(f"/api/v1/evidence/registrations/{registered['id']}/bundle").content.decode()
    unpinned = verify_bundle(text, content=WORK)
    assert not unpinned.ok and unpinned.verdict == "未核验平台公钥"
    assert ipcity_main(["evidence", "verify", *_files(tmp_path, text, with_keys=False)]) == EXIT_UNPINNED
    assert "未核验平台公钥" in capsys.readouterr().out
    assert ipcity_main(["evidence", "verify", *_files(tmp_path, text, with_keys=True)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "核验通过"


def test_the_public_verifier_pins_the_platform_keys_and_refuses_a_forged_bundle(client, db):
    forged = _forged_bundle()
    page = client.post("/evidence/verify/", {"bundle": SimpleUploadedFile("b.txt", forged.encode()),
                                             "file": SimpleUploadedFile("work.pdf", WORK)}).content.decode()
    assert 'data-testid="report" data-ok="false"' in page and 'data-check="公钥" data-ok="false"' in page
    assert "核验通过" not in page
    api = client.post("/api/v1/evidence/verify", {"bundle": SimpleUploadedFile("b.txt", forged.encode()),
                                                  "file": SimpleUploadedFile("work.pdf", WORK)}).json()
    assert not api["ok"] and api["verdict"] == "核验未通过"
    assert {"公钥", "证书包封签", "检查点签名"} <= {c["name"] for c in api["checks"] if not c["ok"]}
