"""Counting through the beacon and the vote forms; the staff page behind Django's auth."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from guides.library import get_library
from insights import counting, events
from insights.models import DailyCount
from tests.factories import SMALL_TREE, write_tree

SAME_ORIGIN = {"Origin": "http://testserver"}
HTMX = {"HX-Request": "true", **SAME_ORIGIN}
GUIDE = "unlock-locked-terminal"


@pytest.fixture
def small(content_dir):
    write_tree(content_dir)
    return content_dir


def stored() -> dict[tuple[str, str, str], int]:
    return {(c.kind, c.item, c.detail): c.count for c in DailyCount.objects.all()}


def beacon(client, **fields):
    return client.post("/insights/event", fields, headers=SAME_ORIGIN)


def version() -> str:
    return events.tree_version(get_library())


# --- the beacon: each kind of event -------------------------------------------------------------


@pytest.mark.django_db
def test_a_guide_view_is_counted_per_guide_and_day(client):
    assert beacon(client, kind="view", guide=GUIDE).status_code == 204
    assert beacon(client, kind="view", guide=GUIDE).status_code == 204
    assert stored() == {("view", GUIDE, ""): 2}


@pytest.mark.django_db
def test_a_search_counts_with_or_without_results_and_keeps_the_masked_gap(client):
    assert beacon(client, kind="search", query="机器锁住了").status_code == 204
    assert beacon(client, kind="search", query="恐龙蛋 13812345678").status_code == 204
    assert stored() == {
        ("search-hit", "", ""): 1,
        ("search-empty", "", ""): 1,
        ("gap", "恐龙蛋 #", "search"): 1,
    }


@pytest.mark.django_db
def test_an_opened_search_result_is_counted(client):
    assert beacon(client, kind="open", guide=GUIDE).status_code == 204
    assert beacon(client, kind="open", guide="assistant").status_code == 204
    assert stored() == {("search-open", GUIDE, ""): 1, ("search-open", "", ""): 1}


@pytest.mark.django_db
def test_the_assistant_counts_entry_questions_answers_outcomes_and_solved(client, small):
    v = version()
    for path in ["", "locked", "locked/unsure", "locked/unsure/solved"]:
        assert beacon(client, kind="step", path=path, version=v).status_code == 204
    unsolved = "locked/wrong-password/unsolved"
    assert beacon(client, kind="step", path=unsolved, version=v).status_code == 204
    assert stored() == {
        ("assistant-enter", "", v): 1,
        ("question", "problem", v): 1,
        ("answer", "problem/locked", v): 1,  # each beacon counts the last step only
        ("question", "locked", v): 1,
        ("answer", "locked/unsure", v): 1,
        ("outcome", "unsure", v): 2,  # wrong-password's "not solved" leads on to unsure
        ("solved", "unsure", v): 1,
        ("unsolved", "wrong-password", v): 1,
    }


@pytest.mark.django_db
def test_free_text_told_to_the_assistant_is_counted_and_a_miss_is_a_gap(client, small):
    v = version()
    assert beacon(client, kind="ask", query="机器被锁了", version=v).status_code == 204
    assert beacon(client, kind="ask", query="恐龙蛋 boss@example.com", version=v).status_code == 204
    assert stored() == {
        ("ask-hit", "", v): 1,
        ("ask-empty", "", v): 1,
        ("gap", "恐龙蛋 #", "assistant"): 1,
    }


@pytest.mark.django_db
def test_a_code_look_up_is_counted_when_the_code_exists(client, monkeypatch):
    monkeypatch.setattr(events, "known_codes", lambda library: frozenset({"51", "A0"}))
    assert beacon(client, kind="code", code="51").status_code == 204
    assert beacon(client, kind="code", code="a0").status_code == 204
    assert beacon(client, kind="code", code="77").status_code == 404
    assert stored() == {("code", "51", ""): 1, ("code", "A0", ""): 1}


@pytest.mark.django_db
def test_without_the_codes_app_any_two_character_code_is_accepted(client, monkeypatch):
    monkeypatch.setattr(events, "known_codes", lambda library: None)
    assert beacon(client, kind="code", code="Q9").status_code == 204
    assert beacon(client, kind="code", code="Q99").status_code == 404
    assert stored() == {("code", "Q9", ""): 1}


# --- the beacon: what is refused stores nothing ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"kind": "view", "guide": "no-such-guide"}, 404),
        ({"kind": "view", "guide": "../../etc/passwd"}, 400),
        ({"kind": "view"}, 400),
        ({"kind": "open", "guide": "no-such-guide"}, 404),
        ({"kind": "teleport", "guide": GUIDE}, 400),
        ({"kind": "view", "guide": GUIDE, "ip": "1.2.3.4"}, 400),  # fields we never asked for
        ({"kind": "search", "query": ""}, 400),
        ({"kind": "search", "query": "x" * 401}, 400),
        ({"kind": "step", "path": "locked/no-such-answer", "version": "current"}, 404),
        ({"kind": "step", "path": "LOCKED/<script>", "version": "current"}, 400),
        # a page of an older tree
        ({"kind": "step", "path": "locked", "version": "0ld0ld0ld0"}, 409),
        ({"kind": "ask", "query": "机器被锁了", "version": "0ld0ld0ld0"}, 409),
        ({"kind": "code", "code": "ABCDEFGHIJ"}, 400),
    ],
)
def test_refused_events_answer_why_and_store_nothing(client, small, fields, status):
    fields = {k: version() if v == "current" else v for k, v in fields.items()}
    response = beacon(client, **fields)
    assert response.status_code == status
    assert not DailyCount.objects.exists()


@pytest.mark.django_db
def test_repeated_fields_are_refused(client):
    response = client.post(
        "/insights/event",
        "kind=view&guide=a&guide=b",
        content_type="application/x-www-form-urlencoded",
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 400
    assert not DailyCount.objects.exists()


@pytest.mark.django_db
def test_an_oversized_event_is_refused_unread(client):
    response = beacon(client, kind="view", guide=GUIDE, query="x" * 2000)
    assert response.status_code == 413
    assert not DailyCount.objects.exists()


@pytest.mark.django_db
def test_an_event_from_another_site_is_refused(client):
    response = client.post(
        "/insights/event",
        {"kind": "view", "guide": GUIDE},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    response = client.post("/insights/event", {"kind": "view", "guide": GUIDE})  # no Origin at all
    assert response.status_code == 403
    assert not DailyCount.objects.exists()


@pytest.mark.django_db
def test_a_flood_from_one_client_is_refused_with_a_wait(client, settings):
    settings.ANONYMOUS_WRITE_LIMITS = {"event": (3, 60)}
    statuses = [beacon(client, kind="view", guide=GUIDE).status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
    assert stored() == {("view", GUIDE, ""): 3}


@pytest.mark.django_db
def test_get_is_not_an_event(client):
    assert client.get("/insights/event?kind=view&guide=" + GUIDE).status_code == 405
    assert not DailyCount.objects.exists()


# --- a changed tree starts a new funnel -----------------------------------------------------------


@pytest.mark.django_db
def test_a_changed_tree_gets_a_new_version_and_old_pages_count_nothing(client, small):
    old = version()
    assert beacon(client, kind="step", path="locked", version=old).status_code == 204
    write_tree(
        small, SMALL_TREE.replace("goto: unsure}\n  other:", "goto: wrong-password}\n  other:")
    )
    new = version()
    assert new != old
    assert beacon(client, kind="step", path="locked", version=old).status_code == 409
    assert beacon(client, kind="step", path="locked", version=new).status_code == 204
    assert stored()[("question", "locked", old)] == 1
    assert stored()[("question", "locked", new)] == 1


@pytest.mark.django_db
def test_rewording_a_question_keeps_the_funnel(small):
    before = version()
    write_tree(small, SMALL_TREE.replace("锁机的原因是哪一种？", "机器为什么被锁？"))
    assert version() == before


@pytest.mark.django_db
def test_assistant_pages_carry_the_tree_version_for_the_beacon(client, small):
    html = client.get("/triage/locked/").content.decode()
    assert f'data-tree-version="{version()}"' in html
    assert not DailyCount.objects.exists()  # the page itself counts nothing: it may be cached


# --- 这篇指南有帮助吗？ ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_vote_without_javascript_redirects_to_a_thanks_page_without_the_answer_in_the_guide_url(
    client,
):
    page = client.get(f"/guides/{GUIDE}/").content.decode()
    assert f'action="/guides/{GUIDE}/feedback/"' in page and "csrfmiddlewaretoken" not in page
    response = client.post(
        f"/guides/{GUIDE}/feedback/", {"helpful": "no", "section": "symptoms"}, headers=SAME_ORIGIN
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"/guides/{GUIDE}/feedback/thanks/?answer=no&section=symptoms")
    thanks = client.get(location)
    html = thanks.content.decode()
    assert thanks["Cache-Control"].startswith("max-age=0") or "no-cache" in thanks["Cache-Control"]
    assert "抱歉没有帮上忙" in html and "哪里没帮上" in html
    assert "终端服务商客服热线" in html  # the guide's channels
    assert "看了指南《POS 机被锁定（锁机）：原因与解锁》里的“" in html  # the agent text
    assert stored() == {("vote-no", GUIDE, ""): 1}


@pytest.mark.django_db
def test_a_vote_with_htmx_gets_the_answer_box(client):
    response = client.post(f"/guides/{GUIDE}/feedback/", {"helpful": "no"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="feedback"') and "<html" not in html
    assert 'data-hx-post="/guides/unlock-locked-terminal/feedback/reason/"' in html
    assert "发给客服的话" in html and "<textarea" in html
    assert "HX-Request" in response["Vary"]
    response = client.post(f"/guides/{GUIDE}/feedback/", {"helpful": "yes"}, headers=HTMX)
    assert "很高兴帮上了忙" in response.content.decode()
    assert stored() == {("vote-no", GUIDE, ""): 1, ("vote-yes", GUIDE, ""): 1}


@pytest.mark.django_db
def test_a_reason_after_not_solved_is_counted_both_ways(client):
    response = client.post(
        f"/guides/{GUIDE}/feedback/reason/", {"reason": "steps-failed"}, headers=HTMX
    )
    assert "收到，谢谢" in response.content.decode()
    assert "哪里没帮上" not in response.content.decode()
    response = client.post(
        f"/guides/{GUIDE}/feedback/reason/", {"reason": "unclear"}, headers=SAME_ORIGIN
    )
    assert response.status_code == 302 and "told=1" in response.headers["Location"]
    assert "收到，谢谢" in client.get(response.headers["Location"]).content.decode()
    assert stored() == {
        ("reason", GUIDE, "steps-failed"): 1,
        ("reason", GUIDE, "unclear"): 1,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "status"),
    [
        (f"/guides/{GUIDE}/feedback/", {"helpful": "maybe"}, 400),
        (f"/guides/{GUIDE}/feedback/", {}, 400),
        ("/guides/no-such-guide/feedback/", {"helpful": "no"}, 404),
        (f"/guides/{GUIDE}/feedback/reason/", {"reason": "hate"}, 400),
        ("/guides/no-such-guide/feedback/reason/", {"reason": "other"}, 404),
    ],
)
def test_bad_votes_are_refused_and_store_nothing(client, url, data, status):
    assert client.post(url, data, headers=SAME_ORIGIN).status_code == status
    assert not DailyCount.objects.exists()


@pytest.mark.django_db
def test_a_cross_site_vote_is_refused(client):
    response = client.post(
        f"/guides/{GUIDE}/feedback/", {"helpful": "no"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert not DailyCount.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["answer=maybe", "", "answer=no&section=<script>"])
def test_the_thanks_page_checks_its_input(client, query):
    response = client.get(f"/guides/{GUIDE}/feedback/thanks/?{query}")
    if "section" in query:
        assert response.status_code == 200 and "<script>" not in response.content.decode()
    else:
        assert response.status_code == 400


# --- public pages stay the same for everyone ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", f"/guides/{GUIDE}/", "/search/?q=锁机", "/triage/"])
def test_public_pages_set_no_cookie_and_do_not_vary_on_it(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


# --- staff ----------------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    return User.objects.create_user("editor", password="a-long-test-password", is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/insights/", "/staff/insights/guides.csv"])
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login/?next=")


@pytest.mark.django_db
def test_the_login_page_is_chinese_and_a_non_staff_user_cannot_pass(client):
    User.objects.create_user("merchant", password="a-long-test-password")
    page = client.get("/staff/login/").content.decode()
    assert "编辑登录" in page and 'autocomplete="current-password"' in page
    response = client.post(
        "/staff/login/", {"username": "merchant", "password": "a-long-test-password"}
    )
    assert response.status_code == 200
    assert "没有编辑权限" in response.content.decode()


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client, staff):
    for _ in range(5):
        response = client.post("/staff/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/staff/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 429 and response["Retry-After"]
    assert "登录失败的次数太多" in response.content.decode()
    # Even the right password waits until the window has passed.
    right = {"username": "editor", "password": "a-long-test-password"}
    assert client.post("/staff/login/", right).status_code == 429


@pytest.mark.django_db
def test_staff_log_in_and_see_the_page(client, staff, small):
    v = version()
    counting.count("view", GUIDE, n=4)
    counting.count("vote-no", GUIDE, n=3)
    counting.count("reason", GUIDE, "unclear", n=2)
    counting.count("gap", "恐龙蛋", "search", n=5)
    counting.count("assistant-enter", "", v, n=10)
    counting.count("question", "problem", v, n=10)
    counting.count("answer", "problem/locked", v, n=6)
    counting.count("outcome", "unsure", v, n=3)
    counting.count("solved", "unsure", v, n=1)
    counting.count("unsolved", "unsure", v, n=1)
    counting.count("code", "51", n=7)
    response = client.post(
        "/staff/login/",
        {"username": "editor", "password": "a-long-test-password", "next": "/staff/insights/"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/staff/insights/"
    page = client.get("/staff/insights/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert "POS 机被锁定" in html and "看不懂 2" in html
    assert "恐龙蛋" in html and "51" in html
    assert "您的 POS 机遇到了什么问题？" in html and "机器被锁了 6" in html
    assert html.count('class="chart-spark"') == 4 and 'class="chart-fill"' in html
    assert "<script>" not in html and 'style="' not in html
    thirty = client.get("/staff/insights/?days=30").content.decode()
    assert 'href="?days=30" aria-current="page"' in thirty


@pytest.mark.django_db
def test_a_bad_window_is_a_400(client, staff):
    client.force_login(staff)
    assert client.get("/staff/insights/?days=9999").status_code == 400
    assert client.get("/staff/insights/guides.csv?days=x").status_code == 400
    assert client.get("/staff/insights/nothing.csv").status_code == 404


@pytest.mark.django_db
def test_each_table_downloads_as_csv(client, staff, small):
    client.force_login(staff)
    counting.count("view", GUIDE, n=2)
    counting.count("gap", "=cmd|calc", "search")
    counting.count("code", "51", n=3)
    for table, expected in [
        ("guides", f"{GUIDE},POS 机被锁定（锁机）：原因与解锁,2,0,0,"),
        ("gaps", "'=cmd|calc,1,搜索"),  # a formula is quoted, not run by a spreadsheet
        ("funnel", "您的 POS 机遇到了什么问题？,problem,0,0,0,"),
        ("outcomes", "T1,密码输错次数过多被锁,0,0,0,"),
        ("codes", "51,3"),
    ]:
        response = client.get(f"/staff/insights/{table}.csv?days=30")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f"insights-{table}-30d.csv" in response["Content-Disposition"]
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff")
        assert expected in body, body


@pytest.mark.django_db
def test_the_admin_login_goes_through_the_rate_limited_one(client):
    response = client.get("/staff/admin/login/?next=/staff/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/login/?next=%2Fstaff%2Fadmin%2F"


# --- learning from use: merchants' own words and where they ended --------------------------------


@pytest.mark.django_db
def test_what_was_typed_is_kept_masked_with_the_outcome_it_ended_on(client):
    tree_version = version()
    solved = beacon(
        client,
        kind="said",
        query="机器所定了 打13812345678",
        path="status/locked/wrong-password/solved",
        version=tree_version,
    )
    assert solved.status_code == 204
    unsolved = beacon(
        client, kind="said", query="签不上", path="sign-in/failed/unsolved", version=tree_version
    )
    assert unsolved.status_code == 204
    voted = beacon(client, kind="said", query="mima wangle", guide=GUIDE, verdict="no")
    assert voted.status_code == 204
    kept = stored()
    assert kept[("said-yes", "机器所定了 打 #", "o:locked-wrong-password")] == 1
    assert ("said-no", "签不上", "o:sign-in-failed") in kept
    assert kept[("said-no", "mima wangle", f"g:{GUIDE}")] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"query": "机器锁了", "path": "status/locked/wrong-password"},  # no 解决了/还没解决
        {"query": "机器锁了", "guide": GUIDE, "verdict": "maybe"},
        {"query": "机器锁了", "guide": "no-such-guide", "verdict": "yes"},
        {"query": "1381234567", "guide": GUIDE, "verdict": "yes"},  # nothing left once masked
    ],
)
def test_a_said_event_that_names_no_answer_is_refused(client, fields):
    response = beacon(client, kind="said", version=version(), **fields)
    assert response.status_code in (400, 404)
    assert stored() == {}


@pytest.mark.django_db
def test_the_staff_page_groups_what_helped_with_the_line_to_add(client, staff):
    tree_version = version()
    for _ in range(2):
        beacon(
            client,
            kind="said",
            query="锁机啦咋整",
            path="status/locked/wrong-password/solved",
            version=tree_version,
        )
    beacon(
        client,
        kind="said",
        query="签到老失败",
        path="sign-in/failed/unsolved",
        version=tree_version,
    )
    client.force_login(staff)
    body = client.get("/staff/insights/").content.decode()
    from triage.loading import get_tree

    outcome = get_tree(get_library()).outcomes["locked-wrong-password"]
    line = outcome.examples_line
    examples = (get_library().root / outcome.examples_file).read_text(encoding="utf-8")
    assert examples.splitlines()[line - 1] == "  locked-wrong-password:"  # where to add it
    assert "商户自己的话：解决了的" in body
    assert f"content/examples/locked.yaml 第 {line} 行" in body
    assert "<code>    - 锁机啦咋整</code> ×2" in body
    assert "签到老失败 ×1" in body


@pytest.mark.django_db
def test_a_guide_voted_helpful_groups_the_words_under_its_section_with_examples(client, staff):
    # No outcome lands on the FAQ entry; its examples: in the guide's front matter are the place.
    beacon(
        client,
        kind="said",
        query="机器泡水了 还能不能用",
        guide="basic-troubleshooting",
        verdict="yes",
    )
    client.force_login(staff)
    body = client.get("/staff/insights/").content.decode()
    path = get_library().guides["basic-troubleshooting"].path
    line = next(
        n
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if text.strip() == "faq-water:"
    )
    assert f"content/guides/basic-troubleshooting.md 第 {line} 行 examples: 下的 faq-water" in body
    assert "<code>    - 机器泡水了 还能不能用</code> ×1" in body
