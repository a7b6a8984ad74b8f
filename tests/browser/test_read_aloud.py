"""朗读 on a phone: present and startable where the browser has a Chinese voice, with a stop;
no button at all where it has none. speechSynthesis is stubbed (headless chromium may have no
voices), so both cases are tested on any machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUB = """(() => {
  const voices = %s;
  window.__spoken = [];
  window.__cancelled = 0;
  const listeners = [];
  const synth = {
    getVoices: () => voices,
    speak: (u) => { window.__spoken.push([u.text, u.lang]); },
    cancel: () => { window.__cancelled += 1; },
    addEventListener: (name, fn) => listeners.push(fn),
    removeEventListener: () => {},
  };
  // speechSynthesis is a getter on Window.prototype: shadow it on the window itself.
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();"""
CHINESE = STUB % '[{name: "Ting-Ting", lang: "en-US"}, {name: "Xiaoxiao", lang: "zh-CN"}]'
NONE = STUB % '[{name: "Samantha", lang: "en-US"}]'


def test_a_guide_section_is_read_in_chinese_and_can_be_stopped(live_server, phone, axe):
    blocked = []
    phone.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    phone.add_init_script(CHINESE)
    phone.goto(live_server.url + "/guides/sign-in-after-power-off/")
    buttons = phone.get_by_role("button", name="朗读")
    expect(buttons.first).to_be_visible()
    headings = phone.locator(".guide-body h2").count()
    assert buttons.count() == headings  # one per section
    steps = phone.locator("#sign-in-steps + .read-aloud")
    steps.click()
    expect(steps).to_have_text("停止")
    expect(steps).to_have_attribute("aria-pressed", "true")
    spoken = phone.evaluate("window.__spoken")
    assert spoken[0] == ["第 2 步：按步骤签到", "zh-CN"]
    assert len(spoken) > 2 and all(lang == "zh-CN" for _, lang in spoken)
    said = "".join(text for text, _ in spoken)
    assert "复制本节链接" not in said and "朗读" not in said and "停止" not in said
    steps.click()
    expect(steps).to_have_text("朗读")
    assert phone.evaluate("window.__cancelled") >= 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(phone) == []
    assert blocked == []


def test_an_assistant_outcome_is_read_aloud(live_server, phone):
    phone.add_init_script(CHINESE)
    phone.goto(live_server.url + "/triage/locked/frozen/")
    card = phone.locator(".outcome-card").last
    card.get_by_role("button", name="朗读").click()
    spoken = " ".join(text for text, _ in phone.evaluate("window.__spoken"))
    title = card.locator("h2").inner_text()
    assert spoken.startswith(title)
    assert "服务码" not in spoken


def test_no_button_without_a_chinese_voice(live_server, phone):
    phone.add_init_script(NONE)
    phone.goto(live_server.url + "/guides/sign-in-after-power-off/")
    expect(phone.get_by_role("button", name="大字")).to_be_visible()  # the page's script ran
    assert phone.get_by_role("button", name="朗读").count() == 0
    assert phone.evaluate("[...document.scripts].every(s => !s.src.includes('read-aloud'))")


def test_no_button_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/guides/sign-in-after-power-off/")
    assert page.get_by_role("button", name="朗读").count() == 0
    context.close()
