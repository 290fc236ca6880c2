"""双随机、一公开: draw inspection subjects and inspectors at random, reproducibly from a seed published before the
draw, with conflicts of interest excluded. The algorithm (docs/random-inspection.md) is simple enough to redo by
hand-written code in any language:

1. The seed is SHA-256 of the UTF-8 text "ipcity-draw-seed/v1\\n" + the plan's code + "\\n" + the published
   source text (the latest signed checkpoint of the evidence log at publication).
2. A stream of numbers: the i-th number (i = 0, 1, 2 …) of a named stream is the first 8 bytes, big-endian, of
   HMAC-SHA256(seed, "<stream>|<i>").
3. To choose k of n candidates sorted by key: for position p = 0 … k-1, take the next number r of the stream,
   swap candidate p with candidate p + (r mod (n - p)), and keep candidate p (a partial Fisher-Yates shuffle).
4. Subjects are chosen per risk level from candidates of that level (streams "subjects:high", "subjects:medium",
   "subjects:low"); then, for each chosen subject in key order, inspectors are chosen from the pool minus those with
   a declared conflict with that subject and those already inspecting it (stream "inspectors:<subject key>")."""

import hashlib
import hmac
from dataclasses import dataclass, field

SEED_CONTEXT = "ipcity-draw-seed/v1\n"
RISK_LEVELS = ("high", "medium", "low")


def seed_of(plan_code: str, source_text: str) -> bytes:
    return hashlib.sha256(f"{SEED_CONTEXT}{plan_code}\n{source_text}".encode()).digest()


class Stream:
    def __init__(self, seed: bytes, name: str):
        self.seed, self.name, self.i = seed, name, 0

    def next(self) -> int:
        digest = hmac.new(self.seed, f"{self.name}|{self.i}".encode(), hashlib.sha256).digest()
        self.i += 1
        return int.from_bytes(digest[:8], "big")


def choose(candidates: list[str], k: int, stream: Stream) -> list[str]:
    pool = sorted(candidates)
    chosen = []
    for p in range(min(k, len(pool))):
        j = p + stream.next() % (len(pool) - p)
        pool[p], pool[j] = pool[j], pool[p]
        chosen.append(pool[p])
    return chosen


@dataclass(frozen=True)
class Subject:
    key: str
    risk: str  # high | medium | low


@dataclass(frozen=True)
class Inspector:
    key: str
    conflicts: frozenset[str] = frozenset()  # subject keys


@dataclass
class DrawResult:
    subjects: list[str] = field(default_factory=list)
    inspectors: dict[str, list[str]] = field(default_factory=dict)
    shortfalls: list[str] = field(default_factory=list)


def draw(seed: bytes, subjects: list[Subject], inspectors: list[Inspector], quotas: dict[str, int],
         inspectors_per_subject: int) -> DrawResult:
    result = DrawResult()
    for level in RISK_LEVELS:
        wanted = quotas.get(level, 0)
        pool = [s.key for s in subjects if s.risk == level]
        picked = choose(pool, wanted, Stream(seed, f"subjects:{level}"))
        if len(picked) < wanted:
            result.shortfalls.append(f"{level} 风险等级只有 {len(pool)} 个候选对象，少于应抽取的 {wanted} 个")
        result.subjects += picked
    result.subjects.sort()
    for subject in result.subjects:
        eligible = [i.key for i in inspectors if subject not in i.conflicts]
        picked = choose(eligible, inspectors_per_subject, Stream(seed, f"inspectors:{subject}"))
        if len(picked) < inspectors_per_subject:
            result.shortfalls.append(f"{subject} 可抽取的执法人员只有 {len(picked)} 名")
        result.inspectors[subject] = picked
    return result
