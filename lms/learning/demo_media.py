"""Demo videos for the demo courses: made locally with ffmpeg when it is installed, else the shipped clip.

With ffmpeg (and a CJK font), each video lesson gets its own short VP8/WebM clip: a title card with
the lesson's title, then a colour test pattern (with its own running clock). Without ffmpeg every video
lesson uses ``demo_assets/demo-video.webm`` (6 s, ~10 KB, committed). Either way the ``Media`` row
carries the clip's real duration, which the completion rule (share of the video watched) uses.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from wagtailmedia.models import Media

ASSET = Path(__file__).parent / "demo_assets" / "demo-video.webm"
ASSET_SECONDS = 6.0
FILE_PREFIX = "demo-learning-"  # file names of demo media, so that a reset finds them
CLIP_SECONDS = 12  # 3 s title card + 9 s test pattern


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None and _cjk_font() is not None


def _cjk_font() -> str | None:
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(  # noqa: S603 - fixed arguments
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return found if found.endswith((".ttc", ".otf", ".ttf")) and "CJK" in found else None


def _render(title: str, out: Path) -> None:
    font = _cjk_font()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as caption:
        caption.write(title)
    text = f"fontfile={font}:textfile={caption.name}:fontcolor=white:fontsize=22:x=(w-text_w)/2:y=(h-text_h)/2"
    graph = f"[0:v]drawtext={text}[card];[card][1:v]concat=n=2:v=1[v]"
    cmd = [
        "ffmpeg", "-y", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "color=c=0x2f6f4f:size=320x180:rate=10:duration=3",
        "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=10:duration={CLIP_SECONDS - 3}",
        "-filter_complex", graph, "-map", "[v]", "-an",
        "-c:v", "libvpx", "-b:v", "60k", "-deadline", "realtime", "-cpu-used", "8", str(out),
    ]  # fmt: skip
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)  # noqa: S603
    finally:
        Path(caption.name).unlink(missing_ok=True)


def demo_video(*, title: str, slug: str, use_ffmpeg: bool, collection=None) -> Media:
    """A ``Media`` row (video) for a demo lesson, with its file and duration."""
    content, seconds = ASSET.read_bytes(), ASSET_SECONDS
    if use_ffmpeg:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "clip.webm"
            try:
                _render(title, out)
                content, seconds = out.read_bytes(), float(CLIP_SECONDS)
            except (OSError, subprocess.SubprocessError):
                pass  # fall back to the shipped clip
    fields = {"collection": collection} if collection is not None else {}
    return Media.objects.create(
        title=title,
        type="video",
        duration=seconds,
        width=320,
        height=180,
        file=ContentFile(content, name=f"{FILE_PREFIX}{slug}.webm"),
        **fields,
    )


def delete_demo_videos() -> int:
    media = list(Media.objects.filter(file__startswith=f"media/{FILE_PREFIX}"))
    for item in media:
        item.file.delete(save=False)
        item.delete()
    return len(media)
