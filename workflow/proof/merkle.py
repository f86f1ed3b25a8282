"""The checkpoint tree: pure functions, no ORM, no clock.

Leaves are (petition id, entry count, head): the 44-byte record id (8 bytes,
big-endian) ‖ count (4 bytes, big-endian) ‖ head (32 bytes), hashed as
SHA-256(0x00 ‖ record). Inner nodes are SHA-256(0x01 ‖ left ‖ right), as in
RFC 6962 §2.1, so a leaf can never pass for a node. A tree over n hashes is
RFC 6962's: built level by level, the last node of an odd level goes up unhashed.

Petitions are grouped into chunks by id (CHUNK_SPAN ids each): a chunk's root is
the tree over its leaves sorted by id, the checkpoint's root the tree over the
chunk roots in chunk order. A chunk that did not change keeps its stored leaves,
and a proof path needs one chunk's leaves and the chunk roots, never the whole
tree.
"""

import hashlib
import struct

CHUNK_SPAN = 1024
RECORD = struct.Struct(">QI32s")  # petition id, entry count, head
LEAF_PREFIX, NODE_PREFIX = b"\x00", b"\x01"


def chunk_of(petition_id: int) -> int:
    return petition_id // CHUNK_SPAN


def record(petition_id: int, count: int, head: bytes) -> bytes:
    return RECORD.pack(petition_id, count, head)


def records(blob: bytes):
    """(petition id, count, head) of each record in a chunk's stored leaves."""
    return RECORD.iter_unpack(blob)


def leaf_hash(rec: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + rec).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def levels(hashes: list[bytes]) -> list[list[bytes]]:
    """Every level of the tree over `hashes`, the leaves first, the root last."""
    if not hashes:
        raise ValueError("a tree needs at least one leaf")
    built = [list(hashes)]
    level = built[0]
    while len(level) > 1:
        up = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            up.append(level[-1])
        built.append(up)
        level = up
    return built


def root(hashes: list[bytes]) -> bytes:
    level = list(hashes)
    if not level:
        raise ValueError("a tree needs at least one leaf")
    while len(level) > 1:
        up = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            up.append(level[-1])
        level = up
    return level[0]


def path(hashes: list[bytes], index: int) -> list[tuple[str, bytes]]:
    """The siblings from hashes[index] up to the root: ("L", h) when the sibling
    is on the left, ("R", h) on the right; a node that goes up unhashed adds none."""
    steps = []
    for level in levels(hashes)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            steps.append(("L" if sibling < index else "R", level[sibling]))
        index //= 2
    return steps


def fold(leaf: bytes, steps) -> bytes:
    """The root a path leads to from a leaf hash (the verifier's side)."""
    node = leaf
    for side, sibling in steps:
        node = node_hash(sibling, node) if side == "L" else node_hash(node, sibling)
    return node


def leaf_hashes(blob: bytes) -> list[bytes]:
    """The leaf hash of each record of a chunk's stored leaves, in order."""
    size = RECORD.size
    return [leaf_hash(blob[i : i + size]) for i in range(0, len(blob), size)]


def chunk_root(blob: bytes) -> bytes:
    return root(leaf_hashes(blob))
