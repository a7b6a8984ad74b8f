import pytest

SAME_ORIGIN = {"Origin": "http://testserver"}


def stored_votes() -> int:
    from django.db.models import Sum

    from insights.models import DailyCount

    kinds = ["vote-yes", "vote-no"]
    return DailyCount.objects.filter(kind__in=kinds).aggregate(n=Sum("count"))["n"] or 0


def test_feedback_is_post_only(client):
    assert client.get("/guides/unlock-locked-terminal/feedback/").status_code == 405
    assert client.head("/guides/unlock-locked-terminal/feedback/").status_code == 405


@pytest.mark.django_db
def test_the_vote_form_carries_no_csrf_token_and_the_page_sets_no_cookie(client):
    response = client.get("/guides/unlock-locked-terminal/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies and "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://testserver"},
        {"Sec-Fetch-Site": "same-origin"},  # a browser that sends no Origin
        {"Origin": "https://help.example.com"},  # SITE_URL, the address before the proxy
    ],
)
def test_a_vote_from_this_site_is_accepted_without_a_csrf_token(headers, settings):
    from django.test import Client

    settings.SITE_URL = "https://help.example.com"
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/guides/unlock-locked-terminal/feedback/", {"helpful": "yes"}, headers=headers
    )
    assert response.status_code == 302
    assert stored_votes() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {},  # neither Origin nor Sec-Fetch-Site
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"},
    ],
)
def test_a_vote_from_elsewhere_gets_a_clear_403_and_stores_nothing(client, headers):
    response = client.post(
        "/guides/unlock-locked-terminal/feedback/", {"helpful": "yes"}, headers=headers
    )
    assert response.status_code == 403
    assert "这次提交没有被接受" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert stored_votes() == 0


@pytest.mark.django_db
def test_a_burst_of_votes_from_one_client_gets_429_with_how_long_to_wait(client, settings):
    settings.ANONYMOUS_WRITE_LIMITS = {"vote": (3, 60)}
    url = "/guides/unlock-locked-terminal/feedback/"
    answers = [
        client.post(url, {"helpful": "yes"}, headers=SAME_ORIGIN, REMOTE_ADDR="203.0.113.9")
        for _ in range(5)
    ]
    assert [r.status_code for r in answers] == [302, 302, 302, 429, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    assert f"请等 {answers[-1]['Retry-After']} 秒" in answers[-1].content.decode()
    assert stored_votes() == 3
    # Another client is not held back by the first one's burst.
    other = client.post(url, {"helpful": "yes"}, headers=SAME_ORIGIN, REMOTE_ADDR="203.0.113.10")
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_rate_limit_knows_clients_behind_the_trusted_proxy_only(client, settings):
    settings.ANONYMOUS_WRITE_LIMITS = {"vote": (1, 60)}
    url = "/guides/unlock-locked-terminal/feedback/"

    def vote(peer: str, forwarded: str) -> int:
        headers = {**SAME_ORIGIN, "X-Forwarded-For": forwarded}
        return client.post(url, {"helpful": "no"}, headers=headers, REMOTE_ADDR=peer).status_code

    # Behind our proxy (127.0.0.1), two clients are two clients.
    assert vote("127.0.0.1", "198.51.100.1") == 302
    assert vote("127.0.0.1", "198.51.100.2") == 302
    # From anywhere else, a made-up X-Forwarded-For does not buy a fresh allowance.
    assert vote("203.0.113.7", "198.51.100.3") == 302
    assert vote("203.0.113.7", "198.51.100.4") == 429


@pytest.mark.django_db
def test_nothing_about_the_voter_is_stored(client):
    from django.db import connection

    client.post(
        "/guides/unlock-locked-terminal/feedback/",
        {"helpful": "no"},
        headers={**SAME_ORIGIN, "User-Agent": "UA-MARKER"},
        REMOTE_ADDR="192.0.2.77",
    )
    assert stored_votes() == 1
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            dump = repr(cursor.fetchall())
            assert "192.0.2.77" not in dump and "UA-MARKER" not in dump, table
