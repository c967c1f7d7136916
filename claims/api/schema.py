"""Post-processing of the OpenAPI schema: the API's one error shape on every operation, and
the filters' length limits (drf-spectacular leaves them out, and a longer value is a 400)."""

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


def schema_limits_add(result, generator, request, public) -> dict:  # noqa: ANN001
    """What drf-spectacular leaves out: a submission needs a body; the filters' lengths."""
    from ..filtersets import PublishedClaimApiFilter

    limits = {name: f.extra["max_length"] for name, f in PublishedClaimApiFilter.base_filters.items()
              if f.extra.get("max_length")}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["requestBody"]["required"] = True
            if operation.get("operationId") == "v1_claims_list":
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "query" and parameter["name"] in limits:
                        # Django's form fields refuse a NUL character as well.
                        parameter["schema"].update(maxLength=limits[parameter["name"]], pattern=r"^[^\u0000]*$")
    return result
