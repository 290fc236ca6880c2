"""The random inspection draw as plain rules: reproducible from the seed, conflicts excluded, quotas per risk
level, and equal to an independent straightforward implementation of the published algorithm."""

import hashlib
import hmac
from collections import Counter

from ipcity.protection.core.draw import Inspector, Stream, Subject, choose, draw, seed_of

SUBJECTS = [Subject(f"ORG-{i:06d}", ("high", "medium", "low")[i % 3]) for i in range(1, 31)]
INSPECTORS = [Inspector(f"OFFICER-{i:06d}", frozenset({"ORG-000001"} if i == 1 else set())) for i in range(1, 9)]
QUOTAS = {"high": 3, "medium": 2, "low": 1}


def _independent_choose(keys, k, seed, name):
    pool, out = sorted(keys), []
    for p in range(min(k, len(pool))):
        r = int.from_bytes(hmac.new(seed, f"{name}|{p}".encode(), hashlib.sha256).digest()[:8], "big")
        j = p + r % (len(pool) - p)
        pool[p], pool[j] = pool[j], pool[p]
        out.append(pool[p])
    return out


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    seed = seed_of("2026-q4-patent", "evidence.ipcity.local/nankai\n42\nabc=\n")
    first = draw(seed, SUBJECTS, INSPECTORS, QUOTAS, 2)
    again = draw(seed, list(reversed(SUBJECTS)), list(reversed(INSPECTORS)), QUOTAS, 2)
    assert (first.subjects, first.inspectors) == (again.subjects, again.inspectors)  # input order does not matter
    other = draw(seed_of("2026-q4-patent", "another checkpoint"), SUBJECTS, INSPECTORS, QUOTAS, 2)
    assert other.subjects != first.subjects


def test_the_draw_equals_an_independent_implementation_of_the_published_algorithm():
    seed = seed_of("plan", "source")
    assert seed == hashlib.sha256(b"ipcity-draw-seed/v1\nplan\nsource").digest()
    keys = [s.key for s in SUBJECTS if s.risk == "high"]
    assert choose(keys, 3, Stream(seed, "subjects:high")) == _independent_choose(keys, 3, seed, "subjects:high")


def test_quotas_hold_per_risk_level_and_conflicted_inspectors_are_never_drawn():
    for n in range(40):
        result = draw(seed_of("plan", f"checkpoint {n}"), SUBJECTS, INSPECTORS, QUOTAS, 3)
        levels = Counter(next(s.risk for s in SUBJECTS if s.key == key) for key in result.subjects)
        assert levels == Counter(QUOTAS)
        if "ORG-000001" in result.inspectors:
            assert "OFFICER-000001" not in result.inspectors["ORG-000001"]
        assert all(len(set(v)) == 3 for v in result.inspectors.values())


def test_every_candidate_has_a_fair_chance():
    counts = Counter()
    for n in range(600):
        counts.update(draw(seed_of("plan", str(n)), SUBJECTS, INSPECTORS, {"low": 2}, 1).subjects)
    low = [s.key for s in SUBJECTS if s.risk == "low"]
    assert set(counts) == set(low)
    expected = 600 * 2 / len(low)
    assert all(0.6 * expected < counts[k] < 1.4 * expected for k in low)


def test_a_shortfall_is_reported_not_hidden():
    result = draw(seed_of("p", "s"), SUBJECTS[:2], INSPECTORS[:1], {"medium": 5}, 2)  # the one officer is conflicted
    assert any("少于应抽取" in s for s in result.shortfalls) and any("执法人员只有" in s for s in result.shortfalls)
