"""What the OpenAPI document says about an operation that answers with a file (an HttpResponse) instead of
JSON: django-ninja documents only the JSON responses it renders itself."""

from typing import Annotated

from pydantic import Field

# A [name, count] pair as an answer gives it (a JSON array of two). Not tuple[str, int]: its prefixItems are
# JSON Schema 2020-12, which OpenAPI 3.0 tools (schemathesis among them) read as an invalid schema.
NameCount = Annotated[list[str | int], Field(min_length=2, max_length=2, description="[名称, 数量]")]


def file_response(*content_types: str, description: str = "文件下载") -> dict:
    """`openapi_extra` naming each content type the 200 response may carry as a binary body, so a generated
    client knows it downloads a file; merged into a JSON response declared beside it (csv or json from one
    operation)."""
    content = {kind.split(";")[0].strip(): {"schema": {"type": "string", "format": "binary"}}
               for kind in content_types}
    return {"responses": {200: {"description": description, "content": content}}}
