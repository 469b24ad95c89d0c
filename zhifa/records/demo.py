"""Real evidence for the demo cases: JPEG photos drawn with Pillow, WAV recordings written with
the standard library, a short MP4 clip shipped with the package (demo_media/clip.mp4, 3 s,
made once with ffmpeg's test source) and text records. They go through do_add_record into the
configured blob store, so the demo, the case pages and `zhifa verify` work on real bytes.

The demo entity requires audio/video records of 查封扣押 and 听证 (its 音像记录事项清单); the
case walk (zhifa.site.demo.cases) calls before_step/after_step so each record exists when the step
needs it, as an officer's body camera would have it.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import struct
import wave
from pathlib import Path

from django.utils import timezone

from zhifa.records.models import AvStep

CLIP = Path(__file__).with_name("demo_media") / "clip.mp4"
DEMO_AV_STEPS = (AvStep.SEIZE, AvStep.HOLD_HEARING)
FONT_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc")


def photo(caption: str, seed: int) -> bytes:
    """A 640×480 JPEG: a coloured 'scene' with the caption and a timestamp band, like a camera's."""
    from PIL import Image, ImageDraw, ImageFont

    hue = (seed * 47) % 255
    img = Image.new("RGB", (640, 480), (60 + hue // 3, 90 + (hue * 3) % 120, 110))
    d = ImageDraw.Draw(img)
    for i in range(6):  # shelves / stalls
        y = 80 + i * 60
        d.rectangle([40, y, 600, y + 36], fill=(200 - i * 12, 180 - (seed + i) % 60, 150), outline=(40, 40, 40))
    font = None
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            font = ImageFont.truetype(path, 22)
            break
    font = font or ImageFont.load_default()
    d.rectangle([0, 430, 640, 480], fill=(0, 0, 0))
    d.text((12, 440), caption[:26], fill=(255, 255, 0), font=font)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def recording(seconds: float = 2.0, seed: int = 0) -> bytes:
    """A mono 8 kHz WAV: a few tones, enough for a player to show and play something."""
    rate, frames = 8000, bytearray()
    for n in range(int(rate * seconds)):
        f = 330 + 110 * ((n // 2000 + seed) % 4)
        frames += struct.pack("<h", int(6000 * math.sin(2 * math.pi * f * n / rate)))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return buf.getvalue()


def configure_entity(entity, *, acting_user):
    from zhifa.records.actions import do_set_av_requirements

    do_set_av_requirements(entity, DEMO_AV_STEPS, acting_user=acting_user)


def _add(case, user, on: dt.date, hour: int, title: str, proves: str, *, data: bytes | None = None,
         text: str | None = None, filename: str = "", step: str = "", place: str = "", device: str = ""):
    from zhifa.records.actions import do_add_record

    officers = list(case.officers.filter(active=True).select_related("officer").order_by("id"))
    collectors = [o.officer for o in officers[:2]]
    when = timezone.make_aware(dt.datetime.combine(on, dt.time(hour, 10)))
    when = min(when, timezone.now())
    party = case.parties.order_by("id").first()
    return do_add_record(case, acting_user=user, title=title, proves=proves, collectors=collectors,
                         captured_at=when, fileobj=io.BytesIO(data) if data is not None else None, text=text,
                         filename=filename, step=step, place=place or (party.address if party else ""),
                         device=device)


def before_step(case, step: str, on: dt.date, user):
    """Records that must exist before the demo walk's `step` (the A/V-required ones)."""
    if case is None:
        return
    if step == "hold_hearing":
        _add(case, user, on, 9, "听证会全程录音", "听证程序合法、当事人陈述申辩意见",
             data=recording(3.0, case.pk), filename="听证录音.wav", step=AvStep.HOLD_HEARING, device="录音笔 LY-02")


def after_step(case, step: str, on: dt.date, user):
    """Evidence an officer collects at `step` of the demo walk."""
    if case is None:
        return
    n = case.pk
    if step in ("investigate", "start", "spot"):
        _add(case, user, on, 10, "现场检查照片", "违法行为发生的场所和现场状况",
             data=photo(f"现场检查 {on:%Y-%m-%d} 10:10", n), filename="现场照片1.jpg", device="执法记录仪 ZF-0137")
        _add(case, user, on, 10, "涉案物品照片", "涉案物品的名称、数量和状态",
             data=photo(f"涉案物品 {on:%Y-%m-%d} 10:25", n + 7), filename="现场照片2.jpg", device="执法记录仪 ZF-0137")
    if step == "investigate":
        _add(case, user, on, 14, "询问笔录（要点）", "当事人对违法事实的陈述",
             text=f"{on:%Y年%m月%d日}14时，执法人员出示执法证件，告知当事人申请回避的权利后进行询问。\n"
                  f"问：你是否清楚执法人员今天来的原因？\n答：清楚。\n问：请如实陈述有关情况。\n答：{case.facts[:120]}",
             filename="询问笔录.txt")
    if step == "seize":
        if CLIP.exists():
            _add(case, user, on, 11, "实施查封扣押全过程录像", "查封、扣押的程序和物品状况",
                 data=CLIP.read_bytes(), filename="查封扣押录像.mp4", step=AvStep.SEIZE, device="执法记录仪 ZF-0137")
        else:  # the clip is package data; without it an audio record still satisfies the list
            _add(case, user, on, 11, "实施查封扣押全过程录音", "查封、扣押的程序",
                 data=recording(3.0, n), filename="查封扣押录音.wav", step=AvStep.SEIZE)
    if step == "serve":
        _add(case, user, on, 15, "送达回证照片", "决定书已送达当事人",
             data=photo(f"送达 {on:%Y-%m-%d} 15:10", n + 3), filename="送达回证.jpg")
