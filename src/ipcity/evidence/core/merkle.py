"""An append-only Merkle tree as RFC 9162 defines it (RFC 6962 hashing: leaves prefixed 0x00, nodes 0x01),
over any 32-byte hash function, with inclusion and consistency proofs and their verification.

The tree keeps the hash of every *perfect* subtree (2^h leaves starting at a multiple of 2^h), one bytearray per
height. Any Merkle Tree Hash of a prefix of the log is a left-to-right fold of at most log2(n) of them, so roots and
proofs for any earlier size come out in O(log n) lookups, and an append hashes one leaf and on average one node."""

import hashlib
from collections.abc import Callable, Sequence

Hasher = Callable[[bytes], bytes]
HASH_SIZE = 32


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(hasher: Hasher, entry: bytes) -> bytes:
    return hasher(b"\x00" + entry)


def node_hash(hasher: Hasher, left: bytes, right: bytes) -> bytes:
    return hasher(b"\x01" + left + right)


def _split(n: int) -> int:
    """The largest power of two strictly less than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class ProofError(ValueError):
    """A proof that does not check out, with the reason."""


class MerkleTree:
    def __init__(self, hasher: Hasher = sha256):
        self.hasher = hasher
        self._levels: list[bytearray] = [bytearray()]  # height h: hashes of perfect subtrees of 2^h leaves
        self.size = 0

    # ---- growing ----

    def append_leaf_hash(self, digest: bytes) -> int:
        if len(digest) != HASH_SIZE:
            raise ValueError("leaf hash must be 32 bytes")
        index = self.size
        self._levels[0] += digest
        self.size += 1
        height, position, current = 0, index, digest
        while position & 1:  # this node closes a pair: its parent is now a perfect subtree
            left = self._node(height, position - 1)
            current = node_hash(self.hasher, left, current)
            height, position = height + 1, position >> 1
            if len(self._levels) == height:
                self._levels.append(bytearray())
            self._levels[height] += current
        return index

    def append(self, entry: bytes) -> int:
        return self.append_leaf_hash(leaf_hash(self.hasher, entry))

    # ---- reading ----

    def _node(self, height: int, position: int) -> bytes:
        start = position * HASH_SIZE
        return bytes(self._levels[height][start:start + HASH_SIZE])

    def leaf(self, index: int) -> bytes:
        if not 0 <= index < self.size:
            raise IndexError(index)
        return self._node(0, index)

    def perfect_subtrees(self, height: int) -> bytes:
        """All stored hashes at one height, concatenated (what tlog tiles slice)."""
        return bytes(self._levels[height]) if height < len(self._levels) else b""

    def subtree_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range that lies within the tree and starts on a boundary the RFC's
        recursion produces (every range the proofs ask for does)."""
        n = end - start
        if n <= 0 or end > self.size:
            raise ValueError(f"range {start}..{end} outside a tree of {self.size}")
        if n & (n - 1) == 0 and start % n == 0:
            return self._node(n.bit_length() - 1, start // n)
        k = _split(n)
        return node_hash(self.hasher, self.subtree_hash(start, start + k), self.subtree_hash(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        if size == 0:
            return self.hasher(b"")
        return self.subtree_hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(m, D[n]) of RFC 9162 §2.1.3.1: sibling hashes from the leaf up."""
        size = self.size if size is None else size
        if not 0 <= index < size <= self.size:
            raise ValueError(f"no leaf {index} in a tree of {size}")
        return self._path(index, 0, size)

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return self._path(m, start, start + k) + [self.subtree_hash(start + k, end)]
        return self._path(m - k, start + k, end) + [self.subtree_hash(start, start + k)]

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(m, D[n]) of RFC 9162 §2.1.4.1."""
        new_size = self.size if new_size is None else new_size
        if not 0 < old_size <= new_size <= self.size:
            raise ValueError(f"no consistency proof from {old_size} to {new_size}")
        if old_size == new_size:
            return []
        return self._subproof(old_size, 0, new_size, True)

    def _subproof(self, m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [self.subtree_hash(start, end)]
        k = _split(n)
        if m <= k:
            return self._subproof(m, start, start + k, whole) + [self.subtree_hash(start + k, end)]
        return self._subproof(m - k, start + k, end, False) + [self.subtree_hash(start, start + k)]


def root_from_inclusion(hasher: Hasher, index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2); ProofError when it cannot lead anywhere."""
    if not 0 <= index < size:
        raise ProofError(f"叶子序号 {index} 不在大小为 {size} 的树内")
    if any(len(p) != HASH_SIZE for p in proof):
        raise ProofError("证明中的哈希长度不是32字节")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("包含证明过长")
        if fn & 1 or fn == sn:
            r = node_hash(hasher, p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(hasher, r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("包含证明过短")
    return r


def verify_inclusion(hasher: Hasher, index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    if len(leaf) != HASH_SIZE or len(root) != HASH_SIZE:
        raise ProofError("叶子哈希或根哈希不是32字节")
    if root_from_inclusion(hasher, index, size, leaf, proof) != root:
        raise ProofError("包含证明计算出的根哈希与检查点不符")


def verify_consistency(hasher: Hasher, old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> None:
    """RFC 9162 §2.1.4.2. A proof from the empty tree is refused (there is nothing to be consistent with)."""
    if old_size <= 0 or old_size > new_size:
        raise ProofError(f"不能证明从大小 {old_size} 到 {new_size} 的一致性")
    if old_size == new_size:
        if proof:
            raise ProofError("大小相同的两棵树，一致性证明应为空")
        if old_root != new_root:
            raise ProofError("大小相同但根哈希不同")
        return
    if any(len(p) != HASH_SIZE for p in proof) or len(old_root) != HASH_SIZE or len(new_root) != HASH_SIZE:
        raise ProofError("证明或根哈希的长度不是32字节")
    if not proof:
        raise ProofError("一致性证明为空")
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node of the path
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("一致性证明过长")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(hasher, c, fr), node_hash(hasher, c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(hasher, sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("一致性证明过短")
    if fr != old_root:
        raise ProofError("一致性证明与旧检查点的根哈希不符")
    if sr != new_root:
        raise ProofError("一致性证明与新检查点的根哈希不符")
