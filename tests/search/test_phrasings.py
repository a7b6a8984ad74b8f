"""Shipped content: merchant phrasings (tests/phrasings/*.tsv) find their guide."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

import search
from guides import loading as guides_loading
from tests.factories import phrasings, slugs

MERCHANT_QUERIES = phrasings()


TYPED_QUERIES = phrasings("typing.tsv")


MIN_FIRST_PLACE = 0.9


def test_merchant_phrasings_find_their_guide(shipped_index):
    assert len(MERCHANT_QUERIES) >= 120
    assert len(TYPED_QUERIES) >= 25
    missing, not_first = [], []
    for query, expected in MERCHANT_QUERIES:
        found = slugs(search.search(shipped_index, query, limit=3))
        if expected not in found:
            missing.append(f"{query} → {found} (expected {expected})")
        elif found[0] != expected:
            not_first.append(f"{query} → {found} (expected {expected})")

    first_place = 1 - (len(missing) + len(not_first)) / len(MERCHANT_QUERIES)
    assert not missing, "not in the top 3:\n" + "\n".join(missing)
    assert first_place >= MIN_FIRST_PLACE, (
        f"first for {first_place:.0%} of the queries; not first:\n" + "\n".join(not_first)
    )


def test_merchant_phrasings_still_find_their_guide_among_the_assistants_outcomes():
    # The live index also holds the assistant's outcomes; an outcome hit names its guide.
    index = search.get_index()
    missing = [
        f"{query} → {slugs(search.search(index, query, limit=3))} (expected {expected})"
        for query, expected in MERCHANT_QUERIES
        if expected not in slugs(search.search(index, query, limit=3))
    ]
    assert not missing, "not in the top 3:\n" + "\n".join(missing)


def test_every_shipped_guide_can_be_found_by_its_title(shipped_index):
    library = guides_loading.load_library(Path(settings.BASE_DIR) / "content")
    for guide_ in library.guides.values():
        assert slugs(search.search(shipped_index, guide_.title, limit=1)) == [guide_.slug]


def test_traditional_characters_find_what_simplified_ones_find(shipped_index):
    pairs = [
        ("終端已鎖定", "终端已锁定"),
        ("商戶狀態異常", "商户状态异常"),
        ("結算卡被凍結", "结算卡被冻结"),
        ("簽到失敗", "签到失败"),
        ("列印機沒紙", "列印机没纸"),
    ]
    for traditional, simplified in pairs:
        found = slugs(search.search(shipped_index, traditional, limit=3))
        assert found, traditional
        assert found == slugs(search.search(shipped_index, simplified, limit=3)), traditional
