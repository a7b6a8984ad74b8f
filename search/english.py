"""English read as Chinese: ``content/synonyms.yaml``'s ``english:`` map ("sms code: 验证码").

A merchant who types "my pos was stolen" means "机器被偷了"; the guides, the learned reader's
examples and the danger patterns are in Chinese. So before pinyin is read, each English word or
phrase of the map is replaced by its Chinese: whole words only ("lost", not the "lost" in
"almost"), longest first ("lost signal" before "lost"), a space inside a phrase optional
("smscode"). Other Latin words ("pos", "wifi", "e01") stay as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def compile_readings(
    readings: Iterable[tuple[str, str]],
) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One pattern for every phrase, and each phrase's reading keyed by the phrase without
    spaces (what the pattern matched, spaces taken out)."""
    readings = tuple(readings)
    if not readings:
        return None, {}
    phrases = sorted((english for english, _ in readings), key=lambda p: (-len(p), p))
    spelled = "|".join(r"\s*".join(map(re.escape, p.split())) for p in phrases)
    pattern = re.compile(rf"(?<![a-z0-9])(?:{spelled})(?![a-z0-9])")
    return pattern, {english.replace(" ", ""): chinese for english, chinese in readings}


def read(pattern: re.Pattern[str] | None, readings: dict[str, str], text: str) -> str:
    """``text`` (normalised: lower case, punctuation as spaces) with the English read as Chinese
    ("my pos was stolen" as "my pos was 被偷")."""
    if pattern is None:
        return text
    return pattern.sub(lambda m: f" {readings[''.join(m[0].split())]} ", text).strip()
