"""Held-out photos of POS terminal screens (written independently of the app
and its tests).

Usage: python bench/heldout/photos.py --out DIR

Writes 40 JPEGs plus DIR/labels.tsv (file<TAB>expected), where expected is
`code:XX` for photos showing a response code and `text:<message>` for photos
showing only a message. Deterministic (fixed seed).
"""

import argparse
import os
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEED = 20261205
CJK = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
LAT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

# 25 codes that exist in content/codes.yaml, with the text a terminal shows
CODES = [
    ("01", "请持卡人与发卡行联系"),
    ("03", "无效商户"),
    ("04", "没收卡"),
    ("05", "持卡人认证失败"),
    ("12", "无效交易"),
    ("13", "无效金额"),
    ("14", "无效卡号"),
    ("15", "无此发卡方"),
    ("21", "卡未初始化"),
    ("22", "故障怀疑,关联交易错误"),
    ("25", "找不到原始交易"),
    ("30", "报文格式错误"),
    ("34", "有作弊嫌疑"),
    ("38", "密码错误次数超限"),
    ("40", "发卡行不支持的交易"),
    ("41", "挂失卡"),
    ("43", "被窃卡"),
    ("45", "请使用芯片"),
    ("51", "余额不足"),
    ("55", "密码错"),
    ("57", "不允许持卡人进行的交易"),
    ("58", "不允许终端进行的交易"),
    ("59", "卡片校验错"),
    ("61", "超出金额限制"),
    ("A0", "MAC校验错,请重新签到"),
]

# code formats as Chinese terminals print them
CODE_FMTS = [
    "交易失败 {c} {m}",
    "应答码:{c}",
    "错误码 {c} {m}",
    "交易拒绝({c})",
    "失败原因:{m} [{c}]",
    "返回码[{c}] {m}",
    "响应码: {c}",
    "交易失败({c})",
    "ERR {c} {m}",
    "拒绝 代码{c}",
]

MESSAGES = [
    "请先签到",
    "终端已锁定",
    "商户状态异常",
    "通讯失败",
    "打印机缺纸",
    "交易超时",
    "请插卡或挥卡",
    "网络连接失败",
    "密钥下载失败",
    "读卡失败,请重试",
    "终端未激活",
    "批次已满,请先结算",
    "请检查网络设置",
    "电量不足,请充电",
    "参数下载失败",
]

STYLES = ["lcd", "smart", "receipt"]


def font(path, size):
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.truetype(CJK, size)


def clutter(rng):
    mid = "".join(rng.choice("0123456789") for _ in range(15))
    tid = "".join(rng.choice("0123456789") for _ in range(8))
    amt = f"{rng.randint(1, 99999) / 100:.2f}"
    t = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"  # noqa: E501
    card = f"6222****{rng.randint(1000, 9999)}"
    trace = f"{rng.randint(1, 999999):06d}"
    return dict(mid=mid, tid=tid, amt=amt, time=t, card=card, trace=trace)


def draw_lcd(main, sub, cl, rng):
    W, H = 640, 400
    bg = (rng.randint(150, 175), rng.randint(170, 190), rng.randint(140, 160))
    ink = (rng.randint(20, 45), rng.randint(30, 50), rng.randint(25, 40))
    im = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(im)
    f = font(CJK, 34)
    fs = font(CJK, 26)
    d.text((16, 8), "消费", font=f, fill=ink)
    d.text((W - 200, 14), cl["time"][11:16], font=fs, fill=ink)
    d.line((10, 52, W - 10, 52), fill=ink, width=2)
    d.text((16, 64), f"金额:{cl['amt']}", font=fs, fill=ink)
    y = 120
    for line in wrap(main, 17):
        d.text((16, y), line, font=f, fill=ink)
        y += 44
    if sub:
        d.text((16, y), sub, font=fs, fill=ink)
    d.text((16, H - 44), "按[确认]键返回", font=fs, fill=ink)
    # pixel-grid look: downsample then nearest upscale
    im = im.resize((W // 3, H // 3), Image.BILINEAR).resize((W, H), Image.NEAREST)
    arr = np.asarray(im).astype(np.float32)
    arr[::3, :, :] *= 0.93
    arr[:, ::3, :] *= 0.93
    im = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    return frame(im, (40, 40, 44), 60, rng)


def draw_smart(main, sub, cl, rng):
    W, H = 720, 1280
    im = Image.new("RGB", (W, H), (245, 246, 250))
    d = ImageDraw.Draw(im)
    bar = rng.choice([(200, 30, 40), (20, 90, 180), (10, 140, 110), (230, 120, 20)])
    d.rectangle((0, 0, W, 50), fill=(20, 20, 20))
    d.text((20, 10), cl["time"][11:16], font=font(LAT, 26), fill="white")
    d.text((W - 130, 10), "4G 86%", font=font(LAT, 24), fill="white")
    d.rectangle((0, 50, W, 150), fill=bar)
    d.text(
        (30, 75),
        rng.choice(["银行卡收款", "扫码付", "交易结果", "收银台"]),
        font=font(CJK, 44),
        fill="white",
    )
    d.text((30, 190), f"商户号:{cl['mid']}", font=font(CJK, 28), fill=(90, 90, 90))
    d.text((30, 235), f"终端号:{cl['tid']}", font=font(CJK, 28), fill=(90, 90, 90))
    d.text((30, 290), f"¥ {cl['amt']}", font=font(LAT, 64), fill=(30, 30, 30))
    # red cross icon
    cx, cy = W // 2, 520
    d.ellipse((cx - 70, cy - 70, cx + 70, cy + 70), fill=(225, 60, 60))
    d.line((cx - 30, cy - 30, cx + 30, cy + 30), fill="white", width=12)
    d.line((cx - 30, cy + 30, cx + 30, cy - 30), fill="white", width=12)
    y = 640
    f = font(CJK, 46)
    for line in wrap(main, 13):
        w = d.textlength(line, font=f)
        d.text(((W - w) / 2, y), line, font=f, fill=(30, 30, 30))
        y += 64
    if sub:
        fs = font(CJK, 30)
        w = d.textlength(sub, font=fs)
        d.text(((W - w) / 2, y + 10), sub, font=fs, fill=(120, 120, 120))
    d.text(
        (30, 1000), f"凭证号:{cl['trace']}  {cl['time']}", font=font(CJK, 24), fill=(140, 140, 140)
    )
    for i, (lab, col) in enumerate([("取消", (200, 200, 205)), ("重试", bar)]):
        x0 = 30 + i * 340
        d.rounded_rectangle((x0, 1120, x0 + 320, 1220), 18, fill=col)
        d.text((x0 + 120, 1145), lab, font=font(CJK, 40), fill="white" if i else (40, 40, 40))
    return frame(im, (25, 25, 28), 50, rng)


def draw_receipt(main, sub, cl, rng):
    W, H = 600, 1150
    paper = (rng.randint(238, 250),) * 2 + (rng.randint(228, 240),)
    im = Image.new("RGB", (W, H), paper)
    d = ImageDraw.Draw(im)
    ink = (rng.randint(40, 80),) * 3
    f = font(CJK, 28)
    fb = font(CJK, 38)
    lines = [
        ("中国银联 POS 签购单", fb),
        ("商户存根 MERCHANT COPY", f),
        ("-" * 32, f),
        (f"商户名称:{rng.choice(['便利店', '餐厅', '超市', '药房'])}{rng.randint(1, 99)}号店", f),
        (f"商户编号:{cl['mid']}", f),
        (f"终端编号:{cl['tid']}", f),
        (f"卡号:{cl['card']}", f),
        ("交易类型:消费/SALE", f),
        (f"凭证号:{cl['trace']}", f),
        (f"日期/时间:{cl['time']}", f),
        (f"金额:RMB {cl['amt']}", fb),
        ("-" * 32, f),
    ]
    lines += [(ln, fb) for ln in wrap(main, 13)]
    if sub:
        lines.append((sub, f))
    lines += [("-" * 32, f), ("持卡人签名:", f), ("", f), ("本人确认以上交易", f)]
    y = 30
    for text, ff in lines:
        d.text((30, y), text, font=ff, fill=ink)
        y += 52 if ff is fb else 42
    arr = np.asarray(im).astype(np.float32)
    # thermal fading streaks
    streak = 1 + 0.25 * np.sin(np.linspace(0, rng.uniform(6, 20), W))[None, :, None]
    arr = 255 - (255 - arr) / streak.clip(0.8, 1.3)
    im = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    return im


def wrap(s, n):
    return [s[i : i + n] for i in range(0, len(s), n)] or [""]


def frame(screen, colour, pad, rng):
    w, h = screen.size
    im = Image.new("RGB", (w + 2 * pad, h + 2 * pad), colour)
    im.paste(screen, (pad, pad))
    return im


def perspective_coeffs(src, dst):
    # coefficients mapping output (dst) coords to input (src) coords
    A, B = [], []
    for (x, y), (u, v) in zip(dst, src, strict=False):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        B.append(u)
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        B.append(v)
    return np.linalg.solve(np.array(A, float), np.array(B, float)).tolist()


def photograph(obj, rng, nrng):
    out_w = rng.randint(1200, 3000)
    out_h = int(out_w * rng.uniform(0.68, 1.1))
    # background: table / counter with noise gradient
    base = np.array(
        rng.choice([(120, 100, 80), (70, 70, 75), (180, 170, 150), (60, 50, 40)]), float
    )
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    grad = 0.8 + 0.4 * (xx / out_w)[..., None]
    bg = base[None, None, :] * grad + nrng.normal(0, 8, (out_h, out_w, 1))
    bg = Image.fromarray(bg.clip(0, 255).astype(np.uint8))
    # scale object to ~55-80% of frame
    ow, oh = obj.size
    s = min(out_w * rng.uniform(0.5, 0.78) / ow, out_h * rng.uniform(0.6, 0.85) / oh)
    obj = obj.resize((max(1, int(ow * s)), max(1, int(oh * s))), Image.LANCZOS)
    ow, oh = obj.size
    cx = out_w / 2 + rng.uniform(-0.08, 0.08) * out_w
    cy = out_h / 2 + rng.uniform(-0.06, 0.06) * out_h
    ang = np.deg2rad(rng.uniform(-7, 7))

    def jit():
        return rng.uniform(-0.09, 0.09)

    corners = []
    tilt = rng.uniform(-0.12, 0.12)  # keystone
    for _i, (px, py) in enumerate([(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)]):
        k = 1 + (tilt if py < 0 else -tilt)
        x = px * ow * k + jit() * ow * 0.3
        y = py * oh + jit() * oh * 0.3
        xr = x * np.cos(ang) - y * np.sin(ang)
        yr = x * np.sin(ang) + y * np.cos(ang)
        corners.append((cx + xr, cy + yr))
    coeffs = perspective_coeffs([(0, 0), (ow, 0), (ow, oh), (0, oh)], corners)
    warped = obj.convert("RGBA").transform((out_w, out_h), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    bg.paste(warped, (0, 0), warped)
    arr = np.asarray(bg).astype(np.float32)
    # uneven light: radial hotspot + falloff
    lx, ly = rng.uniform(0, out_w), rng.uniform(0, out_h)
    r = np.sqrt((xx - lx) ** 2 + (yy - ly) ** 2) / max(out_w, out_h)
    light = 1.15 - 0.55 * r
    arr *= light[..., None]
    # glare spot
    if rng.random() < 0.5:
        gx, gy = rng.uniform(0.2, 0.8) * out_w, rng.uniform(0.2, 0.8) * out_h
        g = np.exp(-(((xx - gx) / (0.08 * out_w)) ** 2 + ((yy - gy) / (0.05 * out_h)) ** 2))
        arr += 70 * g[..., None]
    # hand shadow: soft dark ellipse from one edge
    if rng.random() < 0.6:
        hx = rng.choice([0, out_w]) + rng.uniform(-0.1, 0.1) * out_w
        hy = rng.uniform(0.4, 1.0) * out_h
        d = ((xx - hx) / (0.35 * out_w)) ** 2 + ((yy - hy) / (0.22 * out_h)) ** 2
        sh = 1 - 0.45 * np.clip(1.3 - d, 0, 1)
        arr *= sh[..., None]
    # colour cast and sensor noise
    arr *= np.array([rng.uniform(0.92, 1.08) for _ in range(3)])[None, None, :]
    arr += nrng.normal(0, rng.uniform(2, 7), arr.shape)
    im = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    blur = rng.choice([0, 0.6, 1.0, 1.6, 2.2])
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur * out_w / 1600))
    return im


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(SEED)
    nrng = np.random.default_rng(SEED)
    items = []
    for i, (c, m) in enumerate(CODES):
        fmt = CODE_FMTS[i % len(CODE_FMTS)]
        items.append((fmt.format(c=c, m=m), "code:" + c))
    for m in MESSAGES:
        items.append((m, "text:" + m))
    rng.shuffle(items)
    rows = []
    for n, (text, expected) in enumerate(items, 1):
        cl = clutter(rng)
        style = STYLES[n % 3]
        if expected.startswith("code:"):
            sub = rng.choice(["请联系收单机构", "请重新交易", "交易未成功", None])
        else:
            sub = rng.choice(["请联系客服 95516", f"终端号 {cl['tid']}", None])
        drawer = {"lcd": draw_lcd, "smart": draw_smart, "receipt": draw_receipt}[style]
        obj = drawer(text, sub, cl, rng)
        photo = photograph(obj, rng, nrng)
        name = f"photo_{n:02d}_{style}.jpg"
        photo.save(os.path.join(args.out, name), "JPEG", quality=rng.randint(40, 80))
        rows.append((name, expected))
    with open(os.path.join(args.out, "labels.tsv"), "w", encoding="utf-8") as f:
        f.write("file\texpected\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"wrote {len(rows)} photos to {args.out}")


if __name__ == "__main__":
    main()
