"""After 没解决: who can help right now, and a text the merchant can hand to them.

The text names the guide, the section the merchant was reading and the assistant's service
code for it, so the agent knows what was tried without the merchant explaining it again. It
names nothing about the merchant: the blanks are for them to fill in on their own phone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guides.channels import FALLBACK_CHANNELS, Channel
from guides.content import Guide, Library
from triage.loading import get_tree


@dataclass(frozen=True, slots=True)
class UnsolvedHelp:
    open_now: tuple[Channel, ...]  # channels open at this moment (or always open)
    others: tuple[Channel, ...]  # the rest, with their hours, so a closed one can wait
    service_code: str
    section_title: str
    agent_text: str


def service_code(library: Library, guide: Guide, anchor: str) -> str:
    """The assistant's code for this guide (and section), when exactly one outcome fits."""
    outcomes = [o for o in get_tree(library).outcomes.values() if o.guide == guide.slug]
    exact = [o for o in outcomes if anchor and o.anchor == anchor]
    if len(exact) == 1:
        return exact[0].service_code
    whole = [o for o in outcomes if not o.anchor]
    if not exact and len(whole) == 1:
        return whole[0].service_code
    return outcomes[0].service_code if len(outcomes) == 1 else ""


def unsolved_help(
    library: Library, guide: Guide, *, anchor: str = "", now: dt.datetime | None = None
) -> UnsolvedHelp:
    ids = guide.channels or FALLBACK_CHANNELS  # whoever runs the terminal
    channels = [library.channels[i] for i in ids if i in library.channels]
    open_now = tuple(c for c in channels if c.status(now).open)
    others = tuple(c for c in channels if c not in open_now)
    section = guide.section(anchor) if anchor else None
    code = service_code(library, guide, anchor)
    read = f"《{guide.title}》" + (f"里的“{section.title}”" if section else "")
    lines = [
        f"您好，我在商户帮助中心看了指南{read}，按步骤试过了，问题还没有解决。",
        *([f"服务码：{code}"] if code else []),
        "终端 SN：",
        "终端号：",
        "商户号：",
        "屏幕上的提示：",
        "已经试过的步骤：",
    ]
    return UnsolvedHelp(
        open_now=open_now,
        others=others,
        service_code=code,
        section_title=section.title if section else "",
        agent_text="\n".join(lines),
    )
