"""Generated photos of a POS terminal's screen, for the photo reader's accuracy test and bench.

Each sample is what a merchant photographs: a few lines of text on an LCD-like background
(pale green, grey-blue or white, with a bezel around it), the phone held a little crooked,
slightly out of focus, a lamp's glare on the glass, saved as a JPEG. ``SAMPLES`` names what
each screen says and where the answer is (a code card or a guide section), written here by
hand, not derived from the code under test.

    python -m tests.screen_photos /tmp/screens      # writes 00.jpg ... and answers.txt

Photos are written only where the caller says (a test's tmp dir), never into the repository.
"""

from __future__ import annotations

import io
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@dataclass(frozen=True, slots=True)
class Sample:
    lines: tuple[str, ...]  # what the screen shows, top to bottom
    answer: str  # the URL the photo should land on
    code: str = ""  # the response code on the screen, if any
    message: str = ""  # the screen message this sample covers


def _code(code: str, message: str, shown: str | None = None) -> Sample:
    return Sample(
        ("消费", message, shown or f"返回码：{code}", "请按[确认]键返回"),
        f"/codes/{code}/",
        code=code,
        message=message,
    )


def _message(message: str, answer: str, *extra: str) -> Sample:
    return Sample(("银联POS", message, *extra), answer, message=message)


SAMPLES: tuple[Sample, ...] = (
    # a code with its message, in the forms terminals print it
    _code("51", "余额不足"),
    _code("55", "密码错", "应答码:55"),
    _code("A0", "MAC校验错，请重新签到"),
    _code("05", "持卡人认证失败"),
    _code("14", "无效卡号"),
    _code("54", "该卡已过期", "(54)"),
    _code("61", "交易金额超限"),
    _code("75", "密码错误次数超限", "错误码 75"),
    _code("91", "发卡方状态不正常，请稍后重试"),
    _code("96", "拒绝，交换中心异常，请稍后重试"),
    _code("97", "终端号未登记"),
    _code("03", "无效商户"),
    _code("04", "此卡为无效卡"),
    _code("12", "无效交易"),
    _code("13", "无效金额"),
    _code("41", "挂失卡"),
    _code("43", "被窃卡"),
    _code("45", "请使用芯片"),
    _code("57", "不允许此卡交易"),
    _code("58", "终端无效，请联系收单行或银联"),
    _code("59", "卡片校验错"),
    _code("65", "超出消费次数限制"),
    _code("68", "交易超时，请重试"),
    _code("77", "批次号不一致，请重新签到"),
    _code("94", "拒绝，重复交易，请稍后重试"),
    _code("99", "PIN格式错，请重新签到"),
    _code("A7", "安全处理失败"),
    _code("25", "没有原始交易，请联系发卡方"),
    Sample(("交易失败", "余额不足 51", "请按确认键返回"), "/codes/51/", code="51"),
    # a message with no code, or the only card that shows it
    _message("终端已锁定，请联系客服", "/guides/unlock-locked-terminal/#symptoms"),
    _message("操作员已锁定", "/guides/unlock-locked-terminal/#wrong-password"),
    _message("请先签到", "/guides/sign-in-after-power-off/#sign-in-steps", "按确认键签到"),
    _message("签到失败", "/guides/sign-in-after-power-off/#sign-in-failed"),
    _message("商户状态异常", "/guides/restore-suspended-terminal/#host-status"),
    _message("终端已停用", "/guides/restore-suspended-terminal/#find-out-why"),
    _message("通讯失败", "/guides/basic-troubleshooting/#check-network", "请检查网络"),
    _message("请插入SIM卡", "/guides/basic-troubleshooting/#check-network"),
    _message("打印机缺纸", "/guides/basic-troubleshooting/#printer"),
    _message("读卡失败，请重新刷卡", "/guides/basic-troubleshooting/#card-reader"),
    _message("密码键盘未连接", "/guides/basic-troubleshooting/#card-reader"),
    _message("激活码已过期", "/guides/activate-new-terminal/#invalid-code"),
    _message("终端未激活", "/guides/activate-new-terminal/#activate-on-terminal", "请输入激活码"),
    _message("交易笔数已满，请先结算", "/guides/settlement-not-received/#batch-settlement"),
    _message("商户已冻结", "/guides/account-frozen/#merchant-account"),
    _message("付款码已失效", "/guides/qr-code-payment/#scan-fails"),
    _message("操作员不存在", "/guides/forgotten-operator-password/#find-operator-id"),
    _message("余额不足", "/codes/51/"),
    _message("挂失卡，请没收", "/codes/41/"),
)

BACKGROUNDS = ((200, 220, 190), (190, 205, 215), (236, 238, 232), (210, 225, 205))
INKS = ((25, 30, 25), (20, 20, 60), (30, 30, 30))


def _screen(sample: Sample, rng: random.Random) -> Image.Image:
    width, height = 960, 640
    screen = Image.new("RGB", (width, height), rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(screen)
    ink = rng.choice(INKS)
    title = ImageFont.truetype(FONT, 56)
    body = ImageFont.truetype(FONT, rng.choice((50, 54, 58)))
    y = 40
    for index, line in enumerate(sample.lines):
        font = title if index == 0 else body
        box = draw.textbbox((0, 0), line, font=font)
        scale = min(1.0, (width - 60) / (box[2] - box[0]))
        if scale < 1.0:  # long messages wrap on a real screen; here the font shrinks
            font = ImageFont.truetype(FONT, int(font.size * scale))
            box = draw.textbbox((0, 0), line, font=font)
        x = (width - (box[2] - box[0])) // 2 if index == 0 else 36
        draw.text((x, y), line, fill=ink, font=font)
        y += (box[3] - box[1]) + 48
        if index == 0:
            draw.line((20, y - 22, width - 20, y - 22), fill=ink, width=3)
    return screen


def _glare(photo: Image.Image, rng: random.Random) -> Image.Image:
    glare = Image.new("L", photo.size, 0)
    draw = ImageDraw.Draw(glare)
    cx, cy = rng.randint(0, photo.width), rng.randint(0, photo.height // 2)
    radius = rng.randint(photo.width // 8, photo.width // 4)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=rng.randint(60, 110))
    glare = glare.filter(ImageFilter.GaussianBlur(radius // 2))
    return Image.composite(Image.new("RGB", photo.size, (255, 255, 250)), photo, glare)


def photo(sample: Sample, seed: int, *, width: int = 2000, quality: int | None = None) -> bytes:
    """JPEG bytes of one sample: a phone-sized photo of the screen, crooked, blurred, glared."""
    rng = random.Random(seed)
    screen = _screen(sample, rng)
    bezel = Image.new("RGB", (screen.width + 160, screen.height + 160), (40, 42, 45))
    bezel.paste(screen, (80, 80))
    tilted = bezel.rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=True)
    # Perspective: the phone held a little below or beside the screen.
    w, h = tilted.size
    d = rng.uniform(0.0, 0.06)
    quad = (w * d, 0, 0, h, w, h, w * (1 - d), 0)
    tilted = tilted.transform((w, h), Image.Transform.QUAD, quad, resample=Image.Resampling.BICUBIC)
    table = Image.new("RGB", (int(w * 1.25), int(h * 1.25)), (120, 105, 90))
    table.paste(tilted, ((table.width - w) // 2, (table.height - h) // 2))
    table = table.resize((width, int(width * table.height / table.width)))
    table = _glare(table, rng)
    table = table.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.8)))
    out = io.BytesIO()
    table.save(out, "JPEG", quality=quality or rng.randint(50, 85))
    return out.getvalue()


def write(folder: Path) -> list[tuple[Path, Sample]]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, sample in enumerate(SAMPLES):
        path = folder / f"{index:02d}.jpg"
        path.write_bytes(photo(sample, seed=index))
        written.append((path, sample))
    (folder / "answers.txt").write_text(
        "".join(f"{p.name} {s.answer}\n" for p, s in written), encoding="utf-8"
    )
    return written


if __name__ == "__main__":
    for path, sample in write(Path(sys.argv[1])):
        print(path, sample.answer)
