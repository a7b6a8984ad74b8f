"""The assistant's reader: safety first, ask when close, honest "not found", screen text."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from guides.library import get_library
from search.query import search_with_hint
from search.registry import get_index
from tests.factories import (
    EXAMPLES_TREE,
    add_section_examples,
    without_section_examples,
    write_tree,
)
from triage import reading
from triage.loading import get_tree

SAFETY = [
    tuple(line.split("\t"))
    for line in (Path(__file__).parent / "safety-phrasings.tsv").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]
# Written for this test: nothing a POS help center answers.
OFF_TOPIC = [
    "怎么做红烧肉",
    "明天北京下雨吗",
    "我想贷款买车",
    "手机屏幕碎了去哪修",
    "孩子发烧了怎么办",
]
BAD_INPUT = [
    "",
    " " * 50,
    "锁" * 2000,
    "🙂🙂🙂",
    "pos机 lock 了 🙂 ｱｲｳ",
    "1234567890123",
    "qiandao shibai",
]


def test_the_safety_list_is_long_and_every_phrasing_puts_safety_first():
    assert len(SAFETY) >= 40
    library = get_library()
    wrong = []
    for text, about in SAFETY:
        found = reading.read(library, text)
        if found.kind != "safety" or not found.warning:
            wrong.append(f"{text} -> {found.kind} {[o.id for o in found.outcomes]} ({about})")
    assert wrong == []


def test_safety_comes_first_in_search_with_its_warning():
    library = get_library()
    wrong = []
    for text, _ in SAFETY:
        hits = search_with_hint(get_index(library), text, limit=5, content=library).hits
        if not hits or not hits[0].warning:
            wrong.append(text)
    assert wrong == []


# Written for this test: a danger's words, no danger. Three danger rounds of blind writers
# (README) made the scam answers' examples many; these must still get their plain answers.
LOOK_ALIKES = [
    "验证码没收到",
    "验证码输进去说过期了",
    "激活码短信一直收不到",
    "风控冻结好几天了，资料都交了，多久能解冻",
    "机器掉水里捞出来，擦干能开机，没冒烟也不烫",
    # In English: content/synonyms.yaml's english: map reads them as Chinese, negation too.
    "sms code not received",
    "activation code sms never came",
    "battery not swollen, not hot, just drains fast",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_a_danger_s_words_without_the_danger_get_no_warning(text):
    found = reading.read(get_library(), text)
    assert found.kind != "safety" and not found.warning, [o.id for o in found.outcomes]


# Written for this test, in English: content/synonyms.yaml's english: map reads the words as
# Chinese, so the danger signals and the learned reader see "被偷", "验证码", "鼓包".
ENGLISH_DANGER = [
    ("a man called saying he is from unionpay and asked me for the sms code", "other-scam"),
    ("i already gave the verification code to the caller, money gone", "other-scammed"),
    ("my card machine was stolen last night", "lost-stop-terminal"),
    ("battery is swollen and very hot", "power-danger"),
    ("pos smoking with a burning smell", "power-danger"),
]


@pytest.mark.parametrize(("text", "outcome"), ENGLISH_DANGER)
def test_a_danger_in_english_puts_its_safety_answer_first(text, outcome):
    library = get_library()
    found = reading.read(library, text)
    assert found.kind == "safety" and found.outcomes[0].id == outcome, found.outcomes[:2]
    hits = search_with_hint(get_index(library), text, limit=5, content=library).hits
    assert hits and hits[0].warning


# Written for this test: Chinese and English in one line, as cashiers type them.
MIXED = [
    ("pos lock了 怎么办", "unlock-locked-terminal"),
    ("my pos say 终端已锁定", "unlock-locked-terminal"),
    ("refund怎么弄", "void-and-refund"),
    ("settlement not received 三天了", "settlement-not-received"),
]


@pytest.mark.parametrize(("text", "guide"), MIXED)
def test_chinese_and_english_in_one_line_find_their_guide_first(text, guide):
    found = reading.read(get_library(), text)
    assert found.kind == "answer" and found.outcomes[0].guide == guide, found.outcomes[:2]


def test_a_change_to_the_english_readings_or_the_synonyms_names_another_model():
    library = get_library()
    training = reading.samples(get_tree(library))
    name = reading.model_fingerprint(library, training)
    readings = (("stolen", "被偷"), *library.readings[1:])
    assert reading.model_fingerprint(replace(library, readings=readings), training) != name
    synonyms = library.synonyms[1:]
    assert reading.model_fingerprint(replace(library, synonyms=synonyms), training) != name


def test_a_bare_word_gets_a_warning_only_when_a_safety_answer_is_clearly_the_likeliest():
    tree = get_tree(get_library())
    # "年费": the fee-scam answer likely enough, but the fee entry likelier.
    fee = {"deposit-what-is-each": 0.55, "deposit-fee-scams": 0.23, "deposit-data-fee": 0.21}
    assert reading.decide(tree, fee).kind == "safety"  # a sentence: the floor decides
    bare = reading.decide(tree, fee, bare=True)
    assert bare.kind != "safety" and bare.outcomes[0].id == "deposit-what-is-each"
    scam_first = {"deposit-fee-scams": 0.7, "deposit-what-is-each": 0.25}
    assert reading.decide(tree, scam_first, bare=True).kind == "safety"
    # "电池": a fire likelier than a battery that drains, but not twice as likely.
    battery = {"power-danger": 0.63, "power-battery": 0.37}
    assert reading.decide(tree, battery).kind == "safety"
    assert reading.decide(tree, battery, bare=True).kind != "safety"
    # A danger signal still names its answer, bare or not ("鼓包").
    signalled = reading.decide(tree, fee, danger="power-danger", bare=True)
    assert signalled.kind == "safety" and signalled.outcomes[0].id == "power-danger"


def test_safety_answers_that_split_the_vote_beyond_the_best_three_still_go_first():
    tree = get_tree(get_library())
    # "有人来店里说是公司的，要收服务费现金": four safety answers share the vote, two plain ones
    # lead, and the best three hold only 0.12 of safety.
    split = {
        "deposit-what-is-each": 0.30,
        "deposit-data-fee": 0.18,
        "deposit-fee-scams": 0.12,
        "change-replace-terminal": 0.10,
        "other-scam": 0.08,
        "scam-card-changed": 0.05,
        "none": 0.02,
    }
    found = reading.decide(tree, split)
    assert found.kind == "safety" and found.outcomes[0].id == "deposit-fee-scams"
    assert found.warning == tree.outcomes["deposit-fee-scams"].warning
    # Under SAFETY_TOGETHER all told, or no likelier than "about something else": no warning.
    weaker = {**split, "other-scam": 0.02, "scam-card-changed": 0.01}
    assert reading.decide(tree, weaker).kind != "safety"
    assert reading.decide(tree, {**split, "none": 0.40}).kind != "safety"


def test_off_topic_is_weighed_against_a_guides_answers_together():
    tree = get_tree(get_library())
    # "密码忘了咋办": three answers of the password guide share what "none" gets alone.
    split = {"password-operator": 0.25, "password-unsure": 0.2, "password-app": 0.15, "none": 0.4}
    found = reading.decide(tree, split)
    assert found.kind != "not_found" and found.outcomes[0].guide == "forgotten-operator-password"
    # Faint answers (each under FLOOR) are no answer however many there are.
    faint = {o.id: 0.05 for o in tree.outcomes.values() if o.guide == "basic-troubleshooting"}
    faint["power-battery"] = 0.1
    assert sum(faint.values()) > 0.5
    assert reading.decide(tree, {**faint, "none": 0.3}).kind == "not_found"
    # Two guides' answers are not added up.
    apart = {"password-operator": 0.25, "power-battery": 0.25, "none": 0.4}
    assert reading.decide(tree, apart).kind == "not_found"


@pytest.mark.parametrize("text", ["年费", "nianfei", "电池", "提额"])
def test_a_bare_topic_word_is_answered_without_a_warning(text):
    found = reading.read(get_library(), text)
    assert found.kind != "safety" and not found.warning, [o.id for o in found.outcomes]


@pytest.mark.parametrize("text", ["二手机不用实名", "闲鱼上买的pos机 卖家说不用实名直接刷"])
def test_a_second_hand_terminal_is_a_safety_answer_with_its_warning(text):
    # Its money goes to the first owner's card, and it may be stolen: warned, like lending one.
    found = reading.read(get_library(), text)
    assert found.kind == "safety"
    assert found.outcomes[0].id == "lost-second-hand"
    assert "原机主" in found.warning


@pytest.mark.django_db
def test_the_assistant_shows_the_warning_and_the_safety_answer_first(client):
    body = client.get("/triage/ask/", {"q": "客服打电话说帮我降费率，让我把验证码念给他"}).content
    body = body.decode()
    assert re.search(r'<h2 class="question reply-warning"[^>]*>这很可能是诈骗', body)
    first = re.search(r'class="choice choice-match choice-warning" href="([^"]+)"', body)
    assert first and first.group(1) == "/triage/safety/call/"


@pytest.mark.django_db
@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_gets_not_found_the_assistant_and_contacts(client, text):
    body = client.get("/triage/ask/", {"q": text}).content.decode()
    assert "没有找到和这句话相关的解答" in body
    assert "choice-match" not in body and "choice-guide" not in body  # nothing dressed up
    assert 'class="channels' in body or "channel" in body
    assert 'href="/triage/card-declined/"' in body  # the assistant's questions
    page = client.get("/search/", {"q": text}).content.decode()
    assert "没有找到" in page and 'href="/triage/"' in page and "联系方式" in page


@pytest.mark.django_db
@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_gets_an_answer_or_an_honest_not_found(client, text):
    for url in ("/triage/ask/", "/search/", "/api/search"):
        response = client.get(url, {"q": text})
        assert response.status_code == 200, url
    body = client.get("/triage/ask/", {"q": text}).content.decode()
    headings = ("这些可能和您的问题有关", "没有找到和这句话相关的解答", "请告诉我遇到了什么问题")
    assert any(h in body for h in headings) or "reply-warning" in body or "您说：" in body


def test_close_outcomes_on_sibling_answers_ask_the_question_that_parts_them():
    tree = get_tree(get_library())
    one, two = tree.outcomes["locked-wrong-password"], tree.outcomes["locked-unsure"]
    found = reading.decide(tree, {one.id: 0.40, two.id: 0.35, "none": 0.01})
    assert found.kind == "ask"
    route = tree.routes[one.id]
    other = tree.routes[two.id]
    shared = next(i for i, (a, b) in enumerate(zip(route, other, strict=False)) if a != b)
    assert found.question is not None and found.question.answer(route[shared]) is not None
    urls = {c.url for c in found.question_choices}
    assert f"/triage/{'/'.join(route[: shared + 1])}/" in urls
    # Far apart: answer, best first.
    clear = reading.decide(tree, {one.id: 0.80, two.id: 0.10})
    assert clear.kind == "answer" and clear.outcomes[0] is one


def test_outcomes_that_part_at_the_first_screen_are_answered_not_asked():
    tree = get_tree(get_library())
    found = reading.decide(tree, {"sign-in-failed": 0.40, "refund-void": 0.38})
    assert found.kind == "answer" and [o.id for o in found.outcomes[:2]] == [
        "sign-in-failed",
        "refund-void",
    ]


def test_nothing_likely_or_none_winning_is_not_found():
    tree = get_tree(get_library())
    assert reading.decide(tree, {"sign-in-failed": 0.03, "none": 0.01}).kind == "not_found"
    off = reading.decide(tree, {"sign-in-failed": 0.2, "none": 0.7})
    assert off.kind == "not_found" and off.about_nothing


@pytest.mark.django_db
def test_free_text_never_offers_internal_states(client):
    for text in (
        "机器锁了",
        "签到失败",
        "钱没到账",
        "退款",
        "打印机不出纸",
        "别的卡能刷就这张不行",
    ):
        body = client.get("/triage/ask/", {"q": text}).content.decode()
        links = re.findall(r'class="choice[^"]*" href="([^"]+)"', body)
        assert links and not [u for u in links if re.search(r"/(solved|unsolved)/$", u)], text


@pytest.mark.django_db
def test_a_screen_message_without_a_code_finds_its_answer(client, monkeypatch):
    section = "/guides/sign-in-after-power-off/#sign-in-steps"
    body = client.get("/triage/ask/", {"q": "屏幕上一直写着请先签到"}).content.decode()
    first = re.search(r'class="choice choice-match[^"]*" href="([^"]+)"', body).group(1)
    # The message's section itself, or the outcome that leads there (and asks 解决了吗).
    tree = get_tree(get_library())
    leads_there = {
        f"/triage/{'/'.join(tree.routes[o.id])}/"
        for o in tree.outcomes.values()
        if o.guide_url == section and o.id in tree.routes
    }
    assert first == section or first in leads_there
    # A message no offered outcome answers is listed as what the screen shows.
    monkeypatch.setattr(
        reading, "read", lambda library, text, model=None: reading.Reading("not_found")
    )
    body = client.get("/triage/ask/", {"q": "机器显示请先签到"}).content.decode()
    assert "屏幕上的提示" in body and f'href="{section}"' in body
    # The code box too: the message instead of a code.
    jump = client.get("/codes/jump/", {"code": "余额不足"})
    assert jump.status_code == 302 and jump["Location"] == "/codes/51/"


def test_the_model_is_built_once_per_content_version():
    library = get_library()
    assert reading.get_model(library) is reading.get_model(library)
    assert "none" in reading.get_model(library).labels


@pytest.mark.django_db
def test_the_deciding_question_is_shown_with_the_merchants_words(client, monkeypatch):
    tree = get_tree(get_library())
    close = reading.decide(tree, {"locked-wrong-password": 0.40, "locked-unsure": 0.35})
    monkeypatch.setattr(reading, "read", lambda library, text, model=None: close)
    body = client.get("/triage/ask/", {"q": "机器锁了 <b>急</b>"}).content.decode()
    assert f">{close.question.question}</h2>" in body
    assert "您说：“机器锁了 &lt;b&gt;急&lt;/b&gt;”" in body  # quoted, escaped
    for choice in close.question_choices:
        assert f'href="{choice.url}"' in body
    assert "最可能是这几种" in body


def test_after_an_edit_the_previous_model_answers_while_the_new_one_trains(
    content_dir, settings, monkeypatch
):
    import threading

    from guides.loading import load_library
    from tests.factories import SMALL_TREE, write_tree

    settings.UNDERSTANDING_TRAIN_IN_BACKGROUND = True
    settings.UNDERSTANDING_MODEL_DIR = ""  # trained here, never found on disk
    write_tree(
        content_dir,
        SMALL_TREE.replace("    keywords: [操作员已锁定]\n", "    examples: [锁死了]\n"),
    )
    before = load_library(content_dir)
    first = reading.get_model(before)  # nothing to fall back on: trained at once
    write_tree(
        content_dir,
        SMALL_TREE.replace("    keywords: [操作员已锁定]\n", "    examples: [锁住了]\n"),
    )
    after = load_library(content_dir)
    assert after.version != before.version
    started = threading.Event()
    release = threading.Event()
    train = reading.train

    def slow_train(*args, **kwargs):
        started.set()
        release.wait(10)
        return train(*args, **kwargs)

    monkeypatch.setattr(reading, "train", slow_train)
    assert reading.get_model(after) is first  # answers at once, with the previous model
    assert started.wait(10)
    assert reading.get_model(after) is first  # still training: not started twice
    release.set()
    # Training the shipped examples takes seconds, more on a slow or busy machine.
    for _ in range(1200):
        if reading.MODEL_KEY in after.memo:
            break
        threading.Event().wait(0.05)
    assert reading.get_model(after) is not first


def test_a_new_process_loads_the_model_by_its_content_version_without_building_samples(
    content_dir, settings, tmp_path, monkeypatch
):
    from guides.loading import load_library
    from tests.factories import SMALL_TREE, write_tree

    settings.UNDERSTANDING_MODEL_DIR = tmp_path / "models"
    write_tree(content_dir, SMALL_TREE)
    first = reading.get_model(load_library(content_dir))

    # Content with a problem (a broken file kept at its last good version in one process
    # only) is read afresh each time, never by a name written down for it.
    (content_dir / "guides" / "broken.md").write_bytes(b"\xff\xfe not utf-8")
    broken = load_library(content_dir)
    assert broken.errors
    reading.get_model(broken)
    (content_dir / "guides" / "broken.md").unlink()

    def no_samples(tree):
        raise AssertionError("samples built again")

    monkeypatch.setattr(reading, "samples", no_samples)
    again = reading.get_model(load_library(content_dir))  # a new library: nothing in memory
    assert again.labels == first.labels and bytes(again.weights) == bytes(first.weights)
    (content_dir / "guides" / "broken.md").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(AssertionError, match="samples built again"):
        reading.get_model(load_library(content_dir))


@pytest.mark.django_db
def test_the_search_page_and_api_show_the_safety_warning_above_the_first_result(client):
    query = "有人打电话说是银联的，让我把手机上收到的验证码念给他"
    page = client.get("/search/", {"q": query}).content.decode()
    first = page.index('<li class="result">')
    warning = page.index('<p class="admonition danger">这很可能是诈骗', first)
    assert warning < page.index('class="result-title"', first)
    instant = client.get(
        "/search/", {"q": query}, headers={"HX-Request": "true", "HX-Target": "instant-results"}
    ).content.decode()
    assert '<p class="admonition danger">这很可能是诈骗' in instant
    results = client.get("/api/search", {"q": query}).json()["results"]
    assert results[0]["warning"].startswith("这很可能是诈骗")
    assert all(r["warning"] == "" for r in results[1:])


FADES = "/guides/basic-troubleshooting/#faq-receipt-fades"


@pytest.mark.django_db
def test_a_guide_section_with_examples_is_an_answer_of_its_own(content_dir, client):
    write_tree(content_dir, EXAMPLES_TREE)  # a small tree: the model trains in a moment
    without_section_examples(content_dir)
    fades = ["小票放几天字就没了", "小票褪色看不清", "打出来的小票过段时间变白了", "小票字变淡"]
    add_section_examples(content_dir, "basic-troubleshooting", {"faq-receipt-fades": fades})
    add_section_examples(
        content_dir, "unlock-locked-terminal", {"wrong-password": ["输错好几回密码 机器不让用了"]}
    )
    library = get_library()
    tree = get_tree(library)
    assert library.errors == () and tree.problems == ()
    fading = tree.sections["basic-troubleshooting#faq-receipt-fades"]
    assert fading.outcomes == () and fading.url == FADES
    # A section an outcome lands on teaches that outcome: one answer, not two labels.
    assert tree.sections["unlock-locked-terminal#wrong-password"].outcomes == ("wrong-password",)
    taught = {s.label for s in reading.samples(tree) if s.text == "输错好几回密码 机器不让用了"}
    assert taught == {"wrong-password"}
    assert {s.label for s in reading.samples(tree) if s.text in fades} == {fading.label}

    found = reading.read(library, "小票上的字都褪色了")
    assert found.kind == "answer" and found.section_first
    assert found.sections[0][0] is fading
    body = client.get("/triage/ask/", {"q": "小票上的字都褪色了"}).content.decode()
    first = re.search(r'class="choice choice-match[^"]*" href="([^"]+)"', body).group(1)
    assert first == FADES and "这篇指南里有答案" in body
    hits = search_with_hint(get_index(library), "小票上的字都褪色了", limit=5, content=library).hits
    assert hits[0].url == FADES
    # An outcome still answers what it was taught.
    assert reading.read(library, "密码输错三次 锁住了").outcomes[0].id == "wrong-password"


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("音箱报的钱跟收的不一样", "qr-code-payment#faq-speaker-wrong"),
        ("喇叭老是喊网络断开", "qr-code-payment#faq-speaker-wrong"),
        # (Not "app里的钱提不出来": a failed payout says that too, "余额提不出来" is one of its
        # examples, and the two answers of one guide swap places as examples are added.)
        ("收的钱在app余额里 怎么弄到银行卡", "settlement-not-received#faq-withdraw"),
        ("收款软件一打开就闪退", "bind-and-unbind-device#faq-app-crash"),
        ("打印两联怎么改成一联", "transaction-records#faq-print-copies"),
        # The entries for what blind labellers most often found no answer for.
        ("新装的收款音箱不知道怎么连店里无线", "qr-code-payment#faq-speaker-wifi"),
        ("小票纸该买什么宽度的", "basic-troubleshooting#faq-paper-size"),
        ("屏幕跳出来要我下载参数咋办", "sign-in-after-power-off#faq-download-params"),
        ("收款app一直登录失败", "forgotten-operator-password#faq-app-login"),
        ("收款音箱太小声了", "qr-code-payment#faq-speaker-silent"),
    ],
)
def test_the_newest_faq_entries_are_what_search_offers_first(query, section):
    # Answers no outcome lands on, found through their own examples (these words are not
    # among them).
    library = get_library()
    slug, anchor = section.split("#")
    hits = search_with_hint(get_index(library), query, limit=3, content=library).hits
    assert hits and hits[0].url == f"/guides/{slug}/#{anchor}", [h.url for h in hits]


@pytest.mark.parametrize("query", ["机器按键按了没反应怎么弄", "数字键按不动了"])
def test_keys_that_do_not_respond_go_to_the_step_that_tries_them_before_repair(query):
    # The screen step handles keys (wipe them, then report for repair) and its heading says
    # so; these words are not among its examples.
    library = get_library()
    step = get_tree(library).sections["basic-troubleshooting#screen-touch"]
    assert "按键" in step.section_title
    assert reading.read(library, query).outcomes[0].id == "power-frozen-screen"
    hits = search_with_hint(get_index(library), query, limit=3, content=library).hits
    assert hits[0].url == "/guides/basic-troubleshooting/#screen-touch"


def test_a_section_shared_with_a_warned_outcome_teaches_only_the_others():
    # The power step is where the swollen-battery answer lands too; "一直重启" written for the
    # step must not put that warning first.
    tree = get_tree(get_library())
    power = tree.sections["basic-troubleshooting#check-power"]
    warned = {o for o in power.outcomes if tree.outcomes[o].warning}
    assert warned and power.examples
    taught = {s.label for s in reading.samples(tree) if s.text in power.examples}
    assert taught == set(power.outcomes) - warned
    assert reading.read(get_library(), "机器一直重启").kind != "safety"


def test_a_section_likelier_than_every_outcome_goes_first_and_a_weak_one_is_not_found(
    content_dir,
):
    write_tree(content_dir, EXAMPLES_TREE)
    without_section_examples(content_dir)
    add_section_examples(content_dir, "basic-troubleshooting", {"faq-receipt-fades": ["小票褪色"]})
    tree = get_tree(get_library())
    label = "basic-troubleshooting#faq-receipt-fades"
    found = reading.decide(tree, {label: 0.5, "wrong-password": 0.3, "unsure": 0.1})
    assert found.section_first and [o.id for o in found.outcomes] == ["wrong-password"]
    behind = reading.decide(tree, {label: 0.3, "wrong-password": 0.6})
    assert behind.kind == "answer" and not behind.section_first
    assert behind.outcomes[0].id == "wrong-password" and behind.sections[0][0].label == label
    assert reading.decide(tree, {label: 0.04, "none": 0.01}).kind == "not_found"
    assert reading.decide(tree, {label: 0.3, "none": 0.6}).kind == "not_found"


def test_search_shows_in_its_guides_place_the_section_the_assistant_lists_first():
    # Likelier than every outcome but not sure (under EXACT_SECTION): the assistant lists the
    # FAQ entry first, so search shows that entry for its guide, not the section BM25 found.
    library = get_library()
    tree = get_tree(library)
    section = tree.sections["settlement-not-received#faq-withdraw"]
    outcome = "money-really-frozen"
    assert not section.outcomes and outcome in tree.outcomes
    listed = reading.decide(tree, {section.label: 0.45, outcome: 0.35, "none": 0.01})
    assert listed.section_first
    found = reading.understood_of(library, replace(listed, probabilities={section.label: 0.45}))
    assert [hit.url for hit in found.exact] == [section.url]
    # An outcome likelier than the section: the section does not take the guide's place.
    outcome_first = reading.decide(tree, {section.label: 0.35, outcome: 0.45})
    assert not outcome_first.section_first
    found = reading.understood_of(
        library, replace(outcome_first, probabilities={outcome: 0.45, section.label: 0.35})
    )
    assert found.exact == ()
