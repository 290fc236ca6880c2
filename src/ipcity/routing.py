"""The web handler answers a request for a fixed address (one without a converter, like the registration API's) from
a table made once at start, instead of trying the URL patterns in order. The API's 278 routes come after the pages', so
a registration tried about a hundred patterns first: 54 µs warm on this machine, against under 1 µs from the table,
and more in a server whose caches the database and the other processes share."""

from django.core.handlers.wsgi import WSGIHandler
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import ResolverMatch, RoutePattern


def _fixed_paths(patterns, prefix: str = ""):
    """Every address one pattern answers alone: plain routes (no converter, no regular expression) along plain
    includes."""
    for pattern in patterns:
        route = pattern.pattern
        if not isinstance(route, RoutePattern) or route.converters:
            continue
        if isinstance(pattern, URLResolver):
            yield from _fixed_paths(pattern.url_patterns, prefix + str(route))
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + str(route)


class FixedRouteHandler(WSGIHandler):
    """Django's WSGI handler, resolving fixed addresses from a table. The table holds what Django's own resolver
    answered for each, so an earlier pattern that also matches an address still wins, as it would in Django."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        resolver = get_resolver()
        self._fixed = {path: resolver.resolve(path) for path in set(_fixed_paths(resolver.url_patterns))}

    def fixed_addresses(self) -> set[str]:
        return set(self._fixed)

    def resolve_request(self, request):
        match = None if hasattr(request, "urlconf") else self._fixed.get(request.path_info)
        if match is None:
            return super().resolve_request(request)
        # Each request its own, as Django's resolver gives (a middleware's process_view is handed the kwargs to change).
        # ResolverMatch refuses copy.copy (it refuses pickling), hence by hand.
        own = ResolverMatch.__new__(ResolverMatch)
        own.__dict__.update(match.__dict__, kwargs=dict(match.kwargs))
        request.resolver_match = own
        return own
