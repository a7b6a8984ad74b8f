"""triage.safety: the shapes of danger, in words that never say 骗."""

from __future__ import annotations

import pytest

from search.text import normalize
from triage.safety import danger


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("售后说我机器要解除风控 得下个app做人脸识别", "scam-remote-app"),
        ("年费到期 链接", "scam-remote-app"),
        ("下载辅助app提额", "scam-remote-app"),
        ("工作人员说要把结算卡换成他给我的那张卡才能秒到", "scam-card-changed"),
        ("交保证金解风控", "limits-scams"),
        ("测试交易 转回去", "scam-lend-terminal"),
        ("帮人点退货钱少了", "other-scam"),
        ("业务员说再交198就能升级成vip费率", "other-scam"),
        ("从来没申请过 家里寄来一台pos机", "other-scam"),
        ("来了个人挂着工牌 说给机器换芯片 已经拿到后面去了", "change-replace-terminal"),
        ("银联检查带走机器", "change-replace-terminal"),
        ("主管密码给技术员了", "other-scammed"),
        ("交了199升级 钱没了", "other-scammed"),
        ("让我把登录密码和收到的码都发他 我发了", "other-scammed"),
        ("绑定手机号被换了", "scam-card-changed"),
        ("改绑手机不是我操作", "scam-card-changed"),
        ("降费率先交398", "other-scam"),
        ("说交了就能降费率 真的吗", "other-scam"),  # not paid yet: not "already scammed"
        ("代理说交三百押金可以0.38终身不涨", "other-scam"),
        ("银行卡密码 技术员问", "other-scam"),
        ("解冻要交钱吗", "limits-scams"),
        ("说交一千块升级成vip额度", "limits-scams"),
        ("他发了个链接让我填卡号密码", "scam-remote-app"),
        ("巡检员把我的码牌揭下来换成新版的", "scam-qr-swapped"),
        ("电源适配器插上就咔咔响 还闪了一下", "power-danger"),
        ("机器年审不然冻结", "other-scam"),
        ("电话说要注销商户", "other-scam"),
        ("拿好几张卡轮流刷 都不过", "scam-lend-terminal"),
        ("手机丢了 收款app还登着", "lost-stop-terminal"),
        ("说影响征信要操作", "other-scam"),
        ("三张卡挨个刷 都说密码错", "scam-lend-terminal"),
        ("借码牌", "scam-lend-terminal"),
        ("寄pos机刷流水 兼职", "scam-lend-terminal"),
        ("朋友推荐一个软件 绑上刷卡机能自己改费率", "scam-remote-app"),
        ("快递寄来一台新的刷卡机 我从没申请过", "other-scam"),
        ("说能降费率 但是要收费", "other-scam"),
        ("刷流水就能贷款 靠谱吗", "scam-lend-terminal"),
        ("pos机能贷款吗", "scam-lend-terminal"),
        ("短信说换绑成功 可我没换绑", "scam-card-changed"),
        ("说是新政策 机器要寄回公司换", "change-replace-terminal"),
        ("一个人拿了一沓卡来结账", "scam-lend-terminal"),
        ("他连着试了四张卡才刷过", "scam-lend-terminal"),
        ("三张不同名字的卡 一起付", "scam-lend-terminal"),
        ("顾客掏出好几张卡一张张地刷", "scam-lend-terminal"),
        ("有人拉我跑分", "scam-lend-terminal"),
        ("对方让我点退款 说是系统测试", "other-scam"),
        ("加微信办理退押金", "other-scam"),
        ("收年审费吗", "deposit-fee-scams"),
        ("去个厕所回来 pos机没了", "lost-stop-terminal"),
        ("免费送新机 但要先交299押金", "deposit-fee-scams"),
        ("退押金要我先转一笔钱", "deposit-fee-scams"),
        ("电话说不升级就扣费", "other-scam"),
        ("短信说不处理就扣年费", "other-scam"),
        ("客服说不取消会员每月扣费", "other-scam"),
        # "是不是" asks; it rules nothing out ("不是骗子，是正经调单" does, below).
        ("是不是骗子", "other-scam"),
        ("机器是不是被偷了", "lost-stop-terminal"),
        # A fee demanded, asked about: "is it real?"
        ("年费299是真的吗", "deposit-fee-scams"),
        ("说要交流量费 真的假的", "deposit-fee-scams"),
        ("顾客扫码出来的名字不是我店的", "scam-qr-swapped"),
        ("信用卡代还 提额", "credit-no-cash-out"),
        ("有人找我养卡", "credit-no-cash-out"),
        ("充电的时候着火了", "power-danger"),
        ("充电器差点着火", "power-danger"),
        ("机器晚上热得厉害", "power-danger"),
        ("机器不知道为什么很烫", "power-danger"),
        ("刷卡退现金给他", "scam-lend-terminal"),
        ("短信说要调单 让我上传身份证 真的假的", "chargeback-scams"),
        ("手机丢了 上面有收款app", "lost-stop-terminal"),
        ("激活显示已绑定 我是网上买的二手的", "lost-second-hand"),
        ("朋友转让的机器能接着用吗", "lost-second-hand"),
        ("正规客服怎么认", "other-scam"),
        ("原来的卡注销了 能不能退到他老婆的卡上", "refund-never-transfer"),
        # A fee named after what it unlocks; a courier, a scan, an app that watches the phone.
        ("有人说交五百解冻费就给解开", "limits-scams"),
        ("提额手续费要先付吗", "limits-scams"),
        ("快递小哥说报个验证码才能签收", "other-scam"),
        ("快递打电话说丢件理赔 让我加他", "scam-remote-app"),
        ("快递员让我扫他手机上的码确认一下", "scam-remote-app"),
        ("扫了陌生人发的二维码", "scam-remote-app"),
        ("对方让我打开无障碍", "scam-remote-app"),
        ("装的那个软件能看到我手机屏幕", "scam-remote-app"),
        # Money gone that the merchant did not move.
        ("卡里余额突然少了五千，我没刷过也没转", "other-scammed"),
        ("提现记录里有一笔不是我操作的", "other-scammed"),
        ("收款音箱被人掉包了", "change-replace-terminal"),
        ("机器泡了水 一插电就打火", "power-danger"),
        ("刷卡机搞掉了", "lost-stop-terminal"),  # Southwestern for "lost"
        ("钱少了一千多 我啥也没干", "other-scammed"),
        ("后台显示全部提现了 我根本没提过", "other-scammed"),
        ("有好几笔不是我刷的", "other-scammed"),
        ("那个收款声音是他手机里放出来的", "money-qr-not-received"),
        ("假到账", "money-qr-not-received"),
        ("音箱报了收款五百，app里查不到这笔", "money-qr-not-received"),
        ("预留手机号被篡改了", "scam-card-changed"),
        ("结算卡不是我换的", "scam-card-changed"),
        ("结算卡变成一张陌生的卡，我自己没改过", "scam-card-changed"),
        ("快递让我扫码签收", "scam-remote-app"),
        ("凌晨两点多出现一笔退货", "other-scammed"),
        ("主管密码被别人看到了", "other-scammed"),
        ("扫了他给的码 让我填卡号", "scam-remote-app"),
        ("有人出高价收我的pos机", "scam-lend-terminal"),
        ("喇叭被人换了", "change-replace-terminal"),
        ("机器后盖顶起来了", "power-danger"),
        ("手机掉了 上面有收款app", "lost-stop-terminal"),
        ("服务费让我转到他个人账户", "deposit-fee-scams"),
        ("钱结算到了另一张卡 那张卡我不认识", "scam-card-changed"),
        ("店员偷换了收款码", "scam-qr-swapped"),
        ("那个客人一直换卡刷", "scam-lend-terminal"),
        ("收银员辞职了 电签机没还回来", "lost-stop-terminal"),
        ("说我要上征信 让我先转一块钱验证", "other-scam"),
        ("下雨机子淋湿了，开机屏幕闪还滋滋响", "power-danger"),
        ("app提示异地登录 我人就在店里", "scam-card-changed"),
        ("凌晨收到新设备登录提醒", "scam-card-changed"),
        ("结算卡遭人改了", "scam-card-changed"),  # Southwestern 遭 for 被
        ("手机号叫人改咧", "scam-card-changed"),
        ("码牌遭换了", "scam-qr-swapped"),
        ("技术员让我装了个向日葵 他还在我手机上点", "scam-remote-app"),
        ("扫二维码提额", "limits-scams"),
        ("卡里的钱没有了 我没有提现过", "other-scammed"),
        ("不是俺提的现", "other-scammed"),
        ("不交年费就上征信", "deposit-fee-scams"),
        ("充着电 电池有点鼓", "power-danger"),
        ("电池鼓胞", "power-danger"),  # a slip for 鼓包
        ("音箱后面有烟", "power-danger"),
        ("机器冒白烟", "power-danger"),
        ("结算卡俾人改咗", "scam-card-changed"),  # Cantonese 俾人 for 被人
        ("钱提现到一张不认识的卡", "scam-card-changed"),
        ("佢要我个验证码，我话咗", "other-scammed"),
        ("微信上的客服说能开分期，要我先交手续费", "deposit-fee-scams"),
        ("有个自称总部的，说机子没达标，让俺先转299激活费", "deposit-fee-scams"),
        ("有人说给我提额，要先转500手续费", "limits-scams"),  # the specific signal first
        ("收到好几条验证码，我没操作过", "other-scam"),  # someone is signing in
        ("码牌调包了", "scam-qr-swapped"),
        ("主管蜜码叫人看见了", "other-scammed"),
        ("我没换新手机，怎么提示新设备登录", "scam-card-changed"),
        ("收款app说我在外地登录 我一直在店里", "scam-card-changed"),
        ("提示账号在另一台手机上登录了 可我就一部手机", "scam-card-changed"),
        ("客人说钱没到账 叫我先退给他", "refund-never-transfer"),
        ("隔壁老板想每月给五百租我的码牌", "scam-lend-terminal"),
        ("那个离职的收银员手里还拿着店里的刷卡机", "lost-stop-terminal"),
        ("电池一直发热 越来越热", "power-danger"),
        ("电池摸着烫", "power-danger"),
        ("机器充电的时候我怕它炸", "power-danger"),
        ("电池漏液了", "power-danger"),
        ("电池旁边渗出一些油油的东西", "power-danger"),
        ("凌晨有一笔不认识的交易", "other-scammed"),
        ("夜里机器自己刷了一笔", "other-scammed"),
        ("短信说已为您开通vip服务 每月扣费199 取消请回复", "deposit-fee-scams"),
    ],
)
def test_a_danger_in_plain_words_names_its_safety_answer(text, outcome):
    assert danger(normalize(text)) == outcome


@pytest.mark.parametrize(
    "text",
    [
        "手机pos要下个app吗",  # the provider's own app
        "费率怎么升级",
        "结算卡换成新卡了 钱还没到",
        "机器年检",
        "退货的钱少了",
        "不是骗子，是正经调单",  # ruled out
        "解冻顾客的押金",  # a pre-authorisation
        "绑定手机号换了怎么改",
        "主管密码给收银员用安全吗",
        "我打电话说要注销商户 要多久",  # the merchant's own call
        "手机丢了 新手机怎么登app",
        "两张卡分开刷可以吗",  # a customer's own split payment
        "我拿两张卡一张一张试了 都刷不了",  # the merchant testing the reader
        "影响征信吗",
        "码牌借不借得到",  # asks whether one can be had; lends nothing out
        "流水怎么查",
        "收款软件里费率在哪看",
        "pos机借记卡手续费多少",
        "房贷还款日到了",
        "刚才输了几次密码 机器就锁了",  # typed into the terminal: no loss
        "机器没了反应",
        "加个店员账号",
        "退押金要多久",
        "不升级能用吗",
        "机器不用了不处理会扣年费吗",  # the merchant's own question: nobody said it
        "燃气灶打不着火",  # a stove that will not light
        "汽车电瓶亏电打不着火",
        "押金是真的能退吗",  # a deposit asked about is the deposit's answer
        "代还款日期",
        "客人退货了，刷卡的钱怎么退给他",  # a refund of what the customer paid
        "店里很热 机器没反应",  # the shop is hot, not the terminal
        "二手手机哪里回收",  # phones, not a terminal
        "机器掉水里了，没冒烟也不烫，就是开不了机",  # a danger the merchant rules out
        "小票弄丢了，机器能补打吗",  # the receipt was lost, not the terminal
        "快递扫码取件",  # the shop's parcel station
        "机器旁边放了个打火机",
        "余额少了，是扣了手续费吗",
        "钱少了，今天没刷几笔啊",  # a slow day, not a theft
        "音箱突然不报了，钱到底收没收到",  # a silent speaker
        "结算卡换成我老婆的卡怎么弄",  # the merchant's own change
        "风控冻结好几天了，资料都交了，多久能解冻",  # documents handed in, no money paid
        "营业执照照片交了，什么时候解冻",
        "凌晨的交易什么时候到账",
        "手机掉了个角 还能扫码吗",
        "个人账户怎么开通收款",
        "收银员辞职了 怎么删掉她的操作员",
        "顾客要退货，他刷的卡，咋给他退款",  # a refund to the card, not cash handed over
        "app登不上 提示账号已在其他设备登录",  # a shared login pushed out
        "向日葵卖完了，今天收了多少钱",  # a florist's sunflowers
        "音响有电流声 滋滋响",  # a speaker's hum, nothing wet
        "不是我刷的，是店员刷错了金额，怎么撤销",  # the merchant knows who did
        "电池没鼓也不烫，就是不耐用",  # a danger the merchant rules out
        "鼓励金怎么领",
        "烟酒店的机器怎么开发票",  # cigarettes, not smoke
        "办pos机要先交押金吗",  # nobody demands it
        "我先交了年费，怎么开发票",
        "验证码等半天没动静",
        "验证码输了还是没登上",
        "换了个新手机，app提示新设备登录，要验证身份",  # the merchant's own phone
        "出差登了下app，弹了个异地登录提醒，是我自己登的",
        "没有异地登录提醒，就是登不上",  # negated right before the sign, not the text
        "电池不热，就是掉电快",
        "电池会不会坏",
        "钱没到账 什么时候能到",  # nobody asks for a refund
        "租的机器怎么退",  # the merchant's own rented terminal
        "员工离职了 怎么收回他的操作员号",
        "半夜的交易算哪天的",
        "电池没漏液也没鼓，就是不耐用",  # the merchant rules it out
        "怎么开通会员服务",
        "开通了d0服务 手续费怎么扣",  # a service the merchant chose
        "开通了秒到服务，每笔多扣3块，怎么取消",
        "pos摔了进水不烫没冒烟",  # negated right before the sign, not before the terminal
        "机器掉水里了 没有烫 也没冒烟",
        "中午机器要爆单了 小票纸够不够",  # a busy day
        "刷卡机放在油锅边 要炸串的时候挪开吗",
    ],
)
def test_ordinary_questions_signal_no_danger(text):
    assert danger(normalize(text)) == ""
