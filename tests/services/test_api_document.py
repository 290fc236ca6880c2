"""The OpenAPI document names the talent categories as they are answered (the whole API's answers are held described
by tests/test_openapi_document.py)."""


def test_the_talent_counts_are_documented_under_the_chinese_category_names_they_are_answered_with(client, db):
    document = client.get("/api/v1/openapi.json").json()
    counts = document["components"]["schemas"]["TalentCountsOut"]["properties"]
    answered = client.get("/api/v1/services/culture/talent").json()
    assert list(answered) == list(counts) and "专利代理师" in counts
