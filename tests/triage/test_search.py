"""The assistant's outcomes in search: a service code typed into the search box opens its
outcome first; a letter code inside a sentence is left to search."""

from __future__ import annotations

import json

import pytest

from guides.library import get_library
from triage.flow import outcome_url
from triage.loading import get_tree


def results(client, query: str) -> list[dict]:
    response = client.get("/api/search", {"q": query})
    assert response.status_code == 200
    return json.loads(response.content)["results"]


TYPED = ["{code}", "{lower}", " {code} ", "服务码 {code}", "服务码：{lower}", "service code {code}"]


@pytest.mark.parametrize("typed", TYPED)
def test_a_service_code_alone_opens_its_outcome_first(client, typed):
    tree = get_tree(get_library())
    for code in ("C2", "N3", "Z1"):  # a card-reader fault, a timeout, "contact the provider"
        outcome = tree.outcomes[tree.service_codes[code]]
        first = results(client, typed.format(code=code, lower=code.lower()))[0]
        assert first["url"] == outcome_url(tree=tree, outcome=outcome), typed
        assert first["title"] == f"服务码 {code}：{outcome.title}"
        assert first["kind"] == "outcome"


def test_full_width_service_code_is_read_too(client):
    tree = get_tree(get_library())
    outcome = tree.outcomes[tree.service_codes["C2"]]
    assert results(client, "Ｃ２")[0]["url"] == outcome_url(tree=tree, outcome=outcome)


def test_a_letter_code_inside_a_sentence_is_not_taken_for_a_service_code(client):
    # "Z1错误" is what a terminal showed (providers use Z1 too): search reads the sentence.
    assert not any(hit["title"].startswith("服务码") for hit in results(client, "Z1错误"))
    assert not any(hit["title"].startswith("服务码") for hit in results(client, "机器显示Z1"))


def test_a_code_no_outcome_has_adds_nothing(client):
    tree = get_tree(get_library())
    assert "Q9" not in tree.service_codes
    assert not any(hit["title"].startswith("服务码") for hit in results(client, "Q9"))


def test_the_search_page_offers_the_service_code(client):
    tree = get_tree(get_library())
    outcome = tree.outcomes[tree.service_codes["C2"]]
    page = client.get("/search/", {"q": "C2"}).content.decode()
    assert "没有找到" not in page
    assert f'href="{outcome_url(tree=tree, outcome=outcome)}"' in page


def test_the_instant_results_offer_the_service_code_too(client):
    # What a phone shows while the merchant is still typing, before pressing 搜索.
    tree = get_tree(get_library())
    outcome = tree.outcomes[tree.service_codes["C2"]]
    instant = {"HX-Request": "true", "HX-Target": "instant-results"}
    html = client.get("/search/", {"q": "c2"}, headers=instant).content.decode()
    assert f'href="{outcome_url(tree=tree, outcome=outcome)}"' in html
    assert "服务码 C2" in html
