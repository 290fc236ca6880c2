"""c2sp.org/tlog-tiles: the log's hashes as static 256-wide tiles, so anyone can mirror it and compute proofs."""

import re

from ipcity.evidence.core.merkle import HASH_SIZE, MerkleTree

TILE_WIDTH = 256
TILE_HEIGHT = 8


def encode_index(n: int) -> str:
    """1234067 → x001/x234/067: 3-digit groups, all but the last prefixed with x."""
    digits = str(n)
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i:i + 3] for i in range(0, len(digits), 3)]
    return "/".join([f"x{g}" for g in groups[:-1]] + [groups[-1]])


_PATH = re.compile(r"^(?P<level>entries|\d{1,2})/(?P<index>(?:x\d{3}/)*\d{3})(?:\.p/(?P<width>\d{1,3}))?\Z")


def parse_path(path: str) -> tuple[str, int, int | None]:
    """'0/x001/234.p/5' → ('0', 1234, 5). The level is 'entries' for entry bundles."""
    match = _PATH.match(path)
    if not match:
        raise ValueError(f"not a tile path: {path}")
    width = int(match["width"]) if match["width"] else None
    if width is not None and not 1 <= width < TILE_WIDTH or match["level"] != "entries" and int(match["level"]) > 63:
        raise ValueError(f"not a tile path: {path}")
    return match["level"], int(match["index"].replace("x", "").replace("/", "")), width


def tile_path(level: int | str, index: int, width: int | None = None) -> str:
    suffix = f".p/{width}" if width is not None else ""
    return f"tile/{level}/{encode_index(index)}{suffix}"


def published_sizes_for(level: int, index: int, width: int) -> range:
    """The tree sizes whose checkpoint makes this partial tile exist: floor(size / 256**level) == index*256 + width."""
    span = TILE_WIDTH ** level
    first = (index * TILE_WIDTH + width) * span
    return range(first, first + span)


def tile_bytes(tree: MerkleTree, level: int, index: int, width: int | None) -> bytes:
    """A full tile, or a partial one of the given width, from a tree at least as large as the checkpoint that
    asked for it (the caller checks that such a checkpoint was published)."""
    span = TILE_WIDTH ** level  # leaves under one hash of this level
    first = index * TILE_WIDTH
    wanted = TILE_WIDTH if width is None else width
    if first + wanted > tree.size // span:
        raise LookupError("tile not yet complete")
    stored = tree.perfect_subtrees(level * TILE_HEIGHT)
    return stored[first * HASH_SIZE:(first + wanted) * HASH_SIZE]


def entry_bundle(entries: list[bytes]) -> bytes:
    out = bytearray()
    for entry in entries:
        if len(entry) > 0xFFFF:
            raise ValueError("entry too long for a bundle")
        out += len(entry).to_bytes(2, "big") + entry
    return bytes(out)


def read_entry_bundle(data: bytes) -> list[bytes]:
    entries, offset = [], 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise ValueError("truncated entry bundle")
        length = int.from_bytes(data[offset:offset + 2], "big")
        entries.append(data[offset + 2:offset + 2 + length])
        offset += 2 + length
        if offset > len(data):
            raise ValueError("truncated entry bundle")
    return entries
