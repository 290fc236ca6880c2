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
        sizes = np.fromiter((len(r) for r in per_term_rows), dtype=np.int64, count=len(per_term_rows))
        self._indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self._postings_rows = np.fromiter((r for rows in per_term_rows for r in rows), dtype=np.int32,
                                          count=int(sizes.sum()))
        self._postings_tf = np.fromiter((t for tfs in per_term_tf for t in tfs), dtype=np.float32,
                                        count=int(sizes.sum()))
        self._vocabulary = vocabulary
        self._lengths = lengths
        self._live = np.ones(len(pairs), dtype=bool)
        self._recent = {}

    def add(self, document: Document, counts: Counter | None = None) -> None:
        """Add or replace one document; it is searchable at once."""
        self.remove(document.key)
        counts = counts if counts is not None else document.weighted_terms()
        self._recent[document.key] = (counts, document)
        self._meta[document.key] = document
        self._terms_of[document.key] = counts

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

    def text_scores(self, query_terms: list[str]) -> dict[str, float]:
        """BM25 of every document that shares a term with the query (query terms counted once each)."""
        n, average = self._stats()
        if n == 0:
            return {}
        unique = list(dict.fromkeys(query_terms))
        bulk = np.zeros(len(self._keys), dtype=np.float32)
        touched = False
        recent: dict[str, float] = {}
        for term in unique:
            df = self._document_frequency(term)
            if df == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            term_id = self._vocabulary.get(term)
            if term_id is not None:
                start, end = self._indptr[term_id], self._indptr[term_id + 1]
                rows, tf = self._postings_rows[start:end], self._postings_tf[start:end]
                norm = K1 * (1 - B + B * self._lengths[rows] / average)
                bulk[rows] += idf * tf / (tf + norm)
                touched = True
            for key, (counts, _) in self._recent.items():
                tf = counts.get(term, 0)
                if tf:
                    norm = K1 * (1 - B + B * sum(counts.values()) / average)
                    recent[key] = recent.get(key, 0.0) + idf * tf / (tf + norm)
        scores = recent
        if touched:
            bulk[~self._live] = 0
            for row in np.flatnonzero(bulk):
                scores[self._keys[row]] = float(bulk[row])
        return scores

    def top_text(self, query_terms: list[str], limit: int) -> list[tuple[str, float]]:
        """The best `limit` documents by text alone, without building a dict of every hit (for large indexes)."""
        n, average = self._stats()
        if n == 0 or not self._recent and len(self._keys) == 0:
            return []
        scores = self.text_scores(query_terms) if self._recent else None
        if scores is not None:
            return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        bulk = np.zeros(len(self._keys), dtype=np.float32)
        for term in dict.fromkeys(query_terms):
            term_id = self._vocabulary.get(term)
            if term_id is None:
                continue
            start, end = self._indptr[term_id], self._indptr[term_id + 1]
            rows, tf = self._postings_rows[start:end], self._postings_tf[start:end]
            df = int(self._live[rows].sum())
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            bulk[rows] += idf * tf / (tf + K1 * (1 - B + B * self._lengths[rows] / average))
        bulk[~self._live] = 0
        k = min(limit, int(np.count_nonzero(bulk)))
        if k == 0:
            return []
        best = np.argpartition(-bulk, k - 1)[:k]
        return sorted(((self._keys[r], float(bulk[r])) for r in best), key=lambda kv: (-kv[1], kv[0]))

    def search(self, query: Document, limit: int = 10, exclude: set[str] = frozenset()) -> list[Match]:
        """Rank by BM25 plus bonuses for shared IPC subclasses, fields and region; explain each result."""
        query_counts = query.weighted_terms()
        query_terms = list(query_counts)
        text = self.text_scores(query_terms)
        query_ipc = {ipc_subclass(c) for c in query.ipc if c}
        candidates = set(text)
        if query_ipc or query.fields:
            candidates |= {key for key, d in self._meta.items()
                           if query_ipc & {ipc_subclass(c) for c in d.ipc} or set(query.fields) & set(d.fields)}
        matches = []
        for key in candidates - set(exclude):
            document = self._meta[key]
            doc_ipc = {ipc_subclass(c) for c in document.ipc if c}
            shared_ipc = sorted(query_ipc & doc_ipc)
            jaccard = len(shared_ipc) / len(query_ipc | doc_ipc) if query_ipc | doc_ipc else 0.0
            shared_fields = sorted(set(query.fields) & set(document.fields))
            same_region = bool(query.region) and query.region == document.region
            score = (text.get(key, 0.0) + IPC_WEIGHT * jaccard + FIELD_WEIGHT * bool(shared_fields)
                     + REGION_WEIGHT * same_region)
            doc_terms = self._terms_of[key]
            shared_terms = sorted((t for t in query_terms if t in doc_terms), key=lambda t: (-doc_terms[t], t))[:6]
            matches.append(Match(key, round(score, 6), round(text.get(key, 0.0), 6), shared_terms, shared_ipc,
                                 shared_fields, same_region))
        matches.sort(key=lambda m: (-m.score, m.key))
        return matches[:limit]
