"""What the JSON API's operations share beyond django-ninja: how an operation that answers with a file (an
HttpResponse) instead of JSON is documented (django-ninja documents only the JSON responses it renders itself), and
how a list that grows with records answers one page at a time."""

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpResponse
from pydantic import Field

from ipcity.bounds import Limit, Offset

# A [name, count] pair as an answer gives it (a JSON array of two). Not tuple[str, int]: its prefixItems are
# JSON Schema 2020-12, which OpenAPI 3.0 tools (schemathesis among them) read as an invalid schema.
NameCount = Annotated[list[str | int], Field(min_length=2, max_length=2, description="[名称, 数量]")]


def file_response(*content_types: str, description: str = "文件下载") -> dict:
    """`openapi_extra` naming each content type the 200 response may carry as a binary body, so a generated
    client knows it downloads a file; merged into a JSON response declared beside it (csv or json from one
    operation)."""
    content = {kind.split(";")[0].strip(): {"schema": {"type": "string", "format": "binary"}}
               for kind in content_types}
    return {"responses": {200: {"description": description, "content": content}}}


# ---- lists that grow with records: one page at a time ----
PAGE_MAX = 500  # rows one answer holds at most (and by default)
PAGE_NOTE = (f"分页：offset 为跳过的条数，limit 为本页条数（默认且最多 {PAGE_MAX} 条）；"
             "响应头 X-Total-Count 为符合条件的总条数。")


@dataclass(frozen=True)
class Rows:
    """What a paginated list operation returns: its rows in a stable order (a queryset or a list) and, when a row
    needs writing out, how (applied to the rows of the page only, so a long list costs one page of work): `out` a
    row at a time, or `out_page` the page's rows together (what a page shares is then looked up once for all)."""
    rows: Any
    out: Callable[[Any], Any] | None = None
    out_page: Callable[[list], list] | None = None


def paginated(view):
    """A list operation that answers one page: `offset` (rows skipped) and `limit` (rows wanted, at most PAGE_MAX,
    which is also the default) as query parameters, and the number of rows in all in the X-Total-Count header.
    The view returns its rows (or Rows); a queryset is counted and sliced in the database."""
    signature = inspect.signature(view)
    extra = [inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=Offset),
             inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, default=PAGE_MAX, annotation=Limit),
             inspect.Parameter("response", inspect.Parameter.KEYWORD_ONLY, annotation=HttpResponse)]
    params = list(signature.parameters.values())
    assert not {p.name for p in params} & {p.name for p in extra}, f"{view.__name__} pages by itself"

    @functools.wraps(view)
    def page(request, *args, offset: int = 0, limit: int = PAGE_MAX, response: HttpResponse, **kwargs):
        result = view(request, *args, **kwargs)
        rows = result if isinstance(result, Rows) else Rows(result)
        return one_page(rows.rows, offset=offset, limit=limit, response=response, out=rows.out,
                        out_page=rows.out_page)

    page.__signature__ = signature.replace(parameters=params + extra)
    page.__doc__ = PAGE_NOTE  # django-ninja shows it as the operation's description
    return page


def one_page(rows, *, offset: int, limit: int, response: HttpResponse, out: Callable[[Any], Any] | None = None,
             out_page: Callable[[list], list] | None = None) -> list:
    """The rows from `offset`, at most `limit` and PAGE_MAX of them, each written out by `out` (or all of them by
    `out_page`); the number of rows in all goes into the X-Total-Count header. For an answer that holds its list
    inside an object; a list answer takes `paginated`."""
    assert out is None or out_page is None, "a page is written out one way"
    end = offset + min(limit, PAGE_MAX)
    if isinstance(rows, QuerySet):
        rows = _in_a_total_order(rows)
        total, chosen = rows.count(), list(rows[offset:end])
    else:
        rows = list(rows)
        total, chosen = len(rows), rows[offset:end]
    response["X-Total-Count"] = str(total)
    if out_page is not None:
        return out_page(chosen)
    return [out(row) for row in chosen] if out is not None else chosen


def _in_a_total_order(rows: QuerySet) -> QuerySet:
    """The query's own order, else its model's (which Django leaves out of a query that counts per row), then what
    tells its rows apart where the order does not yet: pages of an order with ties (two records of one date or name)
    could otherwise overlap and skip."""
    if rows.query.combinator:  # a union orders only by its selected columns; leave it as it is
        return rows
    order = list(rows.query.order_by)
    if not order and rows.query.default_ordering:
        order = [field for field in rows.model._meta.ordering if field != "?"]
    ordered_by = {item.lstrip("-") for item in order if isinstance(item, str)}
    return rows.order_by(*order, *(key for key in _row_keys(rows.query) if key not in ordered_by))


def _row_keys(query) -> list[str]:
    """What no two rows of the query share."""
    if isinstance(query.group_by, tuple):
        # A row of `values(...).annotate(<aggregate>)` is a group, told apart by what it is grouped by. The primary
        # key is not a key there: Django groups by whatever it orders by, so each record would become its own group.
        return [*query.values_select, *(name for name, annotation in query.annotation_select.items()
                                        if not annotation.contains_aggregate)]
    return ["pk"]
