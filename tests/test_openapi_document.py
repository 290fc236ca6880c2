"""The OpenAPI document at /api/v1/openapi.json describes each operation's own request and response: no two schema
classes share a component name (django-ninja names components by class name, and the last one of a name wins)."""

import collections
import typing

from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel

from ipcity.api import api


def _operations():
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for operation in view.operations:
                yield f"{'/'.join(p for p in (bound.prefix, path) if p)} {','.join(operation.methods)}", operation


def _models_in(annotation, found: set) -> None:
    if typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            _models_in(argument, found)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in found:
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)


def _schema_classes(operation) -> set:
    found = set()
    for params in operation.models:  # ninja's wrappers around the body, query and path parameters
        for field in params.model_fields.values():
            _models_in(field.annotation, found)
    for response in operation.response_models.values():
        _models_in(response, found)
    return {model for model in found if not model.__module__.startswith("ninja")}


def test_every_schema_class_of_the_api_has_a_component_name_of_its_own():
    classes_by_name = collections.defaultdict(set)
    for _, operation in _operations():
        for model in _schema_classes(operation):
            classes_by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: sorted(classes) for name, classes in classes_by_name.items() if len(classes) > 1}
    assert shared == {}


def test_each_operation_documents_its_own_request_body(client):
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    wrong = []
    for where, operation in _operations():
        for params in operation.models:
            if params.__ninja_param_source__ != "body":
                continue
            own = params.model_json_schema(ref_template=REF_TEMPLATE, by_alias=True,
                                           schema_generator=NinjaGenerateJsonSchema, mode="validation")
            for name, definition in own.get("$defs", {}).items():
                if components.get(name) != definition:
                    wrong.append(f"{where}: {name}")
    assert wrong == []
    assert len(components) > 50  # the document really was read


def test_every_operation_keeps_its_published_operation_id():
    """Clients generated from the document name their methods by operationId: moving a view to another module must not
    rename it. tests/data/openapi-operation-ids.json pins them; a new operation is added to it on purpose."""
    import json
    from pathlib import Path

    pinned = json.loads((Path(__file__).parent / "data" / "openapi-operation-ids.json").read_text(encoding="utf-8"))
    document = api.get_openapi_schema()
    current = {f"{method.upper()} {path}": operation["operationId"]
               for path, item in document["paths"].items() for method, operation in item.items()}
    renamed = {key: (pinned[key], current[key]) for key in pinned.keys() & current.keys() if pinned[key] != current[key]}
    assert renamed == {}, "an operation changed its operationId"
    assert current.keys() - pinned.keys() == set(), "a new operation: add it to tests/data/openapi-operation-ids.json"
    assert pinned.keys() - current.keys() == set(), "an operation disappeared from the document"



def _names_its_fields(schema: dict, components: dict) -> bool:
    """An object with its properties, a list of such, or a choice among such: something a client can read an
    answer by. `{"type": "object"}` alone, or with additionalProperties only, says nothing of what comes back."""
    if "$ref" in schema:
        return _names_its_fields(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if schema.get("type") == "array":
        return _names_its_fields(schema.get("items", {}), components)
    for choice in ("anyOf", "oneOf", "allOf"):
        if choice in schema:
            return all(_names_its_fields(option, components) for option in schema[choice])
    if not schema or schema.get("type") == "object":
        return bool(schema.get("properties"))
    return True  # a string, a number, null: the value is the answer


def test_every_json_answer_of_the_api_names_its_fields(client):
    """A client generated from the document is told the fields of every answer, not just "an object". A file
    download (xlsx, docx, pdf, zip, csv…) declares its content types instead (ipcity.openapi.file_response)."""
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    undescribed = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            answers = {code: answer for code, answer in operation["responses"].items()
                       if code.startswith("2")}
            if not answers:
                undescribed.append(f"{where}: no successful answer declared")
            for code, answer in answers.items():
                content = answer.get("content", {})
                if not content and code != "204":
                    undescribed.append(f"{where} {code}: nothing declared (a schema, or file_response(types))")
                elif "application/json" in content and not _names_its_fields(
                        content["application/json"].get("schema", {}), components):
                    undescribed.append(f"{where} {code}: JSON without its fields (declare a response schema)")
    assert not undescribed, ("a client reading /api/v1/openapi.json is not told what these operations answer:\n"
                             + "\n".join(undescribed))


def test_the_document_is_built_once_per_process_and_then_served_as_built(client, monkeypatch):
    import ninja.main

    builds = []
    real = ninja.main.get_schema
    monkeypatch.setattr(ninja.main, "get_schema", lambda **kw: builds.append(1) or real(**kw))
    monkeypatch.setattr(api, "_openapi_schemas", {})
    first = client.get("/api/v1/openapi.json").json()
    assert client.get("/api/v1/openapi.json").json() == first
    assert len(builds) == 1 and "/api/v1/plan/indicators" in first["paths"]
