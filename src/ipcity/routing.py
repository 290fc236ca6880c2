"""The web handler answers a request for a fixed address (one without a converter, like the registration API's) from
a table made once at start, instead of trying the URL patterns in order. A registration tried 114 patterns before its
own (26 of the pages', then 88 of the API's 278 routes, which are one flat list): 54 µs warm on this machine, against
under 1 µs from the table, and more in a server whose caches the database and the other processes share."""

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
    answered for each, so an earlier pattern that also matches an address still wins, as it would in Django. That
    holds while resolving depends on the path alone: no translated routes or language prefixes (the platform is in
    Chinese only) and no converter that reads anything but the path."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._resolver = get_resolver()
        self._fixed = {path: self._resolver.resolve(path) for path in set(_fixed_paths(self._resolver.url_patterns))}

    def fixed_addresses(self) -> set[str]:
        return set(self._fixed)

    def resolve_request(self, request):
        # get_resolver() is cached: another resolver means another URLconf (a test's override), which the table is not
        match = (None if hasattr(request, "urlconf") or get_resolver() is not self._resolver
                 else self._fixed.get(request.path_info))
        if match is None:
            return super().resolve_request(request)
        # Each request its own, as Django's resolver gives: nothing one request changes reaches the next.
        own = ResolverMatch(match.func, match.args, dict(match.kwargs), match.url_name, list(match.app_names),
                            list(match.namespaces), match.route, list(match.tried),
                            captured_kwargs=dict(match.captured_kwargs), extra_kwargs=dict(match.extra_kwargs))
        request.resolver_match = own
        return own
