"""The OpenAPI 3 description of /api/v1/, served at /api/v1/schema.

As strict as the validator, so that a client generated from it sends what the
server takes: the request body is built from the same table the validator reads
(feedback.integrations.fields, with the intake rules' patterns), the codes it
takes are listed (active categories, current provinces, and the communes of each
province), and the rules between fields are stated with anyOf (an e-mail address
or a phone number; a business's tax code; a commune of the province given). The
responses are written out by hand and checked against the views by the
schemathesis test (tests/integrations/test_api_schema.py).
"""

from feedback.integrations.fields import (
    BLANK,
    MAX_BODY_BYTES,
    MAX_CODE,
    MAX_DEPTH,
    NON_BLANK,
    OPTIONAL_TEXT,
    PETITION_FIELDS,
    REQUIRED_TEXT,
    SUBMITTER_FIELDS,
)
from workflow.models import State, SubmitterKind

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


def openapi_document(codes) -> dict:
    """The document for the codes taken today (feedback.integrations.queries.Codes)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "PAKN intake API",
            "version": "1.0.0",
            "description": (
                "Petitions (phản ánh, kiến nghị) delivered by the National Public "
                "Service Portal. Authenticate with `Authorization: Bearer <key>` "
                "(keys from `manage.py create_api_key NAME`). A key reads only "
                "what its own integration filed. Delivery is idempotent on "
                "`external_id`: sending the same id again with a key of the same "
                "integration returns the first petition with 200 and creates "
                "nothing. Bodies are UTF-8 JSON of at most "
                f"{MAX_BODY_BYTES} bytes, nested at most {MAX_DEPTH} levels, "
                "with no key twice in one object and no integer over 4,300 "
                "digits; no text may hold a lone surrogate, a control character "
                "other than whitespace (U+0000-U+0008, U+000E-U+001B, "
                "U+007F-U+0084, U+0086-U+009F) or an explicit direction "
                "formatting character (U+202A-U+202E, U+2066-U+2069: embeddings, "
                "overrides, isolates). The codes the "
                "body takes are listed here and served by /api/v1/categories, "
                "/api/v1/provinces and /api/v1/provinces/{province}/communes."
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
                        "411": _response(
                            "A body still chunked (send a Content-Length)", "Error"
                        ),
                        "409": _response(
                            "This external_id was already delivered with another "
                            "title, text, category or place; nothing stored (the "
                            "error names the first petition's tracking_code)",
                            "Error",
                        ),
                        "413": _response("Body too large", "Error"),
                        "429": _rate_limited(),
                    },
                }
            },
            "/api/v1/petitions/{tracking_code}": {
                "get": {
                    "operationId": "getPetition",
                    "summary": "State, deadlines and answer of a petition this "
                    "key's integration filed",
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
                        "400": _response("A path that is not text", "ValidationError"),
                        "401": _response("Missing, unknown or inactive key", "Error"),
                        "404": _response(
                            "No petition this key's integration filed has this code",
                            "Error",
                        ),
                        "429": _rate_limited(),
                    },
                }
            },
            **_code_paths(codes),
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(codes),
        },
    }


def _code_paths(codes) -> dict:
    """The reference reads, open without a key (the same data as the citizen form's)."""
    code_name = {
        "type": "object",
        "required": ["code", "name"],
        "properties": {"code": {"type": "integer"}, "name": {"type": "string"}},
    }
    return {
        "/api/v1/categories": _code_read(
            "listCategories",
            "Active categories: `category` takes their codes",
            "categories",
            {
                "type": "object",
                "required": ["code", "name", "name_en"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "name_en": {"type": "string"},
                },
            },
        ),
        "/api/v1/provinces": _code_read(
            "listProvinces",
            "Current provinces: `province` takes their official codes",
            "provinces",
            code_name,
        ),
        "/api/v1/provinces/{province}/communes": _code_read(
            "listCommunes",
            "Current communes and wards of a province: `commune` takes their codes",
            "communes",
            code_name,
            parameters=[
                {
                    "name": "province",
                    "in": "path",
                    "required": True,
                    "schema": {
                        "type": "integer",
                        "enum": [p["code"] for p in codes.provinces],
                    },
                }
            ],
        ),
    }


def _code_read(operation_id, summary, key, item, parameters=()) -> dict:
    responses = {
        "200": {
            "description": summary,
            "content": {
                JSON: {
                    "schema": {
                        "type": "object",
                        "required": [key],
                        "properties": {key: {"type": "array", "items": item}},
                    }
                }
            },
        }
    }
    if parameters:
        responses["400"] = _response("Not a province code", "Error")
        responses["404"] = _response("No current province has this code", "Error")
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "security": [],
        "responses": responses,
    }
    if parameters:
        operation["parameters"] = list(parameters)
    return {"get": operation}


def _schemas(codes) -> dict:
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
    new_petition = _object(PETITION_FIELDS, submitter=_ref("Submitter"))
    properties = new_petition["properties"]
    if codes.categories:
        properties["category"]["enum"] = [c["code"] for c in codes.categories]
    properties["province"]["enum"] = [p["code"] for p in codes.provinces]
    properties["category"]["description"] += " (GET /api/v1/categories)"
    properties["province"]["description"] += " (GET /api/v1/provinces)"
    properties["commune"]["description"] += (
        " (GET /api/v1/provinces/{province}/communes)"
    )
    # A commune of the province given: one branch per province.
    new_petition["anyOf"] = [
        {
            "properties": {
                "province": {"enum": [province["code"]]},
                "commune": {
                    "type": "integer",
                    "nullable": True,
                    "enum": [
                        c["code"] for c in codes.communes.get(province["code"], [])
                    ]
                    + [None],
                },
            }
        }
        for province in codes.provinces
    ]
    submitter = _object(SUBMITTER_FIELDS)
    submitter["description"] = (
        "Give an email address or a phone number (or both); a business gives "
        "its tax code."
    )
    submitter["allOf"] = [
        {
            "anyOf": [
                {
                    "required": ["email"],
                    "properties": {"email": {"type": "string", "format": "email"}},
                },
                {
                    "required": ["phone"],
                    "properties": {"phone": {"type": "string", "pattern": NON_BLANK}},
                },
            ]
        },
        {
            "anyOf": [
                {
                    "properties": {
                        "kind": {
                            "type": "string",
                            "nullable": True,
                            "enum": [SubmitterKind.CITIZEN.value, None],
                        }
                    }
                },
                {
                    "required": ["tax_code"],
                    "properties": {
                        "tax_code": {"type": "string", "pattern": NON_BLANK}
                    },
                },
            ]
        },
    ]
    return {
        "NewPetition": new_petition,
        "Submitter": submitter,
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
                "tracking_code": {
                    "type": "string",
                    "description": "The petition first filed under the id (409)",
                },
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
        elif field.required:
            # Blank text counts as missing.
            prop["pattern"] = REQUIRED_TEXT
        elif not field.is_email:
            prop["pattern"] = OPTIONAL_TEXT
        if field.pattern:
            prop["pattern"] = field.pattern
        if field.is_email:
            # An address, or blank for none.
            prop["anyOf"] = [{"format": "email"}, {"pattern": BLANK}]
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
