"""Shared pieces of the API's schemas: bounded parameters, paging, the error body."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from pydantic import AfterValidator

# Ids fit in a signed 64-bit integer (SQLite and PostgreSQL); larger numbers are a
# 400, not a database error.
MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 100_000

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
TownSlug = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")]


def _plain_text(value: str) -> str:
    """Text people type: no NUL characters or lone surrogates (the database refuses
    them, the pages' forms too)."""
    if "\x00" in value:
        raise ValueError(_("the text contains a NUL character"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("the text is not valid Unicode")) from None
    return value


Text = Annotated[str, AfterValidator(_plain_text)]


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in the request's language.")


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, at most {MAX_PAGE_SIZE} (more is a 400).",
    )


class PageMeta(Schema):
    count: int
    page: int
    page_size: int
    pages: int


def paginate(queryset, paging: Paging) -> tuple[list, dict]:
    """One page of ``queryset`` (ordered) and the paging figures."""
    count = queryset.count()
    start = (paging.page - 1) * paging.page_size
    items = list(queryset[start : start + paging.page_size]) if start < count else []
    pages = (count + paging.page_size - 1) // paging.page_size
    return items, {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": pages,
    }


# Errors each kind of operation may answer (documented in the OpenAPI schema).
READ_ERRORS = {400: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}

__all__ = [
    "Decimal",
    "date",
    "datetime",
    "ErrorOut",
    "Id",
    "Paging",
    "PageMeta",
    "Text",
    "TownSlug",
    "paginate",
]
