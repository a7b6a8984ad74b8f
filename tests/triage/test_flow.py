"""triage.flow: loading the tree, walking paths, service codes, and the shipped tree itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from guides import content
from guides import loading as guides_loading
from guides.library import get_library
from tests.factories import MOVED_TREE, OLD_FIRST_SCREEN, SMALL_TREE, write_tree
from triage import flow
from triage.loading import get_tree, load_tree
from triage.search import outcome_documents
from triage.tree import CODE_RE, TREE_FILE

# A small tree that exercises every feature: a free-text node, a restart answer, an outcome
# with `next`, one without, and a node reached from two places.

FIVE_GUIDES = (
    "unlock-locked-terminal",
    "activate-new-terminal",
    "restore-suspended-terminal",
    "forgotten-operator-password",
    "sign-in-after-power-off",
)


@pytest.fixture
def small_tree(content_dir) -> flow.Tree:
    write_tree(content_dir)
    tree = get_tree(get_library())
    assert tree.problems == ()
    return tree


def shipped_tree() -> tuple[content.Library, flow.Tree]:
    library = guides_loading.load_library(Path(settings.BASE_DIR) / "content")
    return library, load_tree(library)


# --- the shipped tree ------------------------------------------------------------------------


def test_shipped_tree_has_no_problems():
    _, tree = shipped_tree()
    assert [f"{p.line}: {p.message}" for p in tree.problems] == []


def test_every_shipped_node_and_outcome_is_reachable():
    _, tree = shipped_tree()
    unreachable = set(tree.nodes) | set(tree.outcomes)
    unreachable -= set(tree.routes)
    assert unreachable == set()
    # ...and reachable by walking, not just by the route table.
    for item_id, route in tree.routes.items():
        walked = flow.walk(tree=tree, path=route)
        assert not walked.stale
        reached = walked.current.node or walked.current.outcome
        assert reached.id == item_id


def test_every_shipped_outcome_resolves_to_a_guide_section():
    library, tree = shipped_tree()
    for outcome in tree.outcomes.values():
        guide = library.guides.get(outcome.guide)
        assert guide is not None, outcome.id
        assert guide.section(outcome.anchor) is not None, f"{outcome.id}: #{outcome.anchor}"
        assert outcome.guide_url == f"/guides/{outcome.guide}/#{outcome.anchor}"
        assert all(c in library.channels for c in outcome.channels), outcome.id
        assert outcome.channels, outcome.id


def test_the_first_screen_has_at_most_ten_buttons():
    _, tree = shipped_tree()
    assert 1 < len(tree.root.answers) <= 10


def test_each_of_the_five_guides_is_at_most_three_clicks_away():
    _, tree = shipped_tree()
    for slug in FIVE_GUIDES:
        clicks = min(
            (len(tree.routes[o.id]) for o in tree.outcomes.values() if o.guide == slug),
            default=None,
        )
        assert clicks is not None and clicks <= 3, f"{slug}: {clicks} clicks"


def test_shipped_tree_narrows_each_of_the_five_problems_by_cause():
    _, tree = shipped_tree()
    # The five problems sit one question below the first screen (locked and suspended under
    # "status", activation under "account", the passwords under "sign-in").
    for path in (
        ("status", "locked"),
        ("account", "activation"),
        ("status", "suspended"),
        ("sign-in", "password"),
        ("sign-in",),
    ):
        node = walk_to(tree, *path).node
        assert node is not None and len(node.answers) >= 3, path
    locked = {a.id for a in tree.nodes["locked"].answers}
    assert {"wrong-password", "frozen", "risk", "unsure"} <= locked
    hardware = tree.nodes[tree.root.answer("hardware").goto]
    for answer_id in ("network", "power", "printer", "card-reader", "screen"):
        assert hardware.answer(answer_id) is not None, answer_id
    assert tree.root.answer("other") is not None
    assert tree.nodes["other"].free_text


def test_shipped_service_codes_are_unique_and_well_formed():
    _, tree = shipped_tree()
    codes = [o.service_code for o in tree.outcomes.values()]
    assert len(codes) == len(set(codes)) == len(tree.service_codes)
    assert all(CODE_RE.fullmatch(c) for c in codes)


def test_shipped_paths_fit_the_url_bounds():
    _, tree = shipped_tree()
    for route in tree.routes.values():
        url_path = "/".join((*route, flow.UNSOLVED))
        assert flow.parse_path(url_path) == (*route, flow.UNSOLVED)


# --- loading -----------------------------------------------------------------------------------


def test_small_tree_loads_with_lines(small_tree):
    assert small_tree.start == "problem"
    assert small_tree.nodes["locked"].line == 9
    assert small_tree.nodes["locked"].answers[0].line == 13
    assert small_tree.outcomes["wrong-password"].line == 22
    assert small_tree.service_codes == {"T1": "wrong-password", "T2": "unsure"}


def test_outcome_carries_its_guide_section_and_prevention_link(small_tree):
    outcome = small_tree.outcomes["wrong-password"]
    assert outcome.guide_url == "/guides/unlock-locked-terminal/#wrong-password"
    assert outcome.section_title.endswith("密码输错次数过多导致锁定")
    assert outcome.prevention_url == "/guides/unlock-locked-terminal/#prevention"


def test_routes_are_shortest_and_go_through_unsolved_for_next_only(small_tree):
    assert small_tree.routes["wrong-password"] == ("locked", "wrong-password")
    assert small_tree.routes["unsure"] == ("locked", "unsure")
    assert small_tree.routes["other"] == ("other",)


def test_tree_is_rebuilt_when_the_file_changes(content_dir, small_tree):
    edited = SMALL_TREE.replace("title: 密码输错次数过多被锁", "title: 改过的标题")
    path = write_tree(content_dir, edited)
    # A different size is enough for the content signature, whatever the clock does.
    assert path.stat().st_size != len(SMALL_TREE.encode())
    tree = get_tree(get_library())
    assert tree is not small_tree
    assert tree.outcomes["wrong-password"].title == "改过的标题"


def test_tree_is_built_once_per_library(small_tree):
    assert get_tree(get_library()) is small_tree


def test_missing_tree_file_gives_an_empty_tree_and_a_problem(content_dir):
    (content_dir / TREE_FILE).unlink()
    tree = get_tree(get_library())
    assert tree.root is None
    assert [p.message for p in tree.problems] == ["文件不存在"]
    assert flow.walk(tree=tree, path=("locked",)).turns == ()


# --- paths and walking -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ()),
        ("/", ()),
        ("locked", ("locked",)),
        ("locked/frozen/", ("locked", "frozen")),
        ("Locked", None),
        ("locked//frozen", None),
        ("locked/../x", None),
        ("锁机", None),
        ("a" * (flow.MAX_SEGMENT + 1), None),
        ("/".join(["a"] * (flow.MAX_DEPTH + 1)), None),
        ("-locked", None),
        ("x" * 5000, None),
    ],
)
def test_parse_path_accepts_only_paths_the_assistant_makes(raw, expected):
    assert flow.parse_path(raw) == expected


def test_walk_renders_the_conversation_so_far(small_tree):
    walked = flow.walk(tree=small_tree, path=("locked", "wrong-password"))
    assert [(t.kind, t.chosen) for t in walked.turns] == [
        ("question", "机器被锁了"),
        ("question", "密码输错次数过多"),
        ("outcome", ""),
    ]
    assert [t.number for t in walked.turns] == [1, 2, 3]
    assert walked.turns[1].path == ("locked",)
    assert walked.current.outcome.service_code == "T1"
    assert not walked.stale


def test_walk_stops_at_the_longest_valid_prefix(small_tree):
    walked = flow.walk(tree=small_tree, path=("locked", "gone", "deeper"))
    assert walked.path == ("locked",)
    assert walked.unknown == ("gone", "deeper")
    assert walked.stale
    assert walked.current.node.id == "locked"


def test_solved_and_unsolved_follow_an_outcome(small_tree):
    solved = flow.walk(tree=small_tree, path=("locked", "wrong-password", "solved"))
    assert solved.current.kind == "solved"
    assert solved.turns[-2].chosen == flow.SOLVED_LABEL
    # wrong-password has `next: unsure`: not solved leads there.
    unsolved = flow.walk(tree=small_tree, path=("locked", "wrong-password", "unsolved"))
    assert unsolved.current.kind == "outcome"
    assert unsolved.current.outcome.id == "unsure"
    # unsure has no next: not solved ends at the contact channels.
    contact = flow.walk(tree=small_tree, path=("locked", "unsure", "unsolved"))
    assert contact.current.kind == "contact"
    assert contact.current.outcome.id == "unsure"
    # Nothing follows the end.
    assert flow.walk(tree=small_tree, path=("locked", "unsure", "unsolved", "x")).stale


def test_solved_is_not_an_answer_to_a_question(small_tree):
    assert flow.walk(tree=small_tree, path=("solved",)).stale


def test_a_restart_answer_is_a_link_to_the_start_not_a_path_segment(small_tree):
    assert flow.walk(tree=small_tree, path=("other", "restart")).stale
    choices = flow.choices(turn=flow.walk(tree=small_tree, path=("other",)).current)
    assert [(c.label, c.url, c.restart) for c in choices] == [
        ("直接联系客服", "/triage/other/contact/", False),
        ("重新选择", "/triage/", True),
    ]


def test_outcome_choices_are_solved_and_unsolved(small_tree):
    turn = flow.walk(tree=small_tree, path=("locked", "unsure")).current
    assert [(c.label, c.url) for c in flow.choices(turn=turn)] == [
        ("解决了", "/triage/locked/unsure/solved/"),
        ("还没解决", "/triage/locked/unsure/unsolved/"),
    ]
    end = flow.walk(tree=small_tree, path=("locked", "unsure", "solved")).current
    assert flow.choices(turn=end) == []


def test_state_url():
    assert flow.state_url(path=()) == "/triage/"
    assert flow.state_url(path=("locked", "frozen")) == "/triage/locked/frozen/"


# --- service codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("T1", "T1"),
        ("t1", "T1"),
        (" t 1 ", "T1"),
        ("Ｔ１", "T1"),
        ("\u3000t1\u3000", "T1"),
        ("", ""),
    ],
)
def test_normalize_service_code_folds_case_spaces_and_full_width(typed, expected):
    assert flow.normalize_service_code(typed) == expected


def test_normalize_service_code_is_bounded():
    assert len(flow.normalize_service_code("A" * 10_000)) == flow.CODE_INPUT_LIMIT


def test_code_leads_to_the_outcome_url(small_tree):
    outcome = flow.outcome_for_service_code(tree=small_tree, code="ｔ２")
    assert outcome.id == "unsure"
    assert flow.outcome_url(tree=small_tree, outcome=outcome) == "/triage/locked/unsure/"
    assert flow.outcome_for_service_code(tree=small_tree, code="Z9") is None


# --- search documents --------------------------------------------------------------------------


def test_outcome_documents_describe_the_path_and_the_outcome(small_tree):
    documents = {d.url: d for d in outcome_documents(get_library())}
    assert set(documents) == {"/triage/locked/wrong-password/", "/triage/locked/unsure/"}
    document = documents["/triage/locked/wrong-password/"]
    assert document.kind == "outcome"
    assert document.guide_slug == "unlock-locked-terminal"
    assert document.title == "密码输错次数过多被锁"
    for words in (
        "您的 POS 机遇到了什么问题？",
        "机器被锁了",
        "锁机的原因是哪一种？",
        "马上停下别再试。",
    ):
        assert words in document.text
    # Keywords count as body text, not as a weighted field (guides rank first on /search/).
    assert "操作员已锁定" in document.text
    assert document.keywords == ()


def test_free_text_finds_an_outcome_of_the_shipped_tree():
    import search

    hits = search.search(search.get_index(), "操作员已锁定", limit=5)
    assert "/triage/status/locked/wrong-password/" in [h.url for h in hits if h.kind == "outcome"]


def test_outcomes_do_not_push_their_guide_section_down_the_search_page():
    import search

    first = search.search(search.get_index(), "刷卡没反应", limit=1)[0]
    assert first.url == "/guides/basic-troubleshooting/#card-reader"


# --- response codes (codes app) ---------------------------------------------------------------

CODE_STEP_TREE = (
    SMALL_TREE.replace(
        "      - {id: other, label: 其他问题, goto: other}\n",
        "      - {id: other, label: 其他问题, goto: other}\n"
        "      - {id: declined, label: 刷卡失败，屏幕上有代码, goto: declined}\n",
    )
    .replace(
        "outcomes:\n",
        "  declined:\n"
        "    question: 屏幕上的代码是多少？\n"
        "    code_input: true\n"
        "    answers:\n"
        "      - {id: no-code, label: 没有代码, goto: unsure}\n"
        "outcomes:\n",
    )
    .replace("    code: T2\n", '    code: T2\n    response_codes: ["A0", 99]\n')
)


def test_a_question_may_take_a_code_and_an_outcome_may_name_typical_codes(content_dir):
    write_tree(content_dir, CODE_STEP_TREE)
    tree = get_tree(get_library())
    assert tree.problems == ()
    assert tree.nodes["declined"].code_input is True
    assert tree.nodes["problem"].code_input is False
    # YAML reads 99 as a number; the code is the same either way.
    assert tree.outcomes["unsure"].response_codes == ("A0", "99")
    assert tree.outcomes["wrong-password"].response_codes == ()


@pytest.mark.parametrize(
    ("written", "line", "message"),
    [
        ("    code_input: true\n", "    code_input: yes please", "code_input 应是 true 或 false"),
        ('    response_codes: ["A0", 99]\n', "    response_codes: A0", "应是返回码列表"),
        ('    response_codes: ["A0", 99]\n', "    response_codes: [03]", "应是返回码列表"),
    ],
)
def test_bad_code_fields_are_named_with_their_line(content_dir, written, line, message):
    path = write_tree(content_dir, CODE_STEP_TREE.replace(written, line + "\n"))
    problems = get_tree(get_library()).problems
    expected_line = path.read_text(encoding="utf-8").splitlines().index(line) + 1
    assert any(message in p.message and p.line == expected_line for p in problems), problems


# --- the review's routing corrections (issue 10) ------------------------------------------------

# Codes that were published before the review: support staff know them, so each keeps its outcome.
PUBLISHED_CODES = {
    "L1": "locked-wrong-password", "L2": "locked-frozen", "L3": "locked-risk",
    "L4": "locked-damaged", "L5": "locked-unsure",
    "A1": "activation-first-time", "A2": "activation-invalid-code", "A3": "activation-review",
    "A4": "activation-failed", "A5": "activation-after",
    "S1": "suspended-inactive", "S2": "suspended-documents", "S3": "suspended-risk",
    "S4": "suspended-fee", "S5": "suspended-unsure",
    "P1": "password-operator-id", "P2": "password-operator", "P3": "password-supervisor",
    "P4": "password-locked", "P5": "password-app", "P6": "password-unsure",
    "Q1": "sign-in-how", "Q2": "sign-in-failed", "Q3": "sign-in-time", "Q4": "sign-in-still-fails",
    "N1": "network-sim", "N2": "network-wifi", "N3": "network-timeout", "N4": "network-still-fails",
    "E1": "power-no-start", "E2": "power-battery", "E3": "power-frozen-screen",
    "E4": "power-danger",
    "R1": "printer-no-paper", "R2": "printer-blank", "R3": "printer-missed",
    "C1": "card-reader-one-card", "C2": "card-reader-all-cards", "C3": "card-reader-card-pin",
    "Z1": "other-contact", "Z2": "other-scam", "Z3": "other-scammed", "Z4": "other-fees",
}  # fmt: skip


def walk_to(tree: flow.Tree, *path: str) -> flow.Turn:
    walked = flow.walk(tree=tree, path=path)
    assert not walked.stale, path
    return walked.current


def test_published_service_codes_keep_their_outcomes():
    _, tree = shipped_tree()
    assert {code: tree.service_codes.get(code) for code in PUBLISHED_CODES} == PUBLISHED_CODES


def test_money_not_arrived_never_lands_on_the_freeze_outcome():
    _, tree = shipped_tree()
    for path in (("money", "not-arrived", "not-due"), ("other", "money", "not-arrived", "not-due")):
        outcome = walk_to(tree, *path).outcome
        assert (outcome.service_code, outcome.guide, outcome.anchor) == (
            "M1",
            "settlement-not-received",
            "when-due",
        )
    assert tree.nodes["other"].answer("money").goto == "money"
    frozen = tree.outcomes["locked-frozen"]
    assert not {"不到账", "钱没到账"} & set(frozen.keywords)


def test_first_screen_answers_money_refund_and_scam_calls():
    _, tree = shipped_tree()
    assert walk_to(tree, "money", "less").outcome.guide_url == (
        "/guides/settlement-not-received/#less-than-expected"
    )
    assert walk_to(tree, "money", "fees").outcome.guide == "fees-and-rates"
    assert walk_to(tree, "refund", "same-day").outcome.guide_url == "/guides/void-and-refund/#void"
    assert walk_to(tree, "refund", "later").outcome.guide_url == "/guides/void-and-refund/#refund"
    assert walk_to(tree, "refund", "transfer").outcome.anchor == "never-transfer"
    assert walk_to(tree, "safety", "call").outcome.service_code == "Z2"


def test_a_rate_change_seen_in_the_statement_is_not_called_a_scam():
    _, tree = shipped_tree()
    assert "费率上调" not in tree.outcomes["other-scam"].keywords
    seen = walk_to(tree, "money", "rate-change").outcome
    assert (seen.guide, seen.anchor) == ("fees-and-rates", "rate-changes")
    # A call about rates is a scam warning, under 防骗; wanting a lower rate is not.
    assert walk_to(tree, "safety", "rate-call").outcome.service_code == "Z2"
    lower = walk_to(tree, "money", "lower-rate").outcome
    assert (lower.service_code, lower.guide) == ("M10", "fees-and-rates")
    assert "降费率" in lower.keywords and "降费率" not in tree.outcomes["other-scam"].keywords


def test_a_wrong_pin_is_this_card_failing_and_tries_used_up_is_the_pin_answer():
    # 55 (wrong PIN) sits with 51 and 14 under "only this card"; 38 and 75 (too many tries)
    # under the answer that says the customer's card, not the terminal, is locked.
    _, tree = shipped_tree()
    assert "55" in tree.outcomes["card-reader-one-card"].response_codes
    assert tree.outcomes["card-reader-card-pin"].response_codes == ("38", "75")


def test_a_customers_card_problem_goes_to_their_bank_not_unionpay():
    _, tree = shipped_tree()
    for outcome_id in ("card-reader-one-card", "card-reader-card-pin"):
        channels = tree.outcomes[outcome_id].channels
        assert "unionpay" not in channels
        assert channels[0] == "card-issuer"


def test_locked_asks_for_the_screen_text_and_knows_the_local_lock():
    _, tree = shipped_tree()
    assert "屏幕上的提示" in tree.nodes["locked"].question
    local = walk_to(tree, "status", "locked", "local").outcome
    assert (local.service_code, local.anchor) == ("L6", "local-lock")
    # Host-side status answers share one outcome, wherever the merchant starts.
    for path in (
        ("status", "merchant-status"),
        ("status", "locked", "merchant-status"),
        ("status", "suspended", "merchant-status"),
        ("card-declined", "no-code", "merchant-status"),
    ):
        assert walk_to(tree, *path).outcome.anchor == "host-status"
    assert "商户状态异常" not in tree.outcomes["locked-frozen"].keywords


def test_small_routing_fixes_of_the_review():
    _, tree = shipped_tree()
    assert tree.outcomes["password-operator-id"].next == "password-supervisor"
    assert tree.outcomes["other-contact"].guide_url == "/guides/licensed-provider/#who-is-who"
    assert "冲正" in tree.outcomes["network-timeout"].summary
    assert tree.outcomes["printer-missed"].anchor == "reprint"
    assert "anti-fraud-96110" in tree.outcomes["other-scam"].channels
    assert "complaints-12363" in walk_to(tree, "money", "fees", "unsolved").outcome.channels


# --- moved answers (issue 19) -------------------------------------------------------------------


def test_moved_maps_an_old_prefix_to_its_new_path(content_dir):
    write_tree(content_dir, MOVED_TREE)
    tree = get_tree(get_library())
    assert tree.problems == ()
    assert tree.moved == {("locked",): ("status", "locked"), ("other", "gone"): ("other",)}
    moved = flow.moved_path(tree=tree, path=("locked", "unsure", "solved"))
    assert moved == ("status", "locked", "unsure", "solved")
    assert not flow.walk(tree=tree, path=moved).stale
    assert flow.moved_path(tree=tree, path=("other", "gone", "x")) == ("other", "x")
    # Paths the tree knows, and unknown ones that nothing moved, are left alone.
    assert flow.moved_path(tree=tree, path=("status", "locked")) is None
    assert flow.moved_path(tree=tree, path=("nowhere",)) is None
    assert flow.moved_path(tree=tree, path=()) is None


def test_a_tree_without_moved_moves_nothing(small_tree):
    assert small_tree.moved == {}
    assert flow.moved_path(tree=small_tree, path=("printer",)) is None


# --- the shipped tree after round 3 of the review (issue 19) --------------------------------------


def test_every_old_first_screen_answer_still_arrives():
    _, tree = shipped_tree()
    for old, new in OLD_FIRST_SCREEN.items():
        path = (old,)
        if tree.root.answer(old) is None:
            path = flow.moved_path(tree=tree, path=path)
        assert path == tuple(new.split("/")), old
        assert not flow.walk(tree=tree, path=path).stale, old


def test_every_moved_prefix_leads_to_a_live_path_and_is_gone_itself():
    _, tree = shipped_tree()
    assert len(tree.moved) >= 9
    for old, new in tree.moved.items():
        assert flow.walk(tree=tree, path=old).stale, old
        assert not flow.walk(tree=tree, path=new).stale, new


def test_new_ways_in_of_round_three():
    _, tree = shipped_tree()
    scan = walk_to(tree, "scan", "scan-fails").outcome
    assert (scan.guide, scan.anchor) == ("qr-code-payment", "scan-fails")
    assert walk_to(tree, "scan", "paid").outcome.service_code == "M9"
    assert walk_to(tree, "scan", "refund").outcome.service_code == "V6"
    changed = walk_to(tree, "safety", "card-changed").outcome
    assert (
        changed.service_code == "Z5"
        and changed.guide == "change-merchant-details"
        and changed.contact
    )
    assert {"provider-hotline", "anti-fraud-96110"} <= set(changed.channels)
    lost = walk_to(tree, "hardware", "lost").outcome
    assert lost.guide_url == "/guides/lost-or-stolen-terminal/#stop-terminal"
    assert walk_to(tree, "account", "move").outcome.guide_url == (
        "/guides/change-merchant-details/#move-shop"
    )
    assert walk_to(tree, "account", "close", "apply").outcome.guide == "close-merchant-account"


def test_a_decline_without_a_code_offers_the_screen_texts():
    _, tree = shipped_tree()
    expected = {
        "one-card": "C1", "sign-in": "Q2", "merchant-status": "S6", "restricted": "L3",
        "timeout": "N3",
    }  # fmt: skip
    for answer_id, code in expected.items():
        assert walk_to(tree, "card-declined", "no-code", answer_id).outcome.service_code == code
    assert walk_to(tree, "card-declined", "no-code", "unsure").node.id == "card-reader"


def test_routing_fixes_of_round_three():
    _, tree = shipped_tree()
    assert tree.nodes["money-not-arrived"].question == "现在是哪种情况？"  # T2
    assert tree.outcomes["money-really-frozen"].summary.startswith("出款失败先问服务商")  # D8
    z4 = tree.outcomes["other-fees"]  # D9
    assert (z4.guide, z4.anchor) == ("fees-and-rates", "fee-traps")
    assert "acquirer" in z4.channels
    assert tree.outcomes["suspended-host-status"].summary.startswith("所有卡都这样时")  # D1
    assert "换一张卡" in tree.outcomes["suspended-host-status"].summary
    a5 = tree.outcomes["activation-after"]  # A5
    assert a5.guide_url == "/guides/sign-in-after-power-off/#sign-in-failed"
    assert tree.outcomes["sign-in-still-fails"].next == "card-declined"  # Q4


NEW_GUIDES = (
    "deposit-and-service-fees", "transaction-limits", "transaction-records", "chargebacks",
    "lost-or-stolen-terminal", "bind-and-unbind-device", "credit-cards-and-installments",
    "foreign-cards", "invoices-and-receipts", "pre-authorization", "payment-methods",
)  # fmt: skip


def test_each_new_guide_has_reachable_outcomes_with_new_codes():
    _, tree = shipped_tree()
    for slug in NEW_GUIDES:
        outcomes = [o for o in tree.outcomes.values() if o.guide == slug]
        assert len(outcomes) >= 4, slug
        for outcome in outcomes:
            assert outcome.id in tree.routes, outcome.id
            assert outcome.service_code not in PUBLISHED_CODES, outcome.id
