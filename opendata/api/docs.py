"""/api/v1/docs/: the API's documentation as one plain page of this site.

Swagger UI failed axe-core (31 violations: contrast, labels, landmarks) and needs
inline scripts and styles that the Content Security Policy forbids. This page is
rendered on the server from the same OpenAPI schema that /api/v1/schema/ serves, with
the site's own layout, so it is keyboard- and screen-reader-friendly, works without
JavaScript, and cannot drift from the schema.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass(frozen=True)
class Response:
    status: str
    schema: str


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    tag: str
    parameters: tuple[Parameter, ...]
    responses: tuple[Response, ...]


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Component:
    name: str
    description: str
    properties: tuple[Property, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Docs:
    title: str
    version: str
    description: str
    operations: tuple[Operation, ...]
    components: tuple[Component, ...]


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("allOf", "oneOf", "anyOf"):
        if key in schema:
            return " | ".join(_type(part) for part in schema[key])
    kind = str(schema.get("type", "object"))
    if kind == "array":
        return f"array[{_type(schema.get('items', {}))}]"
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    if schema.get("enum"):
        kind += ": " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    if schema.get("nullable"):
        kind += ", null"
    return kind


def _response_schema(body: dict[str, Any]) -> str:
    for media in (body.get("content") or {}).values():
        return _type(media.get("schema") or {})
    return ""


def docs_from_schema(schema: dict[str, Any]) -> Docs:
    """Turn an OpenAPI 3 schema into the rows the page shows."""
    operations = []
    for path, item in sorted(schema.get("paths", {}).items()):
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            parameters = tuple(
                Parameter(
                    name=str(p.get("name", "")),
                    where=str(p.get("in", "")),
                    required=bool(p.get("required")),
                    type=_type(p.get("schema") or {}),
                    description=str(p.get("description", "")),
                )
                for p in op.get("parameters", [])
            )
            responses = tuple(
                Response(status=str(code), schema=_response_schema(body or {}))
                for code, body in sorted(op.get("responses", {}).items())
            )
            operations.append(
                Operation(
                    anchor=str(op.get("operationId") or f"{method}-{path}"),
                    method=method.upper(),
                    path=path,
                    summary=str(op.get("summary", "")),
                    description=str(op.get("description", "")),
                    tag=str((op.get("tags") or [""])[0]),
                    parameters=parameters,
                    responses=responses,
                )
            )
    components = []
    for name, comp in sorted(
        (schema.get("components") or {}).get("schemas", {}).items()
    ):
        required = set(comp.get("required", []))
        components.append(
            Component(
                name=name,
                description=str(comp.get("description", "")),
                properties=tuple(
                    Property(
                        name=prop_name,
                        type=_type(prop),
                        required=prop_name in required,
                        description=str(prop.get("description", "")),
                    )
                    for prop_name, prop in (comp.get("properties") or {}).items()
                ),
            )
        )
    info = schema.get("info", {})
    return Docs(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        description=str(info.get("description", "")),
        operations=tuple(operations),
        components=tuple(components),
    )


@functools.cache
def api_docs() -> Docs:
    """The schema does not change while the process runs: build it once."""
    return docs_from_schema(SchemaGenerator().get_schema(request=None, public=True))


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/api_docs.html", {"docs": api_docs()})
