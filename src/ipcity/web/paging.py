"""One way for every HTML list that grows with use to show a page at a time, as the API's lists do (openapi.paginated):
a page of PER_PAGE rows, the page number from ?page= (the last page for a number past it, the first for anything
else, as Django's Paginator.get_page), and the pager (web/_pager.html) keeping the page's other parameters.

A page showing two or more such lists pages them with pages_of: the first by ?page=, another by
?list=<its name>&page=; paging one list shows the others from their first page."""

from django.core.paginator import Page, Paginator
from django.http import QueryDict

PER_PAGE = 50


def page_of(request, rows, per_page: int | None = None) -> Page:
    """A page of `rows` (a queryset, ordered, or a list) with `query`: the request's other parameters, for the
    pager's links. Only the page's rows are read, and one COUNT."""
    return _page(request.GET, rows, per_page)


def pages_of(request, **lists) -> dict[str, Page]:
    """A page of each list, by its name: `pages_of(request, applications=..., awards=...)`. Every pager link keeps
    the page's other parameters (its filters) and names its own list."""
    first = next(iter(lists))
    paged = request.GET.get("list")
    if paged not in lists:
        paged = first
    pages = {}
    for name, rows in lists.items():
        params = request.GET.copy()
        params.pop("list", None)
        if name != paged:
            params.pop("page", None)
        if name != first:
            params["list"] = name
        pages[name] = _page(params, rows)
    return pages


def _page(params: QueryDict, rows, per_page: int | None = None) -> Page:
    page = Paginator(rows, per_page or PER_PAGE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    page.query = query.urlencode()
    return page
