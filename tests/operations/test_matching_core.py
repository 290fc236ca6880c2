"""The matching engine as plain Python: BM25 equal to bm25s's on the same terms, incremental updates equal to a
rebuild, and every match explained by what it shares with the query."""

import bm25s
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcity.operations.core.matching import Document, MatchIndex, ipc_subclass
from ipcity.operations.core.text import terms

PATENTS = [
    Document("CN1", "一种锂离子电池健康状态估计方法", "利用深度学习网络根据充放电曲线估计电池容量衰减和剩余寿命",
             ("H01M10/48", "G01R31/367"), ("新能源",), "南开区"),
    Document("CN2", "电动汽车充电桩散热结构", "充电模块的风冷散热与防尘结构", ("B60L53/30",), ("新能源汽车",), "西青区"),
    Document("CN3", "基于卷积神经网络的焊缝缺陷识别方法", "采集焊缝图像，用卷积神经网络识别气孔和裂纹",
             ("G06V10/82", "G06T7/00"), ("智能制造",), "南开区"),
    Document("CN4", "一种固态电解质及其制备方法", "硫化物固态电解质提高锂电池安全性", ("H01M10/0562",), ("新能源",), "滨海新区"),
    Document("CN5", "中药提取物在降血糖中的应用", "黄芪多糖提取工艺", ("A61K36/481",), ("生物医药",), "南开区"),
]


def test_segmentation_drops_boilerplate_and_keeps_technical_words():
    words = terms("本发明涉及一种基于深度学习的锂离子电池健康状态估计方法")
    assert "锂离子" in words and "电池" in words and "深度" in words
    assert not {"本发明", "一种", "方法", "基于", "的"} & set(words)


def test_bm25_scores_equal_those_of_bm25s_lucene_on_the_same_terms():
    index = MatchIndex.build(PATENTS)
    corpus = [list(index._terms_of[d.key].elements()) for d in PATENTS]
    peer = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    peer.index(corpus, show_progress=False)
    for query in ("锂电池健康状态估计", "焊缝图像缺陷识别", "固态电解质安全性", "充电桩散热"):
        query_terms = list(dict.fromkeys(terms(query)))
        ours = index.text_scores(query_terms)
        theirs = peer.get_scores(query_terms)
        for document, score in zip(PATENTS, theirs, strict=True):
            assert ours.get(document.key, 0.0) == pytest.approx(float(score), rel=1e-5), (query, document.key)


def test_a_need_finds_the_right_patent_and_says_why():
    index = MatchIndex.build(PATENTS)
    need = Document("need-1", "锂电池寿命预测", "希望用机器学习预测动力电池的健康状态和剩余寿命", ("H01M",), ("新能源",), "南开区")
    best, *rest = index.search(need, limit=3)
    assert best.key == "CN1"
    assert {"健康", "寿命", "剩余"} <= set(best.shared_terms) and best.shared_ipc == ["H01M"]
    assert best.shared_fields == ["新能源"] and best.same_region
    assert "共同关键词" in best.reason and "相同IPC小类：H01M" in best.reason
    assert rest[0].key == "CN4"  # the other battery patent: same subclass and field, fewer shared words
    assert all(m.score <= best.score for m in rest)


def test_matching_by_class_alone_still_finds_a_patent_without_shared_words():
    index = MatchIndex.build(PATENTS)
    [match] = index.search(Document("need-2", "降糖", "", ("A61K36/00",)), limit=1)
    assert match.key == "CN5" and match.shared_ipc == ["A61K"] and match.text_score == 0
    assert ipc_subclass("h01m 10/052") == "H01M"


def test_added_documents_are_found_at_once_and_removed_ones_never_again():
    index = MatchIndex.build(PATENTS[:3])
    assert "CN4" not in {m.key for m in index.search(Document("q", "固态电解质"))}
    index.add(PATENTS[3])
    assert index.search(Document("q", "固态电解质"))[0].key == "CN4"
    index.remove("CN1")
    assert "CN1" not in {m.key for m in index.search(Document("q", "锂离子电池健康状态"))}
    assert len(index) == 3


words = st.sampled_from(["电池", "电解质", "焊缝", "图像", "识别", "充电", "散热", "寿命", "算法", "材料", "中药", "提取"])
docs = st.lists(st.tuples(st.lists(words, min_size=1, max_size=6), st.lists(words, max_size=8)), min_size=1,
                max_size=12)


@settings(max_examples=40, deadline=None)
@given(docs, st.data())
def test_incremental_updates_score_exactly_like_a_fresh_build(documents, data):
    made = [Document(f"D{i}", "".join(title), "".join(body)) for i, (title, body) in enumerate(documents)]
    split = data.draw(st.integers(min_value=0, max_value=len(made)))
    incremental = MatchIndex.build(made[:split])
    for document in made[split:]:
        incremental.add(document)
    removed = data.draw(st.sets(st.sampled_from([d.key for d in made]), max_size=3))
    for key in removed:
        incremental.remove(key)
    fresh = MatchIndex.build([d for d in made if d.key not in removed])
    query = terms(data.draw(st.sampled_from(["电池寿命", "焊缝图像识别", "中药提取", "充电散热材料"])))
    expected = fresh.text_scores(query)
    assert incremental.text_scores(query) == pytest.approx(expected)
    incremental.compact()
    assert incremental.text_scores(query) == pytest.approx(expected)
    ours, theirs = incremental.top_text(query, 3), fresh.top_text(query, 3)
    assert [score for _, score in ours] == pytest.approx([score for _, score in theirs])


def test_top_text_agrees_with_full_scoring():
    index = MatchIndex.build(PATENTS)
    query = terms("电池健康安全")
    full = sorted(index.text_scores(query).items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    assert [k for k, _ in index.top_text(query, 2)] == [k for k, _ in full]
    assert [s for _, s in index.top_text(query, 2)] == pytest.approx([s for _, s in full])


ipcs = st.sampled_from(["H01M10/48", "H01M4/00", "G06V10/82", "B23K31/12", "A61K36/481"])
fields_ = st.sampled_from(["新能源", "智能制造", "生物医药"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(words, min_size=1, max_size=5), st.lists(ipcs, max_size=2),
                          st.lists(fields_, max_size=1), st.sampled_from(["", "学府街道", "华苑街道"])),
                min_size=1, max_size=15),
       st.lists(words, min_size=1, max_size=3), st.lists(ipcs, max_size=2), st.lists(fields_, max_size=1))
def test_the_bulk_and_the_incremental_segments_rank_alike(docs_, query_words, query_ipc, query_fields):
    made = [Document(f"D{i:02d}", "".join(title), "", tuple(ipc), tuple(f), region)
            for i, (title, ipc, f, region) in enumerate(docs_)]
    bulk = MatchIndex.build(made)
    incremental = MatchIndex()
    for document in made:
        incremental.add(document)
    query = Document("q", "".join(query_words), "", tuple(query_ipc), tuple(query_fields), "学府街道")
    ours = [(m.key, m.shared_ipc, m.shared_fields) for m in bulk.search(query, limit=20)]
    theirs = [(m.key, m.shared_ipc, m.shared_fields) for m in incremental.search(query, limit=20)]
    assert sorted(ours) == sorted(theirs)
    assert [m.score for m in bulk.search(query, limit=20)] == pytest.approx(
        [m.score for m in incremental.search(query, limit=20)], rel=1e-5)


def test_an_index_that_grows_one_by_one_folds_itself_and_still_scores_like_a_fresh_build(monkeypatch):
    from ipcity.operations.core import matching

    monkeypatch.setattr(matching, "COMPACT_AFTER", 3)
    index = MatchIndex()
    for document in PATENTS:
        index.add(document)
    assert len(index._recent) <= 3 and len(index) == len(PATENTS)
    query = terms("锂电池健康状态和固态电解质")
    assert index.text_scores(query) == pytest.approx(MatchIndex.build(PATENTS).text_scores(query))
