"""The OpenAPI 3 description of /api/v1/, served at /api/v1/schema.

The request body is built from the same table the validator reads
(feedback.integrations.fields), so the two cannot drift apart; the responses are
written out by hand and checked against the views by the schemathesis test.
"""

from feedback.integrations.fields import (
    MAX_CODE,
    PETITION_FIELDS,
    SUBMITTER_FIELDS,
)
from workflow.models import State

JSON = "application/json"


# A body as the portal sends it (category of the demo data, Lạng Sơn province).
EXAMPLE_PETITION = {
    "external_id": "DVC-2026-000001",
    "submitter": {
        "kind": "citizen",
        "name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "phone": "0912345678",
    },
    "title": "Đường liên xã xuống cấp",
    "content": "Đề nghị sửa chữa đoạn đường liên xã qua thôn Bản Pò.",
    "category": "dat-dai-moi-truong",
    "province": 20,
    "priority": "normal",
    "language": "vi",
    "publish_consent": False,
}


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "PAKN intake API",
            "version": "1.0.0",
            "description": (
                "Petitions (phản ánh, kiến nghị) delivered by the National Public "
                "Service Portal. Authenticate with `Authorization: Bearer <key>` "
                "(keys from `manage.py create_api_key NAME`). Delivery is "
                "idempotent on `external_id`: sending the same id again returns "
                "the first petition with 200 and creates nothing."
            ),
            "license": {
                "name": "AGPL-3.0-or-later",
                "url": "https://www.gnu.org/licenses/agpl-3.0.html",
            },
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/api/v1/petitions": {
                "post": {
                    "operationId": "submitPetition",
                    "summary": "Deliver a petition from the portal",
                    "requestBody": {
                        "required": True,
                        "content": {
                            JSON: {
                                "schema": _ref("NewPetition"),
                                "example": EXAMPLE_PETITION,
                            }
                        },
                    },
                    "responses": {
                        "201": _response(
                            "Created; `secret` is shown this once", "CreatedPetition"
                        ),
                        "200": _response(
                            "Already delivered under this external_id; nothing new",
                            "Petition",
                        ),
                        "400": _response("Bad fields, each named", "ValidationError"),
                        "401": _response("Missing, unknown or inactive key", "Error"),
                        "413": _response("Body too large", "Error"),
                        "429": _rate_limited(),
                    },
                }
            },
            "/api/v1/petitions/{tracking_code}": {
                "get": {
                    "operationId": "getPetition",
                    "summary": "State, deadlines and answer of a portal petition",
                    "parameters": [
                        {
                            "name": "tracking_code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _response("The petition", "PetitionWithHistory"),
                        "401": _response("Missing, unknown or inactive key", "Error"),
                        "404": _response("No petition from the portal", "Error"),
                        "429": _rate_limited(),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(),
        },
    }


def _schemas() -> dict:
    moment = {"type": "string", "format": "date-time"}
    nullable_moment = {**moment, "nullable": True}
    nullable_text = {"type": "string", "nullable": True}
    petition = {
        "type": "object",
        "required": [
            "tracking_code",
            "external_id",
            "state",
            "state_label",
            "is_open",
            "category",
            "agency",
            "received_at",
            "deadlines",
            "answer",
            "rejection",
            "closed_at",
        ],
        "properties": {
            "tracking_code": {"type": "string", "example": "7KQ2MXH4PA"},
            "external_id": nullable_text,
            "state": {"type": "string", "enum": list(State.values)},
            "state_label": {"type": "string"},
            "is_open": {"type": "boolean"},
            "category": {"type": "string"},
            "agency": {**nullable_text, "description": "Agency handling it"},
            "received_at": moment,
            "deadlines": {
                "type": "object",
                "required": ["due_at", "next_due_at"],
                "properties": {
                    "due_at": {
                        **nullable_moment,
                        "description": "Answer deadline (null until set)",
                    },
                    "next_due_at": {
                        **nullable_moment,
                        "description": "Earliest running deadline",
                    },
                },
            },
            "answer": {
                "type": "object",
                "nullable": True,
                "required": ["text", "answered_at"],
                "properties": {"text": {"type": "string"}, "answered_at": moment},
            },
            "rejection": {
                "type": "object",
                "nullable": True,
                "required": ["reason", "redirect_hint"],
                "properties": {
                    "reason": {"type": "string"},
                    "redirect_hint": {"type": "string"},
                },
            },
            "closed_at": nullable_moment,
        },
    }
    return {
        "NewPetition": _object(PETITION_FIELDS, submitter=_ref("Submitter")),
        "Submitter": {
            **_object(SUBMITTER_FIELDS),
            "description": "Give an email address or a phone number (or both).",
        },
        "Petition": petition,
        "CreatedPetition": {
            "allOf": [
                _ref("Petition"),
                {
                    "type": "object",
                    "required": ["secret"],
                    "properties": {
                        "secret": {
                            "type": "string",
                            "description": "With the tracking code, lets the "
                            "submitter follow the petition; not stored in clear",
                        }
                    },
                },
            ]
        },
        "PetitionWithHistory": {
            "allOf": [
                _ref("Petition"),
                {
                    "type": "object",
                    "required": ["history"],
                    "properties": {
                        "history": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["at", "action", "state"],
                                "properties": {
                                    "at": moment,
                                    "action": {"type": "string"},
                                    "state": {
                                        "type": "string",
                                        "enum": list(State.values),
                                    },
                                },
                            },
                        }
                    },
                },
            ]
        },
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": {
                "error": {"type": "string"},
                "message": {"type": "string"},
                "retry_after": {"type": "integer", "description": "Seconds (429)"},
            },
        },
        "ValidationError": {
            "type": "object",
            "required": ["error", "message", "errors"],
            "properties": {
                "error": {"type": "string", "enum": ["invalid"]},
                "message": {"type": "string"},
                "errors": {
                    "type": "object",
                    "description": "Messages per field; nested fields are dotted "
                    "(submitter.email); `body` for the body as a whole",
                    "additionalProperties": {
                        "type": "array",
                        "items": {"type": "string"},
                    },
                },
            },
        },
    }


def _object(fields, **extra_properties) -> dict:
    properties = {name: _property(field) for name, field in fields.items()}
    properties.update(extra_properties)
    required = [name for name, field in fields.items() if field.required]
    required += list(extra_properties)
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


def _property(field) -> dict:
    prop = {"description": field.description}
    if field.kind is int:
        prop.update(type="integer", minimum=1, maximum=MAX_CODE)
    elif field.kind is bool:
        prop["type"] = "boolean"
    else:
        prop["type"] = "string"
        if field.max_length is not None:
            prop["maxLength"] = field.max_length
        if field.choices:
            # OpenAPI 3.0: a nullable enum lists null among its values.
            prop["enum"] = list(field.choices) + ([] if field.required else [None])
        if field.required:
            prop["minLength"] = 1
    if not field.required:
        # Optional fields may be null, which counts as left out.
        prop["nullable"] = True
    return prop


def _ref(name) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(description, schema_name) -> dict:
    return {
        "description": description,
        "content": {JSON: {"schema": _ref(schema_name)}},
    }


def _rate_limited() -> dict:
    response = _response("Over the key's requests per minute", "Error")
    response["headers"] = {
        "Retry-After": {
            "description": "Seconds until the next window",
            "schema": {"type": "integer"},
        }
    }
    return response
