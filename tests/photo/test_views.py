"""/photo/: the public form, a photo in and the answer out, and what is counted."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from insights.models import DailyCount
from photo import reader, slots
from tests.screen_photos import SAMPLES, Sample, photo

ORIGIN = {"Origin": "http://testserver"}
BALANCE = SAMPLES[0]  # 余额不足, 返回码：51


@pytest.fixture(autouse=True)
def _slots_in_tmp(settings, tmp_path):
    settings.PHOTO_SLOTS_DIR = str(tmp_path / "slots")


def post(client, data: bytes, *, name="screen.jpg", headers=None, **extra):
    upload = SimpleUploadedFile(name, data, "image/jpeg")
    return client.post("/photo/", {"image": upload}, headers=headers or ORIGIN, **extra)


def test_the_form_is_a_public_page_the_same_for_everyone(client):
    first = client.get("/photo/")
    second = client.get("/photo/", HTTP_COOKIE="sessionid=abc")
    assert first.status_code == 200
    assert first.content == second.content
    assert first["Cache-Control"].startswith("public")
    assert not first.cookies
    assert "cookie" not in first.get("Vary", "").lower()
    html = first.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'name="image"' in html
    assert 'capture="environment"' in html and "csrfmiddlewaretoken" not in html
    assert client.head("/photo/").status_code == 200


@pytest.mark.django_db
def test_a_photo_of_a_code_lands_on_its_card_and_counts_the_code(client):
    response = post(client, photo(BALANCE, seed=0))
    assert response.status_code == 303
    assert response["Location"] == "/codes/51/"
    counts = {(c.kind, c.item): c.count for c in DailyCount.objects.all()}
    assert counts == {("photo", "51"): 1}


@pytest.mark.django_db
def test_a_photo_of_a_message_lands_on_the_guide_section(client):
    locked = Sample(
        ("银联POS", "终端已锁定，请联系客服"), "/guides/unlock-locked-terminal/#symptoms"
    )
    response = post(client, photo(locked, seed=1))
    assert response.status_code == 303
    assert response["Location"] == locked.answer
    assert DailyCount.objects.get(kind="photo").item == ""


@pytest.mark.django_db
def test_a_script_gets_the_answer_in_hx_redirect_keeping_the_section(client):
    signin = Sample(("请先签到",), "/guides/sign-in-after-power-off/#sign-in-steps")
    response = post(client, photo(signin, seed=2), headers={**ORIGIN, "HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == signin.answer


@pytest.mark.django_db
def test_without_one_clear_answer_the_page_shows_what_was_read_and_a_prefilled_box(client):
    # “交易失败，请重试” is shown for 12 and for 30: no single answer without the code.
    shared = Sample(("消费", "交易失败，请重试"), "")
    response = post(client, photo(shared, seed=3))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "照片里读到的字" in html
    assert "<li>交易失败，请重试</li>" in html
    assert 'href="/codes/12/"' in html and 'href="/codes/30/"' in html
    assert '<textarea id="photo-query" name="q"' in html
    assert "消费 交易失败，请重试</textarea>" in html
    assert 'formaction="/triage/ask/"' in html


@pytest.mark.django_db
def test_a_photo_from_another_site_is_refused_before_it_is_read(client, monkeypatch):
    monkeypatch.setattr(reader, "read", lambda pixels: pytest.fail("read"))
    response = post(client, photo(BALANCE, seed=0), headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert not DailyCount.objects.exists()


@pytest.mark.django_db
def test_one_client_sending_many_photos_is_asked_to_wait(client, settings, monkeypatch):
    settings.ANONYMOUS_WRITE_LIMITS = {"photo": (2, 60)}
    monkeypatch.setattr(reader, "read", lambda pixels: ())
    data = photo(BALANCE, seed=0)
    assert [post(client, data).status_code for _ in range(3)] == [200, 200, 429]
    assert int(post(client, data)["Retry-After"]) > 0


@pytest.mark.django_db
def test_when_every_slot_is_busy_the_photo_gets_a_503_with_retry_after(client, settings):
    settings.PHOTO_WAIT_SECONDS = 0.2
    held, release = threading.Event(), threading.Event()

    def hold():
        with slots.slot():
            held.set()
            release.wait(5)

    other = threading.Thread(target=hold)
    other.start()
    held.wait(5)
    try:
        response = post(client, photo(BALANCE, seed=0))
    finally:
        release.set()
        other.join()
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "太多" in response.content.decode()
    assert client.get("/").status_code == 200  # pages keep answering


@pytest.mark.django_db
def test_turned_off_the_page_says_so_and_no_reader_is_loaded(client, settings, monkeypatch):
    settings.PHOTO_ENABLED = False
    monkeypatch.setattr(reader, "_engine", None)
    page = client.get("/photo/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "没有开放" in html and 'name="image"' not in html
    assert 'href="/codes/"' in html and 'href="/triage/"' in html
    assert post(client, photo(BALANCE, seed=0)).status_code == 404
    assert reader._engine is None
    assert "/photo/" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "path",
    ["/", "/triage/card-declined/", "/triage/code/?code=Q7", "/codes/QQ/", "/codes/jump/?code=QQ"],
)
def test_the_entry_points_link_to_the_photo_page(client, path):
    response = client.get(path)
    assert 'href="/photo/"' in response.content.decode()
