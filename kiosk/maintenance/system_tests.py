"""Self-tests of what is not a device driver: the touch screen, the sound, the network, the storage."""
from __future__ import annotations

import contextlib
import email.utils
import io
import math
import shutil
import sqlite3
import time
import wave
from pathlib import Path

from kiosk.maintenance.results import FAIL, OK, WARN, Context, Result

SENTENCE = "您好，这里是菏心意自助服务终端，声音测试。"
PLACES = {(0, 0): "左下角", (1, 0): "右下角", (0, 1): "左上角", (1, 1): "右上角"}


# -- touch ----------------------------------------------------------------------------------------
class TouchGrid:
    """A grid of targets to tap, the four corners included. Positions are fractions of the screen
    (0,0 bottom left — Kivy's and the touch panel's own convention); `tap(x, y)` takes pixels."""

    def __init__(self, width: float, height: float, cols: int = 4, rows: int = 3, margin: float = 60.0,
                 radius: float = 55.0) -> None:
        self.width, self.height, self.radius = width, height, radius
        self.targets: list[tuple[float, float]] = []
        for r in range(rows):
            for c in range(cols):
                x = margin + (width - 2 * margin) * c / (cols - 1)
                y = margin + (height - 2 * margin) * r / (rows - 1)
                self.targets.append((x, y))
        self.hit: dict[int, float] = {}     # target index -> distance of the tap from its centre (px)
        self.misses = 0

    def name(self, index: int) -> str:
        """左上角 for a corner, else 第 N 个点 (reading order: top row first)."""
        x, y = self.targets[index]
        xs = sorted({t[0] for t in self.targets})
        ys = sorted({t[1] for t in self.targets})
        key = (xs.index(x) / max(1, len(xs) - 1), ys.index(y) / max(1, len(ys) - 1))
        if key in PLACES:
            return PLACES[key]
        order = sorted(range(len(self.targets)), key=lambda i: (-self.targets[i][1], self.targets[i][0]))
        return f"第 {order.index(index) + 1} 个点"

    def tap(self, x: float, y: float) -> int | None:
        """Record a tap; the index of the target it hit, or None (a miss)."""
        best = min(range(len(self.targets)), key=lambda i: math.dist((x, y), self.targets[i]))
        distance = math.dist((x, y), self.targets[best])
        if distance > self.radius:
            self.misses += 1
            return None
        self.hit[best] = min(distance, self.hit.get(best, distance))
        return best

    @property
    def done(self) -> bool:
        return len(self.hit) == len(self.targets)

    def result(self) -> Result:
        """All hit: ok with the mean offset; else which targets were not hit."""
        order = sorted(range(len(self.targets)), key=lambda i: (not self.name(i).endswith("角"),
                                                               -self.targets[i][1], self.targets[i][0]))
        missing = [self.name(i) for i in order if i not in self.hit]      # corners first, then top to bottom
        offset = round(sum(self.hit.values()) / len(self.hit), 1) if self.hit else None
        figures = {"targets": len(self.targets), "hit": len(self.hit), "misses": self.misses,
                   "mean_offset_px": offset}
        if not missing:
            level = OK if (offset or 0) < self.radius / 2 else WARN
            words = "" if level == OK else "，点的位置偏得多，触摸屏可能需要校准"
            return Result("touch", level, f"{len(self.targets)} 个点都点中了，平均偏差 {offset} 像素{words}",
                          figures=figures)
        return Result("touch", WARN if self.hit else FAIL,
                      f"有 {len(missing)} 个点没有点中：{'、'.join(missing[:6])}。这些位置的触摸可能失灵",
                      figures=figures)


# -- sound ----------------------------------------------------------------------------------------
def sound(ctx: Context, text: str = SENTENCE) -> Result:
    """说一句话: synthesize it (a measurable WAV), then play it where there is a speaker."""
    voice = ctx.voice
    if voice is None or voice.binary is None:
        return Result("sound", FAIL, "语音软件 espeak-ng 没有安装，不能朗读")
    if not voice.enabled:
        return Result("sound", WARN, "朗读已在配置中关闭（[ui] voice）")
    try:
        wav = voice.synthesize(text)
        with wave.open(io.BytesIO(wav)) as w:
            frames = w.readframes(w.getnframes())   # espeak's streamed header claims ~2^31 frames
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
        seconds = len(frames) / float(width * channels * rate)
    except Exception as exc:
        return Result("sound", FAIL, "语音合成失败，请联系技术支持", state=type(exc).__name__)
    import numpy as np
    samples = np.frombuffer(frames, dtype=np.int16 if width == 2 else np.uint8)
    peak = float(np.abs(samples.astype(np.int32)).max()) / (32768 if width == 2 else 255) if samples.size else 0.0
    figures = {"speech_s": round(seconds, 1), "peak": round(peak, 2)}
    if seconds < 0.5 or peak < 0.01:
        return Result("sound", FAIL, "合成的语音是空的，请联系技术支持", figures=figures)
    if not ctx.person:
        return Result("sound", OK, f"语音合成正常（{figures['speech_s']} 秒），没人在场，没有播放", figures=figures)
    if voice.say(text):
        return Result("sound", OK, f"正在播放一句 {figures['speech_s']} 秒的话，请听喇叭是否清楚", figures=figures)
    return Result("sound", WARN, "语音合成正常，但没有找到声卡或喇叭，请检查音箱电源和连接线", figures=figures)


# -- network --------------------------------------------------------------------------------------
def network(ctx: Context, timeout: float = 5.0) -> Result:
    """平台: reachable with this terminal's token, the latency, and the clock offset (HTTP Date)."""
    import requests
    url = ctx.settings.get("platform", "url")
    if not url:
        return Result("network", WARN, "没有配置平台地址（[platform] url）")
    client = ctx.client
    own = client is None
    if own:
        from offline_cache.platform_client import PlatformClient
        client = PlatformClient.from_settings(ctx.settings)
    try:
        before = time.time()
        started = time.monotonic()
        try:
            with (ctx.lock if ctx.lock is not None else contextlib.nullcontext()):
                response = client.request("GET", "/api/v1/catalogue", timeout=(timeout, timeout))
        except requests.RequestException as exc:
            # the plain sentence big; the error's name for a technician in small print (the state)
            return Result("network", FAIL, "连不上平台，请检查网线或 4G 路由器", state=type(exc).__name__,
                          lines=[_host(url)])
        latency = int((time.monotonic() - started) * 1000)
        after = time.time()
    finally:
        if own:
            client.close()
    figures: dict = {"latency_ms": latency, "status": response.status_code}
    offset = clock_offset(response.headers.get("Date"), before, after)
    if offset is not None:
        figures["clock_offset_s"] = offset
    if response.status_code == 401:
        return Result("network", FAIL, "平台拒绝了本终端的令牌（401），请核对 [platform] token", figures=figures)
    if response.status_code >= 500:
        return Result("network", FAIL, f"平台出错（{response.status_code}），请联系平台值班", figures=figures)
    words = f"平台可以连通，响应 {latency} 毫秒"
    level = OK if latency < 2000 else WARN
    if latency >= 2000:
        words += "，网络很慢"
    if offset is not None:
        words += f"，本机时钟相差 {offset:+.0f} 秒"
        if abs(offset) > 60:
            level = WARN
            words += "，请校准时间（二维码校验、回执时间会出错）"
    return Result("network", level, words, figures=figures, lines=[_host(url)])


def _host(url: str) -> str:
    from urllib.parse import urlsplit
    return f"平台 {urlsplit(url).netloc}"


def clock_offset(date_header: str | None, before: float, after: float) -> float | None:
    """Seconds the platform's clock is ahead of ours (its Date header against the request's midpoint);
    None without a usable header. The header has whole seconds, so ±1 s is the resolution."""
    if not date_header:
        return None
    try:
        server = email.utils.parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError):
        return None
    return round(server - (before + after) / 2, 1)


# -- storage --------------------------------------------------------------------------------------
def integrity(db_path: Path) -> str:
    """PRAGMA integrity_check on a read-only connection: "ok" or the first problem SQLite names."""
    uri = f"file:{db_path}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return rows[0][0] if rows else "no answer"


def storage(ctx: Context, min_free_mb: int = 500) -> Result:
    """存储: free space in data_dir and the outbox database's integrity check."""
    from offline_cache.outbox import DB_NAME
    data_dir = Path(ctx.settings.data_dir)
    usage = shutil.disk_usage(data_dir)
    free_mb = usage.free // (1024 * 1024)
    figures: dict = {"free_mb": free_mb, "free_pct": round(100 * usage.free / usage.total, 1)}
    level = OK if free_mb >= min_free_mb else WARN if free_mb >= 50 else FAIL
    words = [f"剩余空间 {free_mb} MB（{figures['free_pct']}%）"]
    if level != OK:
        words.append("空间不够，请清理或更换存储")
    db = data_dir / DB_NAME
    if not db.exists():
        words.append("待发数据库还没有建立")
        figures["integrity"] = "absent"
    else:
        try:
            verdict = integrity(db)
        except sqlite3.DatabaseError as exc:
            verdict = f"{type(exc).__name__}"
        figures["integrity"] = "ok" if verdict == "ok" else "damaged"
        if verdict == "ok":
            words.append("待发数据库完好")
        else:
            level = FAIL
            words.append("待发数据库损坏，请联系技术支持（不要删除文件）")
    return Result("storage", level, "，".join(words), figures=figures)
