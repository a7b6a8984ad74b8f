"""What every page's template may use. Nothing here depends on who is asking."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    # From DJANGO_SITE_URL, never from the Host header: a cached page must not carry a host
    # some client made up.
    return {"site_url": settings.SITE_URL, "canonical_url": settings.SITE_URL + request.path}
