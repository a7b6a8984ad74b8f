"""The page memory keys a page by the request's path, query and variant headers only: a
forwarded SCRIPT_NAME cannot store one page under another URL, a Host outside ALLOWED_HOSTS
gets the 400 page even for a page kept in memory, and ``br;q=0`` gets no brotli."""

from __future__ import annotations

import pytest
from django.test import Client

GUIDE = "/guides/sign-in-after-power-off/"


@pytest.mark.django_db
def test_a_forwarded_script_name_cannot_store_a_page_under_another_url():
    from helpcenter import caching

    client = Client()
    clean = {url: client.get(url).content for url in (GUIDE, "/")}
    caching.memory.clear()
    # "/" under a script prefix that makes its full path read as the guide's URL, and a
    # guide under a prefix of its own.
    client.get("/", SCRIPT_NAME=GUIDE.rstrip("/"))
    client.get(GUIDE, SCRIPT_NAME="/evil")
    assert client.get(GUIDE).content == clean[GUIDE]
    assert client.get("/").content == clean["/"]
    assert b"/evil/" not in client.get(GUIDE).content


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", GUIDE, "/sitemap.xml", "/search/?q=签到"])
def test_an_unknown_host_gets_the_400_page_even_for_a_page_in_memory(url):
    client = Client(raise_request_exception=False)
    assert client.get(url).status_code == 200  # now kept in memory
    for method in (client.get, client.head):
        response = method(url, headers={"Host": "evil.example"})
        assert response.status_code == 400, (method, url)
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("br;q=0, gzip", "gzip"),
        ("br;q=0", None),
        ("br;q=0.0", None),
        ("gzip;q=0, br", "br"),
        ("br; q=0.5, gzip", "br"),
        ("gzip, deflate, br", "br"),
        ("*;q=0", None),
        ("identity", None),
    ],
)
def test_accept_encoding_q_values_are_honoured(accept, expected):
    client = Client()
    for _ in range(2):  # rendered, then from memory
        response = client.get(GUIDE, headers={"Accept-Encoding": accept})
        assert response.get("Content-Encoding") == expected, accept
