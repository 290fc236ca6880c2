"""The matching engine: ranks documents (patents, technology offers, needs) for a query document from Chinese
text (BM25 over titles, abstracts and descriptions), IPC and field overlap, and region, and explains each match
by the terms and classes it shares.

The index is a bulk-built segment in compressed sparse rows (numpy) plus a small in-memory segment that takes
incremental additions, and a set of removed keys; `compact()` folds everything back into one bulk segment. Scoring
is Lucene's BM25 (k1 = 1.5, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)), term weight tf / (tf + k1 · (1 - b
+ b · dl / avgdl)), without the constant (k1 + 1) factor that Lucene dropped), the variant bm25s calls "lucene";
title terms count twice."""

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ipcity.operations.core.text import terms as text_terms

K1, B = 1.5, 0.75
TITLE_WEIGHT = 2
IPC_WEIGHT = 3.0  # added for a full overlap of IPC subclasses (Jaccard 1.0)
FIELD_WEIGHT = 2.0
REGION_WEIGHT = 0.5
COMPACT_AFTER = 2000  # documents in the incremental segment before it is folded into the bulk one


def ipc_subclass(code: str) -> str:
    """'H01M 10/052' → 'H01M': matching by subclass is specific enough and forgiving of group detail."""
    return code.replace(" ", "")[:4].upper()


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    text: str = ""
    ipc: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    region: str = ""

    def weighted_terms(self) -> Counter:
        counts = Counter(text_terms(self.text))
        for term in text_terms(self.title):
            counts[term] += TITLE_WEIGHT
        return counts


@dataclass
class Match:
    key: str
    score: float
    text_score: float
    shared_terms: list[str] = field(default_factory=list)
    shared_ipc: list[str] = field(default_factory=list)
    shared_fields: list[str] = field(default_factory=list)
    same_region: bool = False

    @property
    def reason(self) -> str:
        parts = []
        if self.shared_terms:
            parts.append("共同关键词：" + "、".join(self.shared_terms))
        if self.shared_ipc:
            parts.append("相同IPC小类：" + "、".join(self.shared_ipc))
        if self.shared_fields:
            parts.append("同属领域：" + "、".join(self.shared_fields))
        if self.same_region:
            parts.append("同一区域")
        return "；".join(parts) or "无明显共同点"


class MatchIndex:
    def __init__(self):
        self._vocabulary: dict[str, int] = {}
        self._keys: list[str] = []  # bulk segment: row → key
        self._row: dict[str, int] = {}
        self._indptr = np.zeros(1, dtype=np.int64)  # per term id: slice of postings
        self._postings_rows = np.zeros(0, dtype=np.int32)
        self._postings_tf = np.zeros(0, dtype=np.float32)
        self._lengths = np.zeros(0, dtype=np.float32)
        self._live = np.zeros(0, dtype=bool)
        self._ipc_rows: dict[str, np.ndarray] = {}
        self._field_rows: dict[str, np.ndarray] = {}
        self._ipc_count = np.zeros(0, dtype=np.int16)
        self._regions: dict[str, int] = {}
        self._region_id = np.zeros(0, dtype=np.int32)
        self._recent: dict[str, tuple[Counter, Document]] = {}  # incremental segment
        self._meta: dict[str, Document] = {}
        self._terms_of: dict[str, Counter] = {}

    # ---- building ----

    @classmethod
    def build(cls, documents, term_counts=None) -> "MatchIndex":
        """Bulk build. `term_counts` (one Counter per document) lets a caller tokenize once for several indexes."""
        index = cls()
        documents = list(documents)
        counts = term_counts if term_counts is not None else [d.weighted_terms() for d in documents]
        index._bulk(list(zip(documents, counts, strict=True)))
        return index

    def _bulk(self, pairs: list[tuple[Document, Counter]]) -> None:
        vocabulary: dict[str, int] = {}
        per_term_rows: list[list[int]] = []
        per_term_tf: list[list[float]] = []
        lengths = np.zeros(len(pairs), dtype=np.float32)
        ipc_rows: dict[str, list[int]] = {}
        field_rows: dict[str, list[int]] = {}
        ipc_count = np.zeros(len(pairs), dtype=np.int16)
        regions: dict[str, int] = {}
        region_id = np.full(len(pairs), -1, dtype=np.int32)
        self._keys, self._row = [], {}
        for row, (document, counts) in enumerate(pairs):
            self._keys.append(document.key)
            self._row[document.key] = row
            self._meta[document.key] = document
            self._terms_of[document.key] = counts
            lengths[row] = sum(counts.values())
            for term, tf in counts.items():
                term_id = vocabulary.get(term)
                if term_id is None:
                    term_id = vocabulary[term] = len(per_term_rows)
                    per_term_rows.append([])
                    per_term_tf.append([])
                per_term_rows[term_id].append(row)
                per_term_tf[term_id].append(tf)
            subclasses = {ipc_subclass(c) for c in document.ipc if c}
            ipc_count[row] = len(subclasses)
            for subclass in subclasses:
                ipc_rows.setdefault(subclass, []).append(row)
            for name in set(document.fields):
                field_rows.setdefault(name, []).append(row)
            if document.region:
                region_id[row] = regions.setdefault(document.region, len(regions))
        sizes = np.fromiter((len(r) for r in per_term_rows), dtype=np.int64, count=len(per_term_rows))
        self._indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self._postings_rows = np.fromiter((r for rows in per_term_rows for r in rows), dtype=np.int32,
                                          count=int(sizes.sum()))
        self._postings_tf = np.fromiter((t for tfs in per_term_tf for t in tfs), dtype=np.float32,
                                        count=int(sizes.sum()))
        self._vocabulary = vocabulary
        self._lengths = lengths
        self._live = np.ones(len(pairs), dtype=bool)
        self._ipc_rows = {k: np.array(v, dtype=np.int32) for k, v in ipc_rows.items()}
        self._field_rows = {k: np.array(v, dtype=np.int32) for k, v in field_rows.items()}
        self._ipc_count = ipc_count
        self._regions, self._region_id = regions, region_id
        self._recent = {}

    def add(self, document: Document, counts: Counter | None = None) -> None:
        """Add or replace one document; it is searchable at once."""
        self.remove(document.key)
        counts = counts if counts is not None else document.weighted_terms()
        self._recent[document.key] = (counts, document)
        self._meta[document.key] = document
        self._terms_of[document.key] = counts
        if len(self._recent) > COMPACT_AFTER:
            self.compact()

    def remove(self, key: str) -> None:
        if key in self._recent:
            del self._recent[key]
        elif key in self._row and self._live[self._row[key]]:
            self._live[self._row[key]] = False
        else:
            return
        self._meta.pop(key, None)
        self._terms_of.pop(key, None)

    def compact(self) -> None:
        """Fold additions and removals into a fresh bulk segment (no re-tokenizing)."""
        pairs = [(self._meta[k], self._terms_of[k]) for k in self._keys if k in self._meta and k not in self._recent]
        pairs += [(document, counts) for counts, document in self._recent.values()]
        self._bulk(pairs)

    def __len__(self) -> int:
        return len(self._meta)

    def keys(self) -> list[str]:
        return list(self._meta)

    def document(self, key: str) -> Document | None:
        return self._meta.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._meta

    # ---- scoring ----

    def _stats(self) -> tuple[int, float]:
        n = int(self._live.sum()) + len(self._recent)
        total = float(self._lengths[self._live].sum()) + sum(sum(c.values()) for c, _ in self._recent.values())
        return n, (total / n if n else 0.0)

    def _document_frequency(self, term: str) -> int:
        df = 0
        term_id = self._vocabulary.get(term)
        if term_id is not None:
            rows = self._postings_rows[self._indptr[term_id]:self._indptr[term_id + 1]]
            df = int(self._live[rows].sum())
        return df + sum(1 for counts, _ in self._recent.values() if term in counts)

    def _bulk_text(self, query_terms: list[str], n: int, average: float) -> np.ndarray:
        """BM25 of every bulk row (zero for rows sharing no term, and for removed rows)."""
        scores = np.zeros(len(self._keys), dtype=np.float32)
        for term in dict.fromkeys(query_terms):
            df = self._document_frequency(term)
            term_id = self._vocabulary.get(term)
            if df == 0 or term_id is None:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            start, end = self._indptr[term_id], self._indptr[term_id + 1]
            rows, tf = self._postings_rows[start:end], self._postings_tf[start:end]
            scores[rows] += idf * tf / (tf + K1 * (1 - B + B * self._lengths[rows] / average))
        scores[~self._live] = 0
        return scores

    def _recent_text(self, query_terms: list[str], n: int, average: float) -> dict[str, float]:
        scores: dict[str, float] = {}
        for term in dict.fromkeys(query_terms):
            hits = [(key, counts[term]) for key, (counts, _) in self._recent.items() if term in counts]
            if not hits:
                continue
            df = self._document_frequency(term)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for key, tf in hits:
                norm = K1 * (1 - B + B * sum(self._recent[key][0].values()) / average)
                scores[key] = scores.get(key, 0.0) + idf * tf / (tf + norm)
        return scores

    def text_scores(self, query_terms: list[str]) -> dict[str, float]:
        """BM25 of every document that shares a term with the query (query terms counted once each)."""
        n, average = self._stats()
        if n == 0:
            return {}
        bulk = self._bulk_text(query_terms, n, average)
        scores = {self._keys[row]: float(bulk[row]) for row in np.flatnonzero(bulk)}
        scores.update(self._recent_text(query_terms, n, average))
        return scores

    def top_text(self, query_terms: list[str], limit: int) -> list[tuple[str, float]]:
        """The best `limit` documents by text alone."""
        scores = self.text_scores(query_terms) if self._recent else None
        if scores is not None:
            return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        n, average = self._stats()
        if n == 0:
            return []
        bulk = self._bulk_text(query_terms, n, average)
        k = min(limit, int(np.count_nonzero(bulk)))
        if k == 0:
            return []
        best = np.argpartition(-bulk, k - 1)[:k]
        return sorted(((self._keys[r], float(bulk[r])) for r in best), key=lambda kv: (-kv[1], kv[0]))

    def search(self, query: Document, limit: int = 10, exclude: set[str] = frozenset()) -> list[Match]:
        """Rank by BM25 plus bonuses for shared IPC subclasses, fields and region, in numpy over the bulk segment;
        explain only the results."""
        n, average = self._stats()
        if n == 0:
            return []
        query_terms = list(query.weighted_terms())
        query_ipc = {ipc_subclass(c) for c in query.ipc if c}
        query_fields = set(query.fields)
        totals: dict[str, tuple[float, float]] = {}  # key -> (score, text score)
        if self._keys:
            text = self._bulk_text(query_terms, n, average)
            shared = np.zeros(len(self._keys), dtype=np.float32)
            for subclass in query_ipc:
                shared[self._ipc_rows.get(subclass, _EMPTY)] += 1
            union = len(query_ipc) + self._ipc_count - shared
            jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
            field_hit = np.zeros(len(self._keys), dtype=bool)
            for name in query_fields:
                field_hit[self._field_rows.get(name, _EMPTY)] = True
            region = self._regions.get(query.region, -2) if query.region else -2
            total = text + IPC_WEIGHT * jaccard + FIELD_WEIGHT * field_hit + REGION_WEIGHT * (self._region_id == region)
            candidate = ((text > 0) | (shared > 0) | field_hit) & self._live
            for key in exclude:
                if key in self._row:
                    candidate[self._row[key]] = False
            rows = np.flatnonzero(candidate)
            if len(rows) > limit:
                rows = rows[np.argpartition(-total[rows], limit - 1)[:limit]]
            totals.update({self._keys[r]: (float(total[r]), float(text[r])) for r in rows})
        recent_text = self._recent_text(query_terms, n, average)
        for key, (_, document) in self._recent.items():
            if key in exclude:
                continue
            doc_ipc = {ipc_subclass(c) for c in document.ipc if c}
            shared_ipc = query_ipc & doc_ipc
            fields_hit = bool(query_fields & set(document.fields))
            if not (recent_text.get(key) or shared_ipc or fields_hit):
                continue
            jaccard = len(shared_ipc) / len(query_ipc | doc_ipc) if query_ipc | doc_ipc else 0.0
            score = (recent_text.get(key, 0.0) + IPC_WEIGHT * jaccard + FIELD_WEIGHT * fields_hit
                     + REGION_WEIGHT * (bool(query.region) and query.region == document.region))
            totals[key] = (score, recent_text.get(key, 0.0))
        best = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [self._explain(key, score, text, query, query_terms, query_ipc) for key, (score, text) in best]

    def _explain(self, key: str, score: float, text: float, query: Document, query_terms: list[str],
                 query_ipc: set[str]) -> Match:
        document = self._meta[key]
        doc_terms = self._terms_of[key]
        shared_terms = sorted((t for t in query_terms if t in doc_terms), key=lambda t: (-doc_terms[t], t))[:6]
        return Match(key, round(score, 6), round(text, 6), shared_terms,
                     sorted(query_ipc & {ipc_subclass(c) for c in document.ipc if c}),
                     sorted(set(query.fields) & set(document.fields)),
                     bool(query.region) and query.region == document.region)


_EMPTY = np.zeros(0, dtype=np.int32)
