"""Matching quality: nDCG@10 and recall@50 of our matcher against plain BM25 (the same index, text only) on a
labeled set. No public labeled set of Chinese technology needs and patents exists offline, so the set is
synthetic and says so: 20,000 patents in 12 technology areas, 300 needs written with a few of an area's words and
the area's IPC subclass and field; a patent is relevant (grade 2) when it is in the need's area and its title
names both of the need's key words, partly relevant (grade 1) when in the area, naming one in the title and
the other anywhere. Recall@50 counts the grade-2 patents found. What this measures is whether class
and field evidence help where the words alone are thin, which is what the bonuses are for.

    .venv/bin/python bench/matching_eval.py
"""

import argparse
import math
import random
import statistics
import sys

from ipcity.operations.core.matching import Document, MatchIndex

sys.path.insert(0, __import__("os").path.dirname(__file__))
from matching import ALL_WORDS, WORDS, synthetic  # noqa: E402


def labeled_needs(count: int, seed: int = 11):
    rng = random.Random(seed)
    for i in range(count):
        area = rng.choice(list(WORDS))
        keys = rng.sample(WORDS[area], 2)
        noise = rng.sample(ALL_WORDS, 2)  # needs are written loosely: words from other areas creep in
        yield area, set(keys), Document(f"N{i}", "需要" + keys[0] + noise[0], "希望解决" + keys[1] + "和" + noise[1],
                                        (f"{area}9/00",), (area,))


def dcg(grades):
    return sum((2 ** g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=20_000)
    parser.add_argument("--needs", type=int, default=300)
    args = parser.parse_args(argv)
    pairs = list(synthetic(args.patents, seed=99))
    documents = {d.key: (d, c) for d, c in pairs}
    index = MatchIndex.build([d for d, _ in pairs], term_counts=[c for _, c in pairs])
    results = {"ours": ([], []), "BM25": ([], [])}
    for area, keys, need in labeled_needs(args.needs):
        def grade(key, area=area, keys=keys):
            document, counts = documents[key]
            if document.fields[0] != area:
                return 0
            in_title = sum(1 for word in keys if word in document.title)
            anywhere = len(keys & set(counts))
            return 2 if in_title == 2 else 1 if in_title == 1 and anywhere == 2 else 0

        ideal = sorted((grade(k) for k in documents if grade(k)), reverse=True)
        relevant = sum(1 for g in ideal if g == 2)
        if not relevant:
            continue
        ranked = {"ours": [m.key for m in index.search(need, limit=50)],
                  "BM25": [k for k, _ in index.top_text(list(need.weighted_terms()), 50)]}
        for name, keys_ranked in ranked.items():
            grades = [grade(k) for k in keys_ranked]
            results[name][0].append(dcg(grades[:10]) / dcg(ideal[:10]))
            results[name][1].append(sum(1 for g in grades if g == 2) / relevant)
    for name, (ndcg, recall) in results.items():
        print(f"{name:>5}: nDCG@10 {statistics.mean(ndcg):.3f}, recall@50 {statistics.mean(recall):.3f} "
              f"({len(ndcg)} needs, synthetic labels)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
