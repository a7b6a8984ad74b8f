"""The week in plain Chinese, for editors who do not open the staff page."""

from __future__ import annotations

from typing import Any

from django.conf import settings

TOP = 5


def _list(lines: list[str]) -> list[str]:
    return [f"  {i}. {line}" for i, line in enumerate(lines, start=1)]


def digest_text(data: dict[str, Any]) -> str:
    start, end = data["start"], data["end"]
    out = [
        f"{settings.SITE_NAME} · 最近 {data['days']} 天小结（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）",
        "",
    ]

    views = data["totals"]["views"]
    out.append(f"指南一共被打开 {views} 次。" + ("看的人最多的：" if views else ""))
    out += _list([f"《{g.title}》{g.views} 次" for g in data["most_viewed"][:TOP] if g.views])
    out.append("")

    votes = data["totals"]["votes"]
    unhelpful = data["least_helpful"][:TOP]
    out.append(f"回答“这篇指南有帮助吗？”的有 {votes} 次。")
    if unhelpful:
        out.append("说“没解决”最多的指南，最值得先改：")
        out += _list(
            [
                f"《{g.title}》：没解决 {g.no} 次，有帮助 {g.yes} 次"
                + (f"。原因：{g.reason_text}" if g.reason_text else "")
                for g in unhelpful
            ]
        )
    out.append("")

    out.append(f"搜索 {data['searches']} 次，其中 {data['searches_empty']} 次什么都没找到。")
    if data["gaps"]:
        out.append("没找到结果最多的说法（号码和邮箱已隐去），可以加进指南的关键词：")
        out += _list([f"“{text}” {n} 次" for text, n, _ in data["gaps"][:TOP]])
    out.append("")

    assistant = data["assistant"]
    out.append(f"智能助手被打开 {assistant['entered']} 次。")
    leaks = sorted(
        (q for q in assistant["questions"] if q.dropped), key=lambda q: (-q.dropped, q.node_id)
    )[:3]
    if leaks:
        out.append("在这些问题上停下来的人最多：")
        out += _list(
            [f"“{q.question}”：到达 {q.reached} 次，{q.dropped} 次没有往下选" for q in leaks]
        )
    answered = [o for o in assistant["outcomes"] if o.solved + o.unsolved]
    if answered:
        worst = sorted(answered, key=lambda o: (o.solved_rate or 0, -o.unsolved))[:3]
        out.append("回答“问题解决了吗？”时，解决得最少的结果：")
        out += _list(
            [
                f"服务码 {o.service_code}「{o.title}」："
                f"解决了 {o.solved} 次，没解决 {o.unsolved} 次"
                for o in worst
            ]
        )
    out.append("")

    if data["codes"]:
        out.append(
            "查得最多的返回码："
            + "、".join(f"{code}（{n} 次）" for code, n in data["codes"][:TOP])
            + "。"
        )
    else:
        out.append("这段时间没有人查返回码。")
    return "\n".join(out).rstrip() + "\n"
