"""The assistant's free text: what a merchant types into "用自己的话说说" finds the right outcome.

The assistant answers free text with the outcomes that search ranks first (triage.views.ask),
so this asks the live index, outcomes and guides together, as the view does.
"""

from __future__ import annotations

import pytest

import search
from guides.library import get_library
from triage import flow
from triage.loading import get_tree
from triage.search import outcome_documents

# How merchants describe a problem to the assistant, and the service code of the outcome
# that answers it. Codes never change (content/README.md), so they name outcomes here.
PHRASINGS = [
    ("机器提示密码错误次数过多锁住了", "L1"),
    ("输错好几次密码机器锁了", "L1"),
    ("屏幕上显示锁定终端让我输密码", "L6"),
    ("机器提示商户已冻结", "L2"),
    ("结算卡被法院冻结了", "L2"),
    ("提示交易受限请联系收单机构", "L3"),
    ("机器摔了一下就提示安全触发", "L4"),
    ("新买的机器第一次怎么激活", "A1"),
    ("激活码输进去说无效", "A2"),
    ("激活码已经被使用过了", "A2"),
    ("激活资料一直在审核中", "A3"),
    ("激活的时候提示已被绑定", "A4"),
    ("很久没用机器被停用了", "S1"),
    ("营业执照过期了要补资料", "S2"),
    ("流量费到期机器停了", "S4"),
    ("提示商户状态异常", "S6"),
    ("提示无此操作员", "P1"),
    ("收银员的密码忘了", "P2"),
    ("主管密码想不起来了", "P3"),
    ("电签POS的App登录密码忘了", "P5"),
    ("开机提示请先签到", "Q1"),
    ("签到一直失败", "Q2"),
    ("机器日期时间不对签不上", "Q3"),
    ("流量卡没信号", "N1"),
    ("连不上店里的wifi", "N2"),
    ("交易超时但是顾客说钱扣了", "N3"),
    ("开不了机一直黑屏", "E1"),
    ("电池用一会就自动关机", "E2"),
    ("屏幕卡住了点什么都没反应", "E3"),
    ("电池鼓包还发烫", "E4"),
    ("打印机不出纸", "R1"),
    ("小票打出来是空白的", "R2"),
    ("交易成功了但是没出小票", "R3"),
    ("只有这一张卡刷不了", "C1"),
    ("所有卡刷卡都没反应", "C2"),
    ("顾客的卡提示密码错误次数超限", "C3"),
    ("有人打电话要我的验证码", "Z2"),
    ("我被骗了已经转了钱", "Z3"),
    ("今天刷的钱什么时候到账", "M1"),
    ("好几天了钱一直没到", "M2"),
    ("结算单打出来结算不平", "M3"),
    ("到账比刷的少了", "M5"),
    ("手续费怎么算的看不懂", "M6"),
    ("费率突然涨了", "M7"),
    ("顾客扫码付了我没收到钱", "M9"),
    ("当天刷错了要取消交易", "V1"),
    ("昨天的单要退一部分给顾客", "V2"),
    ("撤销和退货有什么区别", "V3"),
    ("顾客让我转账退款", "V5"),
    ("微信扫码收的钱怎么退", "V6"),
    # Ways in added by issue 19 (round 3 of the content review).
    ("扫码枪扫不上付款码", "C4"),
    ("没办过却收到结算卡已变更的短信", "Z5"),
    ("押金怎么退", "M12"),
    ("流量费突然扣了", "M13"),
    ("想换结算卡", "B1"),
    ("店要搬家", "B3"),
    ("提示超出限额", "C7"),
    ("顾客要信用卡分期", "C12"),
    ("外国游客刷Visa", "C15"),
    ("预授权怎么完成", "C21"),
    ("手续费发票怎么开", "M23"),
    ("想降费率", "M10"),
    ("电签蓝牙连不上", "B14"),
    ("数字人民币能收吗", "C28"),
    ("有人打电话说不交流量费就停机", "Z6"),
    # Typed in a hurry: pinyin, a slip, Cantonese.
    ("qiandao shibai", "Q2"),
    ("zhuguan mima wangle", "P3"),
    ("激话码无效", "A2"),
    ("部机开唔到机 黑屏", "E1"),
]
MIN_FIRST = 0.85


def first_outcome_url(index: search.Index, text: str) -> str | None:
    outcomes = [hit for hit in search.search(index, text, limit=12) if hit.kind == "outcome"]
    return outcomes[0].url if outcomes else None


def test_free_text_puts_the_right_outcome_first():
    library = get_library()
    tree = get_tree(library)
    index = search.get_index()
    assert len(PHRASINGS) >= 40
    wrong = []
    for text, code in PHRASINGS:
        outcome = flow.outcome_for_service_code(tree=tree, code=code)
        assert outcome is not None, f"no outcome has the code {code}"
        expected = flow.outcome_url(tree=tree, outcome=outcome)
        found = first_outcome_url(index, text)
        if found != expected:
            wrong.append(f"{text} → {found} (expected {code} {expected})")

    first = 1 - len(wrong) / len(PHRASINGS)
    assert first >= MIN_FIRST, f"right outcome first for {first:.0%}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("text", ["qiandao shibai", "签到一直失败"])
def test_outcome_documents_carry_the_questions_and_answers_on_the_way(text):
    tree = get_tree(get_library())
    documents = {d.url: d for d in outcome_documents(get_library())}
    outcome = flow.outcome_for_service_code(tree=tree, code="Q2")
    document = documents[flow.outcome_url(tree=tree, outcome=outcome)]

    # The path's question and the answer the merchant clicks are searchable words of it.
    turns = flow.walk(tree=tree, path=tree.routes[outcome.id]).turns[:-1]
    assert len(turns) >= 2
    for turn in turns:
        assert turn.node.question in document.text
        assert turn.chosen in document.text
    assert document.kind == "outcome" and document.guide_slug == "sign-in-after-power-off"
    assert first_outcome_url(search.get_index(), text) == document.url
