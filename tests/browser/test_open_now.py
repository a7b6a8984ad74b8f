"""'Open now' is decided in the browser from the hours the page carries, so a page that a proxy
keeps for hours still tells the truth at 10:00 and at 20:00 Beijing time."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOURS = """    hours:
      - {days: mon-fri, open: "09:00", close: "18:00"}
"""


@pytest.fixture
def office_hours(content_dir):
    contacts = content_dir / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    marker = "  - id: provider-hotline\n"
    assert marker in text
    start = text.index(marker)
    end = text.index("\n\n", start)
    contacts.write_text(text[:end] + "\n" + HOURS.rstrip("\n") + text[end:], encoding="utf-8")
    return content_dir


@pytest.mark.parametrize(
    ("utc", "label"),
    [
        ("2026-12-07T02:00:00Z", "现在可联系"),  # Monday 10:00 in Beijing
        ("2026-12-07T12:00:00Z", "现在不在服务时间"),  # Monday 20:00
        ("2026-12-05T02:00:00Z", "现在不在服务时间"),  # Saturday 10:00
    ],
)
def test_the_badge_follows_the_clock_not_the_page(office_hours, live_server, phone, utc, label):
    phone.clock.set_fixed_time(utc)
    phone.goto(live_server.url + "/guides/unlock-locked-terminal/")
    channel = phone.locator(".channel", has_text="终端服务商客服热线")
    expect(channel.locator(".status")).to_have_text(label)


def test_the_page_itself_claims_nothing_about_now(office_hours, client):
    html = client.get("/guides/unlock-locked-terminal/").content.decode()
    assert "data-open-hours=" in html
    assert "现在可联系" not in html and "现在不在服务时间" not in html
