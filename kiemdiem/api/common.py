"""What every endpoint shares: limit/offset pagination with the total, small reference
objects, and a 404 that does not tell "absent" from "not yours" (as on the web)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    # pydantic would also take 0 or "1700000000" as seconds since 1970: a date sent to this
    # API is written the one way people read it back.
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "date must be YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
NOT_FOUND = "Không tìm thấy, hoặc đồng chí không có quyền xem."


def _clean_text(value: Any) -> Any:
    """Text that a database can store: PostgreSQL refuses NUL characters, and a lone UTF-16
    surrogate cannot be encoded at all (both found by the fuzzer as server errors)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise PydanticCustomError("text_encoding", "invalid character") from None
        if "\x00" in value:
            raise PydanticCustomError("text_nul", "NUL character")
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_text(key)
            _clean_text(item)
    elif isinstance(value, list):
        for item in value:
            _clean_text(item)
    return value


class In(Schema):
    """Every input (body or query): no field beyond those documented, text storable."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return _clean_text(value)


class Paging(In):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Số dòng mỗi trang.")
    offset: int = Field(0, ge=0, description="Bỏ qua bao nhiêu dòng đầu.")


class Page(Schema, Generic[T]):
    items: list[T]
    total: int = Field(description="Tổng số dòng khớp điều kiện, trên mọi trang.")
    limit: int
    offset: int


def page(
    qs: QuerySet[M], paging: Paging, convert: Callable[[list[M]], Iterable[Any]] | None = None
) -> dict[str, Any]:
    """One page of `qs` and the total: two queries, whatever the table's size. `convert` may
    turn the page's rows into richer items with a fixed number of further queries."""
    total = qs.count()
    rows = list(qs[paging.offset : paging.offset + paging.limit]) if total > paging.offset else []
    items = list(convert(rows)) if convert is not None else rows
    return {"items": items, "total": total, "limit": paging.limit, "offset": paging.offset}


def get_or_404(qs: QuerySet[M], **lookup: Any) -> M:
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


class Ref(Schema):
    """Another object, named: enough to show it and to fetch it."""

    id: int
    name: str


class MemberRef(Schema):
    id: int
    code: str
    full_name: str


class ErrorItem(Schema):
    field: str = Field(description="Trường có lỗi (rỗng: lỗi chung).")
    message: str


class ErrorOut(Schema):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt.")
    errors: list[ErrorItem] = Field(default_factory=list, description="Từng lỗi cụ thể.")


def attach(obj: M, **values: Any) -> M:
    """Put computed values on a row so a detail schema validates straight from it (aliases
    and resolvers then see the model, never a half-converted dict)."""
    for key, value in values.items():
        setattr(obj, f"api_{key}", value)
    return obj


def attached(key: str) -> Any:
    """A resolver reading a value put on the row by `attach`."""
    return staticmethod(lambda obj: getattr(obj, f"api_{key}"))


def ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}
