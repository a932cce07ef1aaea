"""Check real answers against the API schema the portal publishes (/api/schema/).

`assert_documented(response, path, method)` validates an answer of the test client against the
schema of its operation and status code; the schema is fetched once per test run.
"""

import functools
import json
from typing import Any

import jsonschema
from django.test import Client

SCHEMA_URL = "/api/schema/?format=json&lang=en"


@functools.cache
def api_schema() -> dict[str, Any]:
    response = Client().get(SCHEMA_URL)
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable` as JSON Schema says it: or null."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@functools.cache
def _root() -> dict[str, Any]:
    return {"components": _as_json_schema(api_schema()["components"])}


def documented_answer(path: str, method: str, status: int) -> dict[str, Any]:
    """The schema's response object for (path, method, status)."""
    operation = api_schema()["paths"][path][method.lower()]
    responses = operation["responses"]
    assert str(status) in responses, (
        f"{method.upper()} {path} answered {status}, documented: {sorted(responses)}"
    )
    return responses[str(status)]


def assert_documented(response, path: str, method: str = "get") -> None:
    """The answer's status, content type and body are as the schema documents them."""
    answer = documented_answer(path, method, response.status_code)
    media_type = response["Content-Type"].split(";")[0].strip()
    content = answer.get("content", {})
    assert media_type in content, (
        f"{method.upper()} {path} {response.status_code} answered {media_type}, "
        f"documented: {sorted(content)}"
    )
    schema = content[media_type].get("schema")
    if schema is None or media_type != "application/json":
        return
    validator = jsonschema.Draft4Validator(
        {**_root(), **_as_json_schema(schema)},
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(response.json()), key=lambda error: error.path)
    assert not errors, "\n".join(
        f"{method.upper()} {path} {response.status_code}: at {list(error.path)}: {error.message}"
        for error in errors
    )
