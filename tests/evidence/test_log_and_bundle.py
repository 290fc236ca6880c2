"""The log end to end, without the platform: checkpoints signed by the log (Ed25519 and SM2), cosigned by a witness
that refuses forks, stamped by the TSA, and certificate bundles that verify offline and fail with a precise reason
when anything in them, or the file, changes."""

import base64
import datetime as dt
import hashlib
import secrets
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipcity.evidence.core.bundle import Bundle, TrustedKeys, verify_bundle
from ipcity.evidence.core.leaf import Leaf, canonical_json, content_digests, format_time, submitter_commitment
from ipcity.evidence.core.log import EvidenceLog, Witness, WitnessRefused, bundle_for
from ipcity.evidence.core.note import Checkpoint, NoteError, Signer, key_id, verify_note
from ipcity.evidence.core.tsa import TsaIdentity, issue_token

ORIGIN = "evidence.nankai.example/log"
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def world():
    log_signer = Signer.generate(ORIGIN, "ed25519")
    sm2_signer = Signer.generate(ORIGIN, "sm2")
    witness = Witness(Signer.generate("court.nankai.example/witness", "cosignature"), log_signer.verifier)
    tsa = TsaIdentity.generate("南开区知识产权局（测试）", NOW)
    keys = TrustedKeys(log_signer.verifier, sm2_signer.verifier, (witness.signer.verifier,),
                       tsa.root_cert.public_bytes(serialization.Encoding.DER))
    return {"log_signer": log_signer, "sm2_signer": sm2_signer, "witness": witness, "tsa": tsa, "keys": keys}


def _leaf(content: bytes, kind="copyright_work", metadata=None, salt=b""):
    digest256, digest_sm3 = content_digests(salt + content)
    metadata = metadata or {"title": "作品"}
    return Leaf(kind=kind, time=format_time(NOW), submitter=submitter_commitment("南开测试企业", b"s" * 16),
                sha256=digest256, sm3=digest_sm3, salted=bool(salt),
                meta=hashlib.sha256(canonical_json(metadata)).hexdigest()), metadata


def _publish(world, log):
    note = log.signed_checkpoint([world["log_signer"], world["sm2_signer"]])
    proof = []
    # each test grows its own log under the same origin: a witness with memory would rightly call that a fork
    witness = Witness(world["witness"].signer, world["log_signer"].verifier)
    note += witness.cosign(note, proof, timestamp=int(NOW.timestamp()))
    return note


def _issue(world, contents=(b"first", b"my novel", b"third"), target=1, salt=b""):
    log = EvidenceLog(ORIGIN)
    leaves = []
    for content in contents:
        leaf, metadata = _leaf(content, salt=salt if content == contents[target] else b"")
        leaves.append((leaf.encode(), metadata))
        log.append(leaf.encode())
    note = _publish(world, log)
    text = note[:note.index("\n\n") + 1]
    token = issue_token(world["tsa"], text.encode(), NOW)
    bundle = bundle_for(log, index=target, leaf=leaves[target][0], checkpoint_note=note, timestamp=token,
                        keys=world["keys"], metadata=leaves[target][1], submitter="南开测试企业",
                        submitter_salt=b"s" * 16, content_salt=salt)
    return bundle.encode(world["log_signer"]), log, note


def test_a_bundle_verifies_offline_with_the_file_and_names_every_check(world):
    text, _, _ = _issue(world)
    report = verify_bundle(text, trusted=world["keys"], content=b"my novel")
    assert report.ok, [(c.name, c.detail) for c in report.failures()]
    assert [c.name for c in report.checks] == ["公钥", "证书包封签", "存证记录", "检查点签名", "SHA-256 包含证明",
                                              "SM3 包含证明", "RFC 3161 时间戳", "登记信息", "登记人", "文件内容"]
    assert (report.index, report.size) == (1, 3)
    details = {c.name: c.detail for c in report.checks}  # a person reads the kind and the times in 北京时间, no code
    assert details["存证记录"] == "版权作品存证，登记时间 2026-11-02 17:00:00（北京时间）"
    assert details["RFC 3161 时间戳"] == "检查点盖戳时间 2026-11-02 17:00:00（北京时间）"


def test_another_file_fails_with_the_reason(world):
    text, _, _ = _issue(world)
    report = verify_bundle(text, trusted=world["keys"], content=b"my novel, edited")
    assert [c.name for c in report.failures()] == ["文件内容"]
    assert "SHA-256 与存证记录不符" in report.failures()[0].detail


def test_a_salted_registration_verifies_only_with_its_salt(world):
    salt = secrets.token_bytes(32)
    text, _, _ = _issue(world, salt=salt)
    assert verify_bundle(text, trusted=world["keys"], content=b"my novel").ok
    leaf = Leaf.decode(Bundle.decode(text).leaf)
    assert leaf.salted and leaf.sha256 != hashlib.sha256(b"my novel").hexdigest()


def test_keys_other_than_the_pinned_ones_are_refused(world):
    text, _, _ = _issue(world)
    stranger = Signer.generate(ORIGIN, "ed25519")
    pinned = TrustedKeys(stranger.verifier, world["keys"].log_sm2, world["keys"].witnesses, world["keys"].tsa_root)
    report = verify_bundle(text, trusted=pinned, content=b"my novel")
    assert "公钥" in [c.name for c in report.failures()] and "检查点签名" in [c.name for c in report.failures()]
    unpinned = verify_bundle(text)
    assert not unpinned.ok and unpinned.verdict == "未核验平台公钥" and not unpinned.checks[0].ok
    assert world["keys"].fingerprint() in unpinned.checks[0].detail
    assert all(c.ok for c in unpinned.checks[1:])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_every_single_bit_change_of_a_bundle_fails_verification(world, data):
    if "bundle" not in world:
        world["bundle"] = _issue(world)[0].encode()
    raw = bytearray(world["bundle"])
    position = data.draw(st.integers(min_value=0, max_value=len(raw) * 8 - 1))
    raw[position // 8] ^= 1 << (position % 8)
    try:
        changed = raw.decode()
    except UnicodeDecodeError:
        return  # not even text: no verifier reads it as a bundle
    assert not verify_bundle(changed, trusted=world["keys"], content=b"my novel").ok


def test_the_checkpoint_carries_both_roots_and_the_log_key_id_follows_c2sp(world):
    _, log, note = _issue(world)
    text, _ = verify_note(note, [world["log_signer"].verifier, world["sm2_signer"].verifier])
    checkpoint = Checkpoint.parse(text)
    assert text.splitlines()[:2] == [ORIGIN, "3"] and checkpoint.root == log.sha256_tree.root()
    assert checkpoint.extensions == ("sm3 " + base64.b64encode(log.sm3_tree.root()).decode(),)
    public = world["log_signer"].verifier.public_key
    assert world["log_signer"].verifier.id == hashlib.sha256(ORIGIN.encode() + b"\n\x01" + public).digest()[:4]
    assert key_id(ORIGIN, b"\x01", public) == world["log_signer"].verifier.id
    with pytest.raises(NoteError, match="签名验证失败"):
        verify_note(note.replace("\n3\n", "\n4\n", 1), [world["log_signer"].verifier])


@pytest.mark.parametrize("control", ["\x00", "\t", "\r", "\x0b", "\x1f"])
def test_a_checkpoint_note_with_a_control_character_is_refused_and_a_line_break_is_not(world, control):
    _, _, note = _issue(world)
    verifiers = [world["log_signer"].verifier, world["sm2_signer"].verifier]
    assert verify_note(note, verifiers)[0].count("\n") == 4  # origin, size, root, the SM3 root: each on its line
    with pytest.raises(NoteError, match="控制字符"):
        verify_note(note.replace("\n", control + "\n", 1), verifiers)


def test_the_witness_cosigns_growth_and_refuses_a_fork_or_a_rollback(world):
    witness = Witness(Signer.generate("notary.example/w", "cosignature"), world["log_signer"].verifier)
    log = EvidenceLog(ORIGIN)
    for i in range(5):
        log.append(b"entry %d" % i)
    first = log.signed_checkpoint([world["log_signer"]])
    witness.cosign(first, [], timestamp=1)
    for i in range(5, 9):
        log.append(b"entry %d" % i)
    grown = log.signed_checkpoint([world["log_signer"]])
    line = witness.cosign(grown, log.sha256_tree.consistency_proof(5), timestamp=2)
    _, stamps = verify_note(grown + line, [witness.signer.verifier])
    assert stamps == {"notary.example/w": 2}
    fork = EvidenceLog(ORIGIN)
    for i in range(10):
        fork.append(b"forged %d" % i)
    with pytest.raises(WitnessRefused, match="不一致"):
        witness.cosign(fork.signed_checkpoint([world["log_signer"]]), fork.sha256_tree.consistency_proof(8), 3)
    with pytest.raises(WitnessRefused, match="小于"):
        witness.cosign(first, [], timestamp=4)


@pytest.mark.parametrize("milliseconds", [0, 120, 123, 500, 999])
def test_openssl_verifies_the_timestamp_token_and_reads_its_time_to_the_millisecond(world, tmp_path, milliseconds):
    from ipcity.evidence.core.tsa import response, verify_token

    data = b"evidence.nankai.example/log\n3\nAAAA\n"
    moment = NOW.replace(microsecond=milliseconds * 1000 + 456)  # below a millisecond is not stamped
    token = issue_token(world["tsa"], data, moment, serial=2**62 + milliseconds)
    root = world["tsa"].root_cert.public_bytes(serialization.Encoding.DER)
    assert verify_token(token, data, root) == NOW.replace(microsecond=milliseconds * 1000)
    (tmp_path / "data").write_bytes(data)
    (tmp_path / "reply.tsr").write_bytes(response(token))
    (tmp_path / "root.pem").write_bytes(world["tsa"].root_cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "tsa.pem").write_bytes(world["tsa"].tsa_cert.public_bytes(serialization.Encoding.PEM))
    result = subprocess.run(["openssl", "ts", "-verify", "-data", tmp_path / "data", "-in", tmp_path / "reply.tsr",
                             "-CAfile", tmp_path / "root.pem", "-untrusted", tmp_path / "tsa.pem"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "Verification: OK" in result.stdout, result.stderr
    (tmp_path / "data").write_bytes(data + b"x")
    tampered = subprocess.run(["openssl", "ts", "-verify", "-data", tmp_path / "data", "-in", tmp_path / "reply.tsr",
                               "-CAfile", tmp_path / "root.pem", "-untrusted", tmp_path / "tsa.pem"],
                              capture_output=True, text=True)
    assert tampered.returncode != 0


def test_tiles_of_a_grown_log_hold_the_perfect_subtrees_a_mirror_needs():
    from ipcity.evidence.core.merkle import MerkleTree, leaf_hash, sha256
    from ipcity.evidence.core.tiles import encode_index, parse_path, published_sizes_for, tile_bytes

    tree = MerkleTree()
    for i in range(70_000):
        tree.append(i.to_bytes(4, "big"))
    full = tile_bytes(tree, 0, 3, None)
    assert full == b"".join(leaf_hash(sha256, i.to_bytes(4, "big")) for i in range(768, 1024))
    assert tile_bytes(tree, 1, 0, None)[:32] == tree.root(256)  # level 1 holds roots of whole level-0 tiles
    assert len(tile_bytes(tree, 0, 273, 112)) == 112 * 32 and len(tile_bytes(tree, 1, 1, 17)) == 17 * 32
    assert tile_bytes(tree, 2, 0, 1) == tree.subtree_hash(0, 65536)
    assert published_sizes_for(1, 1, 17) == range(273 * 256, 274 * 256) and 70_000 in published_sizes_for(1, 1, 17)
    assert encode_index(1234067) == "x001/x234/067" and parse_path("entries/x001/234.p/5") == ("entries", 1234, 5)
    with pytest.raises(ValueError):
        parse_path("0/1234")
