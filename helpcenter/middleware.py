"""Small middlewares that sit around Django's own.

``trusted_proxy_headers`` goes first: ``X-Forwarded-Proto`` and ``X-Forwarded-For`` are believed
only from the proxies named in ``TRUSTED_PROXIES`` (Django's ``SECURE_PROXY_SSL_HEADER`` would
believe any peer; gunicorn's ``forwarded_allow_ips`` does not reach Django).

``method_not_allowed_page`` turns the empty 405 that ``@require_safe`` / ``@require_POST`` give
into a page a person can read; the ``Allow`` header stays.

``permissions_policy`` adds a ``Permissions-Policy`` header that turns off the browser
features the site never uses.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader

FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")


def trusted_proxy_headers(get_response: Callable) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.META.get("REMOTE_ADDR", "") not in settings.TRUSTED_PROXIES:
            for name in FORWARDED:
                request.META.pop(name, None)
        return get_response(request)

    return middleware


def method_not_allowed_page(get_response: Callable) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = loader.render_to_string("405.html", {"method": request.method})
            response["Content-Type"] = "text/html; charset=utf-8"
            response["Cache-Control"] = "no-store"
        return response

    return middleware


# Features a help page never needs. The camera is left out on purpose: a photo upload (a file
# input with capture) needs no permission, and a later feature may want getUserMedia.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def permissions_policy(get_response: Callable) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware
