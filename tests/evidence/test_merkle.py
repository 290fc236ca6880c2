"""The Merkle log against RFC 6962 / RFC 9162: every public test vector, and proofs of our own tree that the
verifier accepts for every index and size, and refuses when anything changes."""

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcity.evidence.core.merkle import (
    MerkleTree,
    ProofError,
    leaf_hash,
    sha256,
    verify_consistency,
    verify_inclusion,
)

# Vendored from transparency-dev/merkle (Apache-2.0): source, commit and licence in tests/data/README.md.
VECTORS = Path(__file__).resolve().parents[1] / "data" / "rfc6962-merkle"
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f")]


def _cases(kind, *, of_the_reference_tree=False):
    files = sorted((VECTORS / kind).rglob("*.json"))
    if of_the_reference_tree:  # the single-entry cases are built over another leaf
        files = [f for f in files if f.parent.name != "single-entry"]
    assert files, f"the public test vectors are missing from {VECTORS / kind}"
    return [pytest.param(json.loads(f.read_text()), id=str(f.relative_to(VECTORS / kind))) for f in files]


def _b64(values):
    return [base64.b64decode(v) for v in values or []]


def _tree(size=8):
    tree = MerkleTree()
    for leaf in LEAVES[:size]:
        tree.append(leaf)
    return tree


def test_the_tree_of_the_eight_reference_leaves_has_the_published_root():
    assert _tree().root().hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    assert MerkleTree().root() == sha256(b"")


@pytest.mark.parametrize("case", _cases("inclusion"))
def test_each_inclusion_vector_verifies_or_fails_as_published(case):
    def check():
        verify_inclusion(sha256, case["leafIdx"], case["treeSize"], base64.b64decode(case["leafHash"] or ""),
                         _b64(case["proof"]), base64.b64decode(case["root"] or ""))

    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("case", _cases("consistency"))
def test_each_consistency_vector_verifies_or_fails_as_published(case):
    def check():
        verify_consistency(sha256, case["size1"], case["size2"], base64.b64decode(case["root1"] or ""),
                           base64.b64decode(case["root2"] or ""), _b64(case["proof"]))

    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("case", [c for c in _cases("inclusion", of_the_reference_tree=True) if not c.values[0]["wantErr"]
                                  and c.values[0]["treeSize"] <= len(LEAVES)])
def test_our_tree_produces_the_published_inclusion_proofs(case):
    tree = _tree(case["treeSize"])
    assert tree.inclusion_proof(case["leafIdx"], case["treeSize"]) == _b64(case["proof"])
    assert tree.root(case["treeSize"]) == base64.b64decode(case["root"])


@pytest.mark.parametrize("case", [c for c in _cases("consistency") if not c.values[0]["wantErr"]
                                  and 0 < c.values[0]["size1"] and c.values[0]["size2"] <= len(LEAVES)])
def test_our_tree_produces_the_published_consistency_proofs(case):
    assert _tree().consistency_proof(case["size1"], case["size2"]) == _b64(case["proof"])


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.data())
def test_every_proof_of_a_grown_tree_verifies_and_a_changed_leaf_does_not(size, data):
    tree = MerkleTree()
    for i in range(size):
        tree.append(i.to_bytes(4, "big"))
    new_size = data.draw(st.integers(min_value=1, max_value=size))
    index = data.draw(st.integers(min_value=0, max_value=new_size - 1))
    old_size = data.draw(st.integers(min_value=1, max_value=new_size))
    root = tree.root(new_size)
    leaf = leaf_hash(sha256, index.to_bytes(4, "big"))
    verify_inclusion(sha256, index, new_size, leaf, tree.inclusion_proof(index, new_size), root)
    with pytest.raises(ProofError):
        verify_inclusion(sha256, index, new_size, leaf_hash(sha256, b"tampered"), tree.inclusion_proof(index, new_size), root)
    verify_consistency(sha256, old_size, new_size, tree.root(old_size), root, tree.consistency_proof(old_size, new_size))


def test_roots_match_a_naive_recursive_definition():
    def mth(entries):
        if not entries:
            return sha256(b"")
        if len(entries) == 1:
            return leaf_hash(sha256, entries[0])
        k = 1 << ((len(entries) - 1).bit_length() - 1)
        return sha256(b"\x01" + mth(entries[:k]) + mth(entries[k:]))

    entries = [bytes([i]) * (i % 7) for i in range(70)]
    tree = MerkleTree()
    for entry in entries:
        tree.append(entry)
    assert all(tree.root(n) == mth(entries[:n]) for n in range(71))
