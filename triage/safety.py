"""Signals of danger in a merchant's words, checked before anything learned.

The reader (``triage.reading``) also learns the safety outcomes from their examples, but a
scam, a burning battery or a stolen terminal must come first even when the phrasing is one no
example resembles. These patterns are that backstop: each names the outcome it puts first.
They look for the shape of the danger (someone asks for a code; the battery smokes), not for a
merchant's exact words, and are checked on the text as search normalises it (lower case,
full-width folded, pinyin read as hanzi).

Order matters: a merchant who already lost money needs "已经被骗了" even when the story also
says who called and what they asked for.
"""

from __future__ import annotations

import re


def _either(words: str) -> str:
    return f"({'|'.join(words.split())})"


_SECRET = _either(
    "验证码 校验码 动态码 短信码 验证短信 口令 cvv 安全码 背面.{0,4}(三位|3位)"
    " (主管|操作员|银行卡|卡|登录|支付|取款)?(密码|秘码|蜜码)"
)
_ASKED = _either(
    "要 问 索要 让我报 叫我报 报给 报一下 念 读给 读一下 告诉 发给 发过去 提供 说出 给他 给对方"
)
_CALLER = _either(
    "客服 银联 银行 服务商 工作人员 警察 公安 专员 经理 官方 来电 打电话 电话 打来 短信 陌生人"
    " 一个人 有人 对方 技术员 售后 代理 业务员 巡检员 师傅"
)
# Whom a merchant gave a secret to ("主管密码给技术员了").
_TAKER = _either("他 她 对方 客服 技术员 售后 别人 人家 陌生人 业务员 工作人员 代理 师傅")
_DEVICE = r"(机器|机子|pos|刷卡机|终端|电签|收款机|设备)"
_LOST = r"(丢了|丢失|弄丢|搞丢|整丢|搞掉了|被偷|偷走|偷了|被盗(?!号|刷)|被抢|不见了|找不到了|遗失)"

SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (outcome, re.compile(pattern))
    for outcome, pattern in (
        (
            "other-scammed",
            r"(被骗|上当|受骗|骗走|骗了我|骗子.{0,8}(转走|拿走|骗走|刷走)"
            r"|(?<!说)钱.{0,2}(被转走|被划走|被刷走|被扣走|全没了|都没了|不见了)"
            rf"|(已经|刚才|刚刚).{{0,8}}(报了|告诉了|给了|发给了|念给|转了|转过去).{{0,8}}({_SECRET}|钱|元|块)"
            # Typed a code into someone's page ("刚才输了验证码"); a password typed into the
            # terminal ("刚才输了几回密码就锁了") is no loss.
            r"|(已经|刚才|刚刚).{0,8}输了.{0,8}(验证码|校验码|动态码|短信码|钱|元|块)"
            rf"|(报了|告诉了|给了|念给了|发给了).{{0,6}}{_SECRET}"
            rf"|{_SECRET}.{{0,3}}(给了|告诉了|发给了?|报给了?|念给了?|给){_TAKER}"
            rf"|{_SECRET}.{{0,16}}(我发了|我给了|我报了|我告诉他了|发过去了|报过去了|我话咗|我讲咗)"
            # Paid for an "upgrade" or an unfreezing; not documents handed in ("材料都交了").
            r"|(?<![料件照片证])(?<![料件照片证][都也])(交了|付了|转了|打了)(?!就|才)"
            r".{0,8}(升级|提额|降费率|解冻|解封|会员费)"
            r"|转了.{0,6}(钱|元|块|万|千).{0,12}(联系不上|拉黑|不见|没了|骗)"
            # Money gone from the account that the merchant did not move ("余额突然少了三万，我没
            # 刷过"; "提现记录里有一笔不是我提的"), not a slow day ("钱少了，今天没刷几笔") or a
            # settlement smaller than expected (fees).
            r"|(钱|余额|资金|卡里|卡上|账户里|账上).{0,12}(没了|没有了|少了|不见了|冇咗).{0,30}"
            r"(没有?提现|没提过|没有?刷(?!几|多少)|没有?转|不是(我|俺)|(啥|什么)(也|都)没干"
            r"|没动|没操作|根本没)"
            r"|(提现|转出|转账)记录.{0,12}(不是我|我没|根本不是|没操作)"
            r"|(提现|转走|转出|刷走)了?.{0,10}(我|俺)(根本)?(没提|没有提|没转|没刷)"
            r"|(一|几|好几|两)笔.{0,8}不是(我|俺)(刷|提)的|不是(我|俺)(本人)?(刷|提)的(交易|现|钱)?$"
            r"|(半夜|凌晨|深夜|夜里).{0,8}(有|多了|出现|来了).{0,6}(交易|一笔|几笔|刷卡|退货|撤销)"
            # At night, a sale nobody knows or one the terminal "made by itself" (半暝: Minnan).
            r"|(半夜|凌晨|深夜|夜里|半暝).{0,6}((陌生|不明|莫名|奇怪|不认识)的?|(自己|自动))"
            r"(交易|扣款|刷卡|刷了|扣了|退货)"
            rf"|{_SECRET}.{{0,4}}(被(人|别人|他|她|对方|陌生人)|让人|叫人|给人|遭人|俾人|畀人)"
            r"(知道|晓得|看到|看见|偷看|拿到)了?)",
        ),
        (
            "scam-remote-app",
            r"(屏幕共享|共享屏幕|分享屏幕|远程(控制|协助|操作)|视频会议|会议号|腾讯会议"
            r"|(让我|叫我|要我|让下|他让|对方|客服|陌生人|短信).{0,8}(下载|下个|下一个|装|安装)"
            r".{0,10}(app|软件|应用|apk|客户端)"
            r"|(点|打开).{0,6}(链接|网址|连结)|(链接|网址|连结).{0,6}(点|打开|进去)"
            r"|(短信|简讯).{0,16}(链接|网址|连结)"
            r"|(链接|网址|连结).{0,8}(填|输入|写).{0,6}(卡号|密码|验证码|身份证)"
            # A pretext, then an app or a link: "解除风控得下个app", "年费到期 链接".
            r"|(风控|提额|降费率|费率|人脸|认证|解冻|解封|到期|续费|欠费|升级|注销).{0,16}"
            r"(下载|下个|下一个|装个|安装).{0,6}(app|软件|应用|apk)"
            r"|(下载|下个|装).{0,6}(app|软件|应用).{0,8}(提额|降费率|解冻|解风控|解除风控|认证|人脸)"
            # Someone else's app that "binds the terminal" to set its own rate.
            r"|(app|软件|应用).{0,20}(自己调费率|自己改费率|调费率|改费率|费率自己调)"
            r"|(到期|续费|欠费|升级|降费率|认证|解冻|注销|风控).{0,8}(链接|网址|连结)"
            r"|扫.{0,6}(码|二维码).{0,8}(升级|认证|解冻|降费率|激活|核实|验证身份|确认收货|理赔|领取)"
            r"|扫了.{0,4}(陌生人?|别人|对方|来路不明|不明).{0,4}(码|二维码)"
            r"|扫.{0,8}码.{0,8}(填|输入|输|写).{0,4}(卡号|密码|验证码|身份证)"
            # A "courier" who needs a scan to hand over a parcel "from you", or pays a claim.
            r"|快递.{0,6}理赔|快递.{0,8}扫.{0,8}码.{0,6}(确认|验证|签收)"
            # What remote-control apps ask for, or do ("开无障碍", "装的app能看我手机").
            r"|无障碍(权限|服务)|(开|打开|开启|授权|允许).{0,4}无障碍|悬浮窗权限"
            r"|(app|软件|应用).{0,8}(能看|看得到|能看到|控制|操控|远程).{0,4}(我的?)?(手机|屏幕)"
            # Remote-control apps by name, installed or to be removed (a florist's 向日葵 is not).
            r"|(装|安装|下载|下了|开着|卸载|删掉|删了).{0,6}(向日葵|todesk|anydesk|teamviewer)"
            r"|(向日葵|todesk|anydesk|teamviewer).{0,4}(远程|控制|卸载|怎么删|删掉|还开着))",
        ),
        (
            "scam-card-changed",
            r"(结算卡|收款卡|到账卡|手机号|银行卡).{0,10}(已变更|被改|被换|被修改|变更|改成|换成|换了|改了)"
            r".{0,16}(不是我|没办|没有办|没改|没换|没动|没操作|没申请|没让|不知道)"
            r"|(没|不是我|没有).{0,10}(改|换|变更).{0,10}(结算卡|收款卡|手机号).{0,10}(变更|改了|换了|变了|短信|通知)"
            # Someone wants the money paid to a card of theirs: "结算卡换成他给的卡".
            r"|(结算卡|收款卡|到账卡).{0,10}(换成|改成|绑成|绑定|换到|改到).{0,6}"
            r"(他|她|对方|别人|他们)(公司|朋友|家)?(给|的|指定)"
            # The phone number the account is bound to, changed by someone else.
            r"|手机号.{0,4}(被换|被改|被人|变成了?别)|(改绑|换绑|绑定).{0,6}(不是我|没操作|没让)"
            r"|(手机号|预留手机|结算卡|收款卡).{0,6}(被修改|被篡改)"
            r"|(手机号|结算卡|收款卡).{0,8}不是(我|俺)(改|换|弄)的?"
            r"|(结算卡|收款卡|手机号).{0,24}(我|俺)(自己)?(冇|没有?)(改|换|动)过"
            r"|(改绑|换绑).{0,6}我(没|没有)(改绑|换绑|申请|操作)"
            # Signed in on another phone, which the merchant does not have ("提示在别的手机上登录
            # 了，俺就一个手机"); the message alone is a shared login pushed out.
            r"|(其他|别的|另一|另外)(个|台|部)?(设备|手机)(上)?(登录|登陆)了?.{0,16}"
            r"(没登|没有登|没用过|就一个手机|就一部手机|只有一个手机|就一台手机)"
            r"|(提现|结算|转|打|到账)到了?.{0,4}(另一张|别的|陌生的?|别人的?)(银行)?卡.{0,12}(不是我|不认识|陌生|没见过)"
            r"|(提现|结算|转|打|到账)到了?.{0,2}(一张)?(不认识|没见过)的(银行)?卡"
            # "遭" is 被 in the southwest ("结算卡遭改了"), as 叫人, 让人 are ("手机号叫人改咧")
            # and 俾人, 畀人 in Cantonese ("手机号俾人换咗").
            r"|(结算卡|收款卡|到账卡|手机号|银行卡).{0,4}(遭人?|叫人|让人|给人|俾人|畀人)(改|换|修改)"
            # The account signed in somewhere new ("app提示异地登录", "新设备登录"); not the
            # message of a shared login pushed out ("账号已在其他设备登录"), nor the merchant's
            # own new phone or trip ("换了新手机，提示新设备登录", "是我自己登的").
            # The sign is named: what negates it ("没有异地登录提醒") stands right before it.
            r"|^(?!.*((?<![没不])换了?个?新手机|新买的手机|自己登|我自己|是我登|自个儿登))"
            r".*?(?P<sign>(异地|外地|外省|新设备|陌生设备)(登录|登陆|上线)|(绑定|绑了|登录|登陆)(了)?(新设备|陌生设备))",
        ),
        (
            "deposit-fee-scams",
            # A threat: pay (to someone) or be stopped. A terminal already stopped for an
            # unpaid fee is no scam ("流量费没交被停了").
            r"(不交|不缴|不付|不补|不转).{0,14}(就|要|会|马上|今天|明天|立刻).{0,6}"
            r"(停机|锁机|关停|注销|冻结|停用|封|作废|停了|停掉)"
            r"|(押金|流量费|服务费|年费|保证金|会员费|管理费|欠费).{0,16}(不然|否则|要不然|要不)"
            r".{0,8}(停|锁|注销|冻结|封|作废)"
            r"|(停机|锁机|注销|冻结|停用).{0,8}(先交|先转|先付|转到|打到).{0,8}(钱|费|押金|账户)"
            # A deposit to get a "free" terminal, or money first to get a deposit back.
            rf"|(送|免费送|免费换|赠送).{{0,4}}(新机|{_DEVICE}).{{0,8}}(交|付|转).{{0,4}}(押金|钱|费)"
            r"|(退押金|退保证金|退年费|退服务费).{0,6}(先转|先交|先付|要转账|先打钱|先缴)"
            r"|(年审|年检)费"
            # A fee "or your credit record suffers" ("年费逾期影响征信"): fees never touch it.
            r"|(年费|押金|服务费|流量费|欠费|会员费|管理费).{0,10}(影响|上|损害|黑了?|花了?)征信"
            # A fee to be paid to a person: real fees never go to a private account.
            r"|(年费|押金|服务费|流量费|会员费|管理费|手续费|费用?).{0,8}(转|打|付|交)(到|给|进)?.{0,4}(私人|个人)"
            # A message that a paid "service" was opened for the merchant, to be cancelled by a
            # call: "您已开通POS会员服务，每月扣费299元，如需取消请联系客服" (not a service the
            # merchant opened: "开通了秒到，每笔多扣3块，怎么取消").
            r"|(已为您|已经为您|您已|已帮您|系统已|已自动|自动)开通.{0,10}(会员|服务|vip|增值)"
            r".{0,20}(扣费|扣款|收费|扣)"
            # The merchant asks whether a fee demanded of them is real ("年费299是真的吗").
            r"|(流量费|服务费|年费|会员费|管理费|激活费|年审费).{0,10}"
            r"(是真的吗|真的假的|是不是真的|是不是骗|是骗|骗人的?吗|靠谱吗)",
        ),
        (
            "limits-scams",
            r"(提额|提高额度|调额|升额|加额度|额度提升).{0,12}(交|付|转|费|钱|验证码|会员|刷一笔)"
            r"|扫.{0,6}码.{0,8}(提额|提高额度|调额|升额)"
            r"|(交|付|转).{0,8}(钱|费).{0,8}(提额|提高额度|调额)"
            r"|(交|付|转).{0,10}(升级|vip|会员).{0,6}额度"
            r"|(交|付|转).{0,10}费.{0,10}(调到|提到|升到|开通大额|不限额)"
            r"|(大额通道|不限额|开通大额|提额).{0,12}(先转|先交|先付)"
            r"|(先转|先交|先付).{0,12}(大额|不限额|提额)"
            r"|(交|付|转).{0,6}(保证金|押金|钱|费).{0,8}(解风控|解除风控|解冻|解封|解除限制|不封|不停)"
            r"|(解冻|解封|不封机|unlock).{0,8}(要交|交钱|付钱|交费|先交|先付|deposit)|pay.{0,16}unlock"
            # A fee named after what it unlocks: a real freeze or limit never costs one.
            r"|(解冻|解封|解除风控|解风控|提额|降费率)(手续|服务)?费",
        ),
        (
            # Paying off credit cards "for" someone through the terminal (代还, 养卡): cash-out.
            "credit-no-cash-out",
            r"(信用卡|卡).{0,2}代还|代还.{0,6}(信用卡|提额|额度)|养卡",
        ),
        (
            "chargeback-scams",
            rf"(调单|拒付|退单|交易异常).{{0,14}}(转账|转钱|打钱|{_SECRET}|交钱|保证金|退到)"
            # A message about a chargeback, and the merchant asks whether it is real.
            r"|(调单|拒付|退单).{0,24}(真的假的|是真的吗|是不是真的|是不是骗|是骗子吗|骗子吧)",
        ),
        (
            "scam-lend-terminal",
            # Someone wants the merchant's terminal ("借我的机器"), not a terminal the
            # merchant rents from the provider ("租的pos寄回去").
            rf"(借给|租给|借我|借用我|借下|借一下|借几天|借用|想借|要借|来借).{{0,6}}{_DEVICE}"
            rf"|{_DEVICE}.{{0,4}}(借给|租给|借出去|借别人|借他|借我用)"
            r"|帮.{0,8}刷(几|一|两|三)(笔|下|张)|套(现|线)|替.{0,6}收(款|钱)|代收款|代刷|帮.{0,4}(别人|朋友|他).{0,4}收款"
            # Cash handed over for a swipe; not a refund "退给他" of what a customer paid.
            r"|刷.{0,6}(卡|信用卡)((?!退).){0,8}(给他|还他)(?!退)|刷.{0,6}(卡|信用卡).{0,8}(换现金|退现金|给现金)"
            r"|(不买东西|没买东西|不买).{0,10}(取现|套现|换现金|拿现金|要现金)"
            r"|(几|多|好几|[两三四五六七八九十]{1,2})张.{0,6}卡.{0,12}(换一张|轮着|轮流|挨个|换着|反复|凑着)"
            # Three or more tried one by one ("五六张卡一张一张试"); two is a merchant's own test.
            r"|(几|多|好几|[三四五六七八九十]{1,2})张.{0,6}卡.{0,12}(一张一张|一张张)"
            # A customer trying card after card, or cards in other people's names.
            r"|(一沓|一摞|一叠|一堆|一把)(银行)?卡|(一张张|一张一张|连着|接连|连续).{0,4}(刷|试)了?.{0,4}(几|好几|[两三四五六七八九十]{1,2})张"
            r"|(几|好几|[两三四五六七八九十]{1,2})张.{0,4}(不同名字|不同人|不同名|别人)的?卡"
            r"|跑分"
            r"|(一直|不停|反复|连续|轮着)换(卡|着卡|了好几张卡)刷"
            rf"|(高价|花钱|出钱|出高价).{{0,4}}(收|买|回收|租).{{0,6}}{_DEVICE}"
            # The QR stand lent out; the terminal posted away for a "side job" of turnover.
            r"|(借(?!记)|租给).{0,4}(码牌|收款码)|租(我|俺)(的|那个|家)?.{0,3}(码牌|收款码|机器|pos|刷卡机)|(码牌|收款码).{0,4}(借给|借别人|借出去|租给)"
            rf"|(寄|邮|快递).{{0,6}}{_DEVICE}.{{0,10}}(刷流水|兼职|代刷)|刷流水.{{0,8}}(兼职|赚钱|返佣|佣金)"
            r"|兼职.{0,8}刷(流水|单)"
            # A "loan" against turnover swiped on the terminal ("刷流水贷款", "pos机能贷款").
            r"|刷流水.{0,8}(贷款|借款|下款|放款|额度)|(贷款|借款|下款|放款).{0,8}刷流水"
            rf"|{_DEVICE}.{{0,4}}(贷款|借款|下款|放款)"
            r"|(测试|试刷|试一笔|试试).{0,10}(转回|转给|退回给|还给|转账)",
        ),
        (
            "refund-never-transfer",
            r"(退款|退钱|退货|多付|多刷|多转|多收|刷多了|付多了).{0,24}(转账|微信|支付宝|现金|另一张|别的卡|其他卡|卡号|私人账户|个人账户)"
            r"|(转账|现金|微信|支付宝).{0,6}(退给|退还|退他)"
            # A refund asked for a payment that never arrived ("没到账让我退钱").
            r"|(没到账|没到帐|没进账|钱没到|没收到钱).{0,10}(让|要|叫|喊)(我|俺)?.{0,2}退"
            # A refund to someone else's card ("能不能退到他老婆的卡上").
            r"|退(到|给|回|去)?.{0,6}(别人|家人|老婆|老公|媳妇|朋友|亲戚|另一个人)的?.{0,2}(卡|账户|微信|支付宝)"
            r"|(支付宝|微信|现金|转账).{0,4}(转给|退给|还给|打给)(他|她|对方|客人|顾客)",
        ),
        (
            "scam-qr-swapped",
            r"(码牌|收款码|二维码).{0,8}(被|让人|叫人|给人|俾人|畀人|有人).{0,8}(换|调包|掉包|覆盖|盖住|贴)"
            r"|(贴了|贴上|盖住|盖了|覆盖).{0,8}(别的|别人的|另一个|另一张|一张|一个|新的).{0,4}(码|二维码)"
            r"|(码牌|收款码|二维码|扫).{0,8}(收款方|收款人|店名|商户名|名字|名称|名儿).{0,8}(不是|不对|别人|陌生)"
            r"|(码牌|收款码|二维码|扫).{0,12}(别人|陌生人|别家).{0,4}(店名|名字|名称|商户名|收款方)"
            r"|(调包|掉包|偷换).{0,4}(码|二维码)|(码牌|收款码|二维码)(被人?)?(调包|掉包)"
            r"|(码牌|收款码|二维码).{0,4}遭人?(换|调包|掉包|贴)"
            r"|(员工|店员|伙计|收银员|别人|有人).{0,4}(换了|偷换|调换|换成|换掉).{0,4}(收款码|码牌|二维码)"
            r"|(有人|来人|巡检|工作人员|业务员|小伙子|陌生人).{0,16}(码牌|收款码).{0,8}(换成|换了|揭下|撕下|换新)",
        ),
        (
            # A customer's screen or screenshot "proves" a payment: only the merchant's own
            # record counts (the answer says so, with its warning).
            "money-qr-not-received",
            r"(看|给我看|出示|拿出|亮出|发来|发了|发给我).{0,12}(截图|截屏|付款成功|支付成功|转账成功)"
            r".{0,16}(没收到|没到|没进|没响|没报|没播|不到|没看到|没有)"
            r"|(付款|转账|支付|付钱)(成功)?(的)?(截图|截屏)"
            r"|假(的)?(付款|转账|支付)?(截图|截屏)|(截图|截屏).{0,6}(假的|是假|伪造|p的|p过)"
            # A "到账" voice played from the customer's phone, or one the records do not show.
            r"|假的?(到账|到帐|收款)|(收款|到账|到帐|声音|语音|播报).{0,24}手机(里头|里面|里|上)?(放|播)"
            r"|(喇叭|音箱|语音|播报).{0,6}(?<![不没])(响了|报了|喊了).{0,20}(查不到|查不着|没有这笔|没这笔)",
        ),
        (
            "other-scam",
            rf"{_CALLER}.{{0,14}}{_ASKED}.{{0,10}}{_SECRET}"
            rf"|{_SECRET}.{{0,6}}(报给|告诉|发给|念给|都发|发).{{0,6}}(他|她|对方|客服)"
            rf"|{_SECRET}.{{0,6}}{_CALLER}.{{0,4}}{_ASKED}"
            r"|(降费率|降低费率|调费率|费率.{0,4}(下调|上调|降低|优惠)|升级.{0,4}费率).{0,12}(电话|来电|打来|打电话|验证码|客服)"
            r"|(电话|来电|打来|打电话|客服).{0,14}(降费率|调费率|降低费率|费率.{0,4}(下调|优惠))"
            r"|冒充|诈骗|骗子|假客服|安全账户"
            # A "courier" who needs the SMS code to hand over a parcel.
            r"|快递.{0,12}(验证码|校验码|短信码)"
            # Codes that arrive though the merchant asked for none: someone is signing in.
            r"|(验证码|验正码|校验码|短信码).{0,16}((没|冇)有?(操作|申请)|(我|俺)(也|都|根本)?没有?弄)"
            # How to tell the real provider from a fake ("正规客服怎么认").
            r"|(正规|官方|真的?)(客服|工作人员|业务员).{0,4}(怎么认|怎么分辨|怎么辨别|怎么识别|怎么判断)"
            r"|帮(人|别人|他|她|对方|陌生人).{0,4}(点|操作|做|按)(退货|退款|撤销)"
            r"|(客服|对方|陌生人|电话里|他|她)(让|叫|要|教)我.{0,4}(做|点|操作|按)(退货|退款|撤销)"
            r"|(加|添加)(qq|微信|好友|群).{0,8}(退押金|退款|退费|解冻|提额|降费率|办理)"
            # Pay for a better rate ("再交198升级成vip费率"); a terminal nobody applied for.
            r"|(交|付|转).{0,8}(升级|vip|会员|降).{0,6}费率|(升级|vip|会员)费率.{0,10}(交|付|转)"
            r"|(降费率|降低费率|费率.{0,6}(降|终身|永久)).{0,16}(先交|先付|交钱|付钱|要交|押金|保证金|收费|要钱)"
            r"|费率.{0,10}(要先付|要先交|先交钱|先付钱)|(交|付).{0,20}(终身|永久).{0,6}(降|费率|不涨)"
            rf"|(没申请|没有申请|没办过|没有办过).{{0,12}}(寄来|寄了|收到|送来).{{0,6}}{_DEVICE}"
            rf"|(快递|寄来|寄了|收到).{{0,10}}{_DEVICE}.{{0,10}}(没申请|没有申请|没办过|没要过|没买过)"
            # A threat to the merchant's credit record ("说影响征信要操作").
            r"|(影响|损害|上|黑了?|花了?)征信.{0,16}(操作|转账|转钱|下载|验证码|配合|注销|链接|app|转.{0,4}(块|元|钱))"
            # A review nobody holds, or a call that announces the end: "机器年审不然冻结",
            # "电话说要注销商户".
            r"|(年审|年检).{0,12}(不然|否则|要不然|要不|不做|逾期|过期).{0,8}(停|锁|注销|冻结|封|作废)"
            r"|(不升级|不认证|不更新|不年审|不换机).{0,6}(就|要|会)?.{0,4}(扣费|收费|扣钱|停机|停用|冻结|注销|锁机)"
            # Someone says a charge comes unless the merchant "acts": "说不操作就扣年费" (not the
            # merchant's own "不处理会扣年费吗").
            r"|(说|称|通知|短信|电话|客服).{0,8}(不操作|不处理|不取消|不关闭).{0,6}(就|要|会)?.{0,4}"
            r"(扣费|收费|扣钱|扣.{0,3}费|停机|停用|冻结|注销|锁机)"
            # (Not the merchant's own call: "我打电话说要注销商户".)
            r"|((?<![我打])电话|来电|短信|(有人|陌生人|对方)打(来)?电话)(里)?(说|称|通知).{0,6}"
            r"(注销|冻结|封停|停用)(商户|机器|账户|终端|pos)",
        ),
        (
            # Someone at the door "from the company" to swap or take the terminal (asking for a
            # password too is other-scam, above).
            "change-replace-terminal",
            r"(上门|到店|来店|找上门|来了个人|有人来|有个人来).{0,14}(换机|换新机|换新的|换台|收机|回收|拿走|取走|收走|带走)"
            r"|(自称|说是|说他是).{0,10}(公司|服务商|客服|售后|工作人员|业务员).{0,14}(换机|换新|回收|拿走|取走|收走|带走)"
            r"|(检查|检修|维修|换芯片|升级|年检).{0,12}(带走|拿走|取走|收走|拿到后面|拿回去)"
            r"|(来了个人|有人来|有个人来|上门|到店).{0,24}(换芯片|检修|年检|拿到后面|拿回去)"
            # A "new rule" that has the terminal posted away.
            rf"|(新规|新规定|新政策|政策|上面通知).{{0,10}}{_DEVICE}?.{{0,4}}(寄回|寄过去|寄给|邮寄|快递过去)"
            rf"|({_DEVICE}|音箱|喇叭).{{0,6}}(调包|掉包)|(调包|掉包).{{0,4}}({_DEVICE}|音箱|喇叭)"
            r"|(音箱|喇叭).{0,2}(被换|被人换)",
        ),
        (
            # Not an engine or a stove that will not light ("电瓶亏电打不着火").
            "power-danger",
            r"(鼓包|鼓起来|胀起来|冒烟|冒火|起火|(?<!打不)(?<!点不)(?<!打)着火|火花|焦味|烧焦|糊味|烧糊|爆炸|炸了|烫手|烫得|很烫|好烫|巨烫|发烫|过热"
            r"|(充电器|适配器|插头|电源|充电线).{0,10}(打火|闪火|火星|噼啪|咔咔响|闪了一下)"
            rf"|({_DEVICE}|机子|进水|泡水|短路|电池|主板|插电|通电|充电).{{0,4}}(打火|跳火|闪火)(?!机)"
            r"|(外壳|电池|后盖|机身).{0,4}(变形|鼓起|顶起|撑开)"
            # A battery that leaks ("电池漏液", "电池那里流出黏的水").
            r"|电池((?!没|不|无).){0,8}(漏液|流液|渗液|流出|渗出|冒出)"
            # "电池鼓了", "电池有点鼓", "电池鼓胞" (a slip for 鼓包); not "电池没鼓".
            r"|电池\s?(那块|那里|那儿)?(有点|有些|又|都|已经|好像|开始)?\s?鼓(?!捣|励|掌|足|劲)"
            # Smoke by another word ("喇叭有烟", "冒白烟").
            r"|(机|喇叭|音箱|电池|充电器|插头|插座|屏幕|后盖|电源).{0,4}(有烟|出烟|起烟|冒白烟|冒黑烟|冒青烟)"
            # Wet and crackling ("淋湿了，开机还滋滋响"); not a speaker's hum.
            r"|(进水|泡水|泡了|淋湿|淋了|湿了|打湿|洒|泼|掉水|漏水|下雨).{0,16}(滋滋|噼啪|劈啪)"
            # The terminal itself hot ("机器晚上热得厉害"), not the weather or the shop.
            # The sign is named, so that a negation right before it rules it out ("pos进水不烫").
            rf"|{_DEVICE}.{{0,8}}(?P<sign>热得|很热|特别热|好热|非常热|太热|烫)"
            r"|电池(老是|总是|一直|有点|有些|特别|很|好|太|越来越|摸着|摸起来|摸上去){1,2}(热|烫)"
            r"|电池(老是|总是|一直|有点|有些|特别|很|好|太|越来越)?发热"
            # Fear it will burst; not a busy day ("机器要爆单了") or the kitchen ("要炸鸡").
            rf"|(电池|充电|{_DEVICE}).{{0,12}}(怕|会|要|担心|会不会|怕它)(爆(?!单|满|款)|炸(?!鸡|串|薯|油|酱)))",
        ),
        (
            # A second-hand terminal: its money goes to the first owner's card, and it may be
            # stolen ("网上买的二手的", "朋友转让的机器").
            "lost-second-hand",
            rf"二手的?{_DEVICE}|买.{{0,6}}二手|{_DEVICE}.{{0,6}}(二手|别人转让|转让的)"
            rf"|(转让|转手)的?.{{0,4}}{_DEVICE}|捡(到|了)(一台|个)?.{{0,2}}{_DEVICE}",
        ),
        (
            "lost-stop-terminal",
            rf"{_DEVICE}.{{0,12}}{_LOST}"
            rf"|{_DEVICE}.{{0,4}}(放|落|忘).{{0,8}}(没了|不见)"
            rf"|(辞职|离职|走了|不干了|走咗).{{0,12}}{_DEVICE}.{{0,8}}(没还|冇还|不还|带走|拿走|没交回)"
            rf"|(辞职|离职|不干了).{{0,12}}(手里|手上)(还)?(攥着|拿着|留着).{{0,8}}{_DEVICE}"
            rf"|{_DEVICE}机?(就|也|都)?(没了|不见了)(?!反应|声|电|信号|网)"
            rf"|(丢了|弄丢了|被偷了|偷走了|被盗了|被抢了)[^，。,.!！?？\s]{{0,6}}{_DEVICE}"
            rf"|(偷|盗|抢)(走|了)[^，。,.!！?？\s]{{0,4}}{_DEVICE}"
            # The phone the payment app is still signed in on ("手机丢了 app还登着").
            rf"|手机.{{0,4}}({_LOST}|掉了).{{0,20}}(登着|登录着|还登|没退出|装着|(上面|里面|里头)有)",
        ),
        (
            # Last, so that a more specific signal names its answer first: someone who wants
            # money paid first, for whatever it buys ("客服说能开分期，要我先交手续费", "说俺机子
            # 没达标，让俺先转299激活费"). Real fees are never paid to a caller first. Across the
            # labelled blind lines: 32 more safety lines caught, no other line.
            "deposit-fee-scams",
            r"(有人|有个|对方|他|她|佢|伊|客服|电话|来电|微信|业务员|自称|打来|的人|别个|快递)"
            r".{0,40}(让|叫|要|喊|说|讲|话|港)(俺|我|我们)?先(转|交|付|打)了?.{0,10}"
            r"(费|钱|块|蚊|元|押金|保证金|[0-9])",
        ),
    )
)


# "不是丢了，是太旧了", "不是骗子电话，是正经调单": a danger the merchant rules out; but
# "是不是骗子", "是不是丢了" ask whether it is one.
_RULED_OUT = ("不是", "并非", "不算")
_ASKING = "是不是"
# "没冒烟也没烫": a sign negated right before it ("没", "没有", "也没", "不", "无").
_NEGATED = re.compile(r"(没有?|不|无)$")


def danger(text: str) -> str:
    """The safety outcome a normalised text signals, or "" when it signals none. A pattern that
    looks at the whole text first names its sign (``(?P<sign>…)``): the words right before the
    sign rule it out, not those before the text."""
    for outcome, pattern in SIGNALS:
        for match in pattern.finditer(text):
            start = match.start("sign") if match.groupdict().get("sign") else match.start()
            before = text[max(0, start - 4) : start].replace(_ASKING, "")
            if not any(word in before for word in _RULED_OUT) and not _NEGATED.search(before):
                return outcome
    return ""
