"""What the OpenAPI document says about an operation that answers with a file (an HttpResponse) instead of
JSON: django-ninja documents only the JSON responses it renders itself."""


def file_response(*content_types: str, description: str = "文件下载") -> dict:
    """`openapi_extra` naming each content type the 200 response may carry as a binary body, so a generated
    client knows it downloads a file; merged into a JSON response declared beside it (csv or json from one
    operation)."""
    content = {kind.split(";")[0].strip(): {"schema": {"type": "string", "format": "binary"}}
               for kind in content_types}
    return {"responses": {200: {"description": description, "content": content}}}
