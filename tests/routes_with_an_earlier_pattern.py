"""A URLconf for tests/test_fixed_addresses_resolve_as_django_does.py: a fixed address that an earlier pattern with a
converter also answers, a fixed address inside an include, and a route with default arguments."""

from django.http import HttpResponse
from django.urls import include, path


def by_kind(request, kind):
    return HttpResponse(f"kind {kind}")


def coverage(request):
    return HttpResponse("coverage")


def listing(request, kind):
    return HttpResponse(f"listing {kind}")


urlpatterns = [
    path("<slug:kind>/", by_kind),
    path("coverage/", coverage),  # never reached: the pattern above answers /coverage/ first
    path("registries/", include([path("coverage/", coverage, name="coverage"),
                                 path("patents/", listing, {"kind": "patents"}, name="patents")])),
]
