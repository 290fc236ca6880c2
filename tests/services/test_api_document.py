"""The OpenAPI document tells a client the fields of every answer the services API gives, not just "an object"."""


def _described(schema: dict, components: dict) -> bool:
    """A named schema with its fields, a list of them, or one of several (the expert's public or whole record)."""
    if "$ref" in schema:
        return bool(components[schema["$ref"].rsplit("/", 1)[-1]].get("properties"))
    if schema.get("type") == "array":
        return _described(schema["items"], components)
    if "anyOf" in schema:
        return all(_described(option, components) for option in schema["anyOf"])
    return False


def test_every_services_operation_documents_the_fields_it_answers_with(client):
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    undescribed = []
    for path, item in document["paths"].items():
        if not path.startswith("/api/v1/services/"):
            continue
        for method, operation in item.items():
            answers = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
            for code, response in answers.items():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if not _described(schema, components):
                    undescribed.append(f"{method.upper()} {path} {code}")
            if not answers:
                undescribed.append(f"{method.upper()} {path}")
    assert undescribed == [], "a client reading /api/v1/openapi.json is not told what these operations answer"


def test_the_talent_counts_are_documented_under_the_chinese_category_names_they_are_answered_with(client, db):
    document = client.get("/api/v1/openapi.json").json()
    counts = document["components"]["schemas"]["TalentCountsOut"]["properties"]
    answered = client.get("/api/v1/services/culture/talent").json()
    assert list(answered) == list(counts) and "专利代理师" in counts
