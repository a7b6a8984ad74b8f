"""A merchant photographs the terminal's screen from the home page, on a phone (360 px)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from photo import images
from tests.screen_photos import SAMPLES, Sample, photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _slots_in_tmp(settings, tmp_path):
    settings.PHOTO_SLOTS_DIR = str(tmp_path / "slots")


def test_upload_from_home_ends_on_the_code_card(
    live_server, phone, tmp_path, artifacts, axe, monkeypatch
):
    blocked, received = [], []
    phone.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    decode = images.decode
    monkeypatch.setattr(
        images, "decode", lambda data, **kw: received.append(len(data)) or decode(data, **kw)
    )
    shot = tmp_path / "screen.jpg"
    shot.write_bytes(photo(SAMPLES[0], seed=0, width=3000, quality=92))  # 余额不足 51
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="拍一张屏幕的照片，帮您找答案").click()
    expect(phone).to_have_url(live_server.url + "/photo/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(phone) == []
    phone.get_by_label("拍照或选一张照片").set_input_files(shot)
    phone.get_by_role("button", name="上传并查找").click()
    expect(phone).to_have_url(live_server.url + "/codes/51/", timeout=30_000)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("51")
    phone.screenshot(path=artifacts / "photo-answer-360x740.png")
    # The page shrank the 3,000 px photo before sending it (about 1,600 px JPEG).
    assert len(received) == 1 and received[0] < shot.stat().st_size / 2
    assert blocked == []


def test_a_message_photo_lands_on_the_guide_section_with_its_anchor(live_server, phone, tmp_path):
    shot = tmp_path / "screen.jpg"
    shot.write_bytes(photo(Sample(("银联POS", "请先签到"), ""), seed=5))
    phone.goto(live_server.url + "/photo/")
    phone.get_by_label("拍照或选一张照片").set_input_files(shot)
    phone.get_by_role("button", name="上传并查找").click()
    expect(phone).to_have_url(
        live_server.url + "/guides/sign-in-after-power-off/#sign-in-steps", timeout=30_000
    )


def test_an_unclear_photo_shows_what_was_read_in_place(live_server, phone, tmp_path, axe):
    shot = tmp_path / "screen.jpg"
    shot.write_bytes(photo(Sample(("消费", "交易失败，请重试"), ""), seed=3))
    phone.goto(live_server.url + "/photo/")
    phone.get_by_label("拍照或选一张照片").set_input_files(shot)
    phone.get_by_role("button", name="上传并查找").click()
    expect(phone.get_by_role("heading", name="照片里读到的字")).to_be_visible(timeout=30_000)
    expect(phone.get_by_label("屏幕上的原话（可以改正读错的字）")).to_have_value(
        re.compile("交易失败")
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(phone) == []


def test_without_javascript_the_form_posts_the_photo_and_lands(live_server, browser, tmp_path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    shot = tmp_path / "screen.jpg"
    shot.write_bytes(photo(SAMPLES[2], seed=2))  # A0
    page.goto(live_server.url + "/photo/")
    page.get_by_label("拍照或选一张照片").set_input_files(shot)
    page.get_by_role("button", name="上传并查找").click()
    expect(page).to_have_url(live_server.url + "/codes/A0/", timeout=30_000)
    context.close()
