"""Documents the API's one error shape on every operation of the OpenAPI schema."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True,
                           "description": "For validation errors: the messages per field."},
                "retry_after": {"type": "integer", "description": "Seconds to wait (429 only)."},
            },
        }
    },
}

COMMON_ERRORS = {
    "400": "The request is malformed or has invalid fields.",
    "401": "No API key, or one that is unknown, revoked or expired.",
    "403": "The key lacks the scope this needs.",
    "404": "Not found, or not yours.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "429": "Over the rate limit; see Retry-After.",
}
WRITE_ERRORS = {"413": "The request body is too large.", "415": "Send JSON."}


def error_responses_add(result: dict, generator, request, public) -> dict:  # noqa: ANN001
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            errors = {**COMMON_ERRORS, **(WRITE_ERRORS if method in {"post", "put", "patch"} else {})}
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result
