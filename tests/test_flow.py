"""triage.flow: loading the tree, walking paths, service codes, and the shipped tree itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from helpcenter import content
from helpcenter.content import get_library
from triage import flow

# A small tree that exercises every feature: a free-text node, a restart answer, an outcome
# with `next`, one without, and a node reached from two places.
SMALL_TREE = """\
start: problem
questions:
  problem:
    question: 您的 POS 机遇到了什么问题？
    free_text: true
    answers:
      - {id: locked, label: 机器被锁了, goto: locked}
      - {id: other, label: 其他问题, goto: other}
  locked:
    question: 锁机的原因是哪一种？
    help: 看一眼屏幕上的原话。
    answers:
      - {id: wrong-password, label: 密码输错次数过多, goto: wrong-password}
      - {id: unsure, label: 不确定, goto: unsure}
  other:
    question: 请用自己的话说说
    free_text: true
    answers:
      - {id: contact, label: 直接联系客服, goto: unsure}
      - {id: restart, label: 重新选择, restart: true}
outcomes:
  wrong-password:
    code: T1
    title: 密码输错次数过多被锁
    summary: 马上停下别再试。
    guide: unlock-locked-terminal
    anchor: wrong-password
    channels: [provider-hotline]
    next: unsure
    keywords: [操作员已锁定]
  unsure:
    code: T2
    title: 看不出为什么被锁
    summary: 重启一次，再看提示。
    guide: unlock-locked-terminal
    anchor: unsure-cause
    channels: [provider-hotline, account-manager]
    contact: true
"""

FIVE_GUIDES = (
    "unlock-locked-terminal",
    "activate-new-terminal",
    "restore-suspended-terminal",
    "forgotten-operator-password",
    "sign-in-after-power-off",
)


def write_tree(content_dir: Path, text: str = SMALL_TREE) -> Path:
    path = content_dir / flow.TREE_FILE
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small_tree(content_dir) -> flow.Tree:
    write_tree(content_dir)
    tree = flow.get_tree(get_library())
    assert tree.problems == ()
    return tree


def shipped_tree() -> tuple[content.Library, flow.Tree]:
    library = content.load_library(Path(settings.BASE_DIR) / "content")
    return library, flow.load_tree(library)


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
    root = tree.root
    for answer_id in ("locked", "activation", "suspended", "password", "sign-in"):
        node = tree.nodes[root.answer(answer_id).goto]
        assert len(node.answers) >= 3, answer_id
    locked = {a.id for a in tree.nodes["locked"].answers}
    assert {"wrong-password", "frozen", "risk", "unsure"} <= locked
    for answer_id in ("network", "power", "printer", "card-reader", "other"):
        assert root.answer(answer_id) is not None
    assert tree.nodes["other"].free_text


def test_shipped_service_codes_are_unique_and_well_formed():
    _, tree = shipped_tree()
    codes = [o.code for o in tree.outcomes.values()]
    assert len(codes) == len(set(codes)) == len(tree.codes)
    assert all(flow.CODE_RE.fullmatch(c) for c in codes)


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
    assert small_tree.codes == {"T1": "wrong-password", "T2": "unsure"}


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
    tree = flow.get_tree(get_library())
    assert tree is not small_tree
    assert tree.outcomes["wrong-password"].title == "改过的标题"


def test_tree_is_built_once_per_library(small_tree):
    assert flow.get_tree(get_library()) is small_tree


def test_missing_tree_file_gives_an_empty_tree_and_a_problem(content_dir):
    (content_dir / flow.TREE_FILE).unlink()
    tree = flow.get_tree(get_library())
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
    assert walked.current.outcome.code == "T1"
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
def test_normalize_code_folds_case_spaces_and_full_width(typed, expected):
    assert flow.normalize_code(typed) == expected


def test_normalize_code_is_bounded():
    assert len(flow.normalize_code("A" * 10_000)) == flow.CODE_INPUT_LIMIT


def test_code_leads_to_the_outcome_url(small_tree):
    outcome = flow.outcome_for_code(tree=small_tree, code="ｔ２")
    assert outcome.id == "unsure"
    assert flow.outcome_url(tree=small_tree, outcome=outcome) == "/triage/locked/unsure/"
    assert flow.outcome_for_code(tree=small_tree, code="Z9") is None


# --- search documents --------------------------------------------------------------------------


def test_outcome_documents_describe_the_path_and_the_outcome(small_tree):
    documents = {d.url: d for d in flow.outcome_documents(get_library())}
    assert set(documents) == {"/triage/locked/wrong-password/", "/triage/locked/unsure/"}
    document = documents["/triage/locked/wrong-password/"]
    assert document.kind == "outcome"
    assert document.guide_slug == "unlock-locked-terminal"
    assert document.guide_title == "密码输错次数过多被锁"
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
    from helpcenter import search

    hits = search.search(search.get_index(), "操作员已锁定", limit=5)
    assert "/triage/locked/wrong-password/" in [h.url for h in hits if h.kind == "outcome"]


def test_outcomes_do_not_push_their_guide_section_down_the_search_page():
    from helpcenter import search

    first = search.search(search.get_index(), "刷卡没反应", limit=1)[0]
    assert first.url == "/guides/basic-troubleshooting/#card-reader"
