"""Routes that answer from the read tables before FastAPI solves their parameters.

The hot questions (task by id, search, department tasks, co-owned, one jurisdiction's network)
are SQL on the read tables (``govkg.api.tables``) while those are of the store's last
generation. Solving an endpoint's parameters costs FastAPI more than that SQL (on a 100k-task
store: 250–550 µs per request, the SQL 60–200 µs), so a ``TableRoute`` whose endpoint is marked
with ``from_tables(answer)`` first reads the query by the endpoint's own declared parameters
(``Plain``) and calls ``answer(tables, values)``. The endpoint answers as usual, with FastAPI's
validation and errors, when:

- a parameter is not plain: repeated, not a decimal integer, out of its declared bounds, not one
  of its enumeration's values, or of a kind ``Plain`` does not read;
- the read tables are not of the last generation;
- ``answer`` gives None (e.g. a department named by an alias, which the graph resolves).

Parameters the endpoint does not declare are ignored, as FastAPI ignores them.

>>> api = APIRouter(route_class=TableRoute)  # doctest: +SKIP
>>> @api.get("/tasks/{task_id}")  # doctest: +SKIP
... @from_tables(lambda tables, v: tables.task(v["task_id"]) and Response(...))
... async def task(task_id: str) -> Task: ...
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import annotated_types
from fastapi import Request, Response
from fastapi.dependencies.utils import get_flat_params
from fastapi.params import ParamTypes
from fastapi.routing import APIRoute
from pydantic_core import PydanticUndefined

from govkg.api.tables import Tables

TableAnswer = Callable[[Tables, Mapping[str, Any]], Response | None]
_F = TypeVar("_F", bound=Callable[..., Any])
_ANSWER = "table_answer"
_DECIMAL = re.compile(r"-?[0-9]{1,18}")


def from_tables(answer: TableAnswer) -> Callable[[_F], _F]:
    """Mark an endpoint of a ``TableRoute`` as answered by ``answer(tables, values)`` when it can
    (``values``: the endpoint's parameters by name, defaults filled in)."""

    def mark(endpoint: _F) -> _F:
        setattr(endpoint, _ANSWER, answer)
        return endpoint

    return mark


@dataclass(frozen=True, slots=True)
class Param:
    """One declared query or path parameter: its name, the key it is read by, its default
    (``PydanticUndefined``: required) and a reader of one raw value (None: not plain)."""

    name: str
    alias: str
    default: Any
    read: Callable[[str], Any] | None  # None: a kind not read here


class _NotPlain(Exception):
    pass


def _reader(annotation: Any, metadata: list[Any]) -> Callable[[str], Any] | None:
    """How to read one raw value of a parameter of this type, as FastAPI would; None for types
    this does not read (the parameter is then plain only when absent)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(kinds) != 1:
            return None
        annotation = kinds[0]
    if annotation is str and not metadata:
        return str
    if annotation is int:
        low = max((m.ge for m in metadata if isinstance(m, annotated_types.Ge)), default=None)
        high = min((m.le for m in metadata if isinstance(m, annotated_types.Le)), default=None)
        if any(not isinstance(m, annotated_types.Ge | annotated_types.Le) for m in metadata):
            return None

        def read_int(raw: str) -> int:
            if not _DECIMAL.fullmatch(raw):
                raise _NotPlain
            value = int(raw)
            if (low is not None and value < low) or (high is not None and value > high):
                raise _NotPlain
            return value

        return read_int
    if isinstance(annotation, type) and issubclass(annotation, enum.StrEnum) and not metadata:
        members = {member.value: member for member in annotation}

        def read_member(raw: str) -> enum.StrEnum:
            if raw not in members:
                raise _NotPlain
            return members[raw]

        return read_member
    return None


@dataclass(frozen=True, slots=True)
class Plain:
    """The query and path parameters an endpoint declares, read without FastAPI's solving.

    >>> Plain.of(route.dependant).values(request)  # doctest: +SKIP
    {'name': '市教育局', 'offset': 0, 'limit': 50, 'year': None}
    """

    path: tuple[Param, ...]
    query: tuple[Param, ...]

    @classmethod
    def of(cls, dependant: Any) -> Plain:
        """The parameters of a FastAPI ``Dependant`` (its dependencies' included); ValueError for one
        read from headers or cookies, which ``values`` does not read."""
        fields = get_flat_params(dependant)
        if other := [f.alias for f in fields if f.field_info.in_ not in (ParamTypes.path, ParamTypes.query)]:
            raise ValueError(f"parameters read from headers or cookies: {other}")

        def params(kind: ParamTypes) -> tuple[Param, ...]:
            return tuple(
                Param(f.name, f.alias, f.field_info.default, _reader(f.field_info.annotation, f.field_info.metadata))
                for f in fields
                if f.field_info.in_ is kind
            )

        return cls(params(ParamTypes.path), params(ParamTypes.query))

    def values(self, request: Request) -> dict[str, Any] | None:
        """The parameters by name, defaults filled in; None when one is not plain."""
        given = request.query_params
        found: dict[str, Any] = {}
        try:
            for p in self.path:
                if p.read is None:
                    return None
                found[p.name] = p.read(request.path_params[p.alias])
            for p in self.query:
                raw = given.getlist(p.alias)
                if not raw:
                    if p.default is PydanticUndefined:
                        return None
                    found[p.name] = p.default
                elif len(raw) > 1 or p.read is None:
                    return None
                else:
                    found[p.name] = p.read(raw[0])
        except _NotPlain:
            return None
        return found


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class TableRoute(APIRoute):
    """An ``APIRoute`` that, for an endpoint marked ``from_tables``, answers from the served store's
    read tables (``request.app.state.govkg.tables()``) when it can, and otherwise runs the
    endpoint as any route does."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        answer: TableAnswer | None = getattr(self.endpoint, _ANSWER, None)
        if answer is None:
            return handler
        plain = Plain.of(self.dependant)

        async def tables_first(request: Request) -> Response:
            if (
                (values := plain.values(request)) is not None
                and (tables := request.app.state.govkg.tables()) is not None
                and (response := answer(tables, values)) is not None
            ):
                return response
            return await handler(request)

        return tables_first
