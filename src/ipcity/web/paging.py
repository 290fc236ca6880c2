"""One way for every HTML list that grows with use to show a page at a time, as the API's lists do (openapi.paginated):
a page of PER_PAGE rows, the page number from ?page= (the last page for a number past it, the first for anything
else, as Django's Paginator.get_page), and the pager (web/_pager.html) keeping the page's other parameters."""

from django.core.paginator import Page, Paginator

PER_PAGE = 50


def page_of(request, rows, per_page: int | None = None) -> Page:
    """A page of `rows` (a queryset, ordered, or a list) with `query`: the request's other parameters, for the
    pager's links. Only the page's rows are read, and one COUNT."""
    page = Paginator(rows, per_page or PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.query = query.urlencode()
    return page
