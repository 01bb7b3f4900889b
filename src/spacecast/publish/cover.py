"""Podcast cover art: spacecast's own default cover, and preparing a user's image.

The default cover (:func:`draw_cover`) is drawn by code with Pillow, nothing is
downloaded. It is a night sky (deep navy at the top to indigo at the bottom, a soft glow
behind the motif and a sprinkle of small stars from a fixed seed), a warm amber planet
with a tilted pale-blue orbit ring that passes behind and in front of it, and two
broadcast arcs on each side (a "radio" planet), above the show name in large bold white
type, auto-fitted to 80 % of the width on at most two lines (a name too long even for two
lines at the smallest size is cut after a whole word with an ellipsis), and a small
letter-spaced "DAILY BRIEFING" caption between two short rules. Shapes are drawn at
twice the size and downsampled with LANCZOS, so edges are smooth; type is anti-aliased
by FreeType (Pillow's regular-weight fallback font gets a thin outline as a faux bold).
The same show name gives the same pixels on the same machine (the font, DejaVu Sans Bold or
Pillow's built-in scalable font, may differ between machines).

Apple asks for a square RGB JPEG or PNG of 1400–3000 px; ID3 ``APIC`` frames are best
kept under about 500 KB. :func:`write_default_cover` and :func:`prepare_cover` write
JPEGs that meet both, atomically; :func:`cover_bytes` reads one back for embedding.
"""

from __future__ import annotations

import functools
import io
import math
import random
from pathlib import Path

from PIL import (
    Image,
    ImageChops,
    ImageDraw,
    ImageFont,
    ImageOps,
    ImageStat,
    UnidentifiedImageError,
)

from spacecast.atomic import replacing
from spacecast.errors import InputError, OutputError
from spacecast.limits import cut_label

COVER_SIZE = 1400  # px, square (Apple: 1400–3000, RGB JPEG or PNG)
MIN_SIZE = 1400
MAX_SIZE = 3000
MAX_BYTES = 500 * 1024  # advice for ID3 APIC frames: players choke on bigger pictures
SQUARE_TOLERANCE = 0.01  # width and height may differ by 1 %; the excess is cropped

CAPTION = "DAILY BRIEFING"
BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

_EXIF_ORIENTATION = 0x0112
_SUPERSAMPLE = 2
_STAR_SEED = 0x5CA57  # fixed: the sky is the same on every cover

# Palette.
_SKY_TOP = (6, 11, 34)
_SKY_BOTTOM = (40, 26, 92)
_GLOW = (72, 64, 168)
_PLANET = (247, 184, 72)
_PLANET_SHADE = (214, 118, 58)
_PLANET_BAND = (236, 158, 66)
_PLANET_SHADOW = (150, 72, 52)
_RING = (150, 212, 255)
_WAVES = (150, 212, 255)
_TITLE = (255, 255, 255)
_ACCENT = (247, 184, 72)

# Layout, as fractions of the cover's side.
_MOTIF_CENTRE = (0.5, 0.37)
_PLANET_RADIUS = 0.11
_RING_TILT = 16  # degrees, clockwise: the ring's right end dips
_ARTWORK_BOTTOM = 0.68  # stars and motif stay above this
_TITLE_WIDTH = 0.80
_TITLE_BOX = (0.64, 0.85)  # top and bottom of the area the title is centred in
_TITLE_MAX = 0.15  # font size of a short one-line title
_DRAWN_CHARS = 80  # more than two lines of the smallest title font hold
_TITLE_MIN = 0.05  # below this a long title is wrapped greedily and cut with an ellipsis
_CAPTION_SIZE = 0.032
_CAPTION_Y = 0.905  # baseline

DEFAULT_COVER_QUALITY = 88
_JPEG_QUALITIES_BEFORE_SCALING = (92, 88, 84, 80, 75, 70)
_JPEG_QUALITIES = (*_JPEG_QUALITIES_BEFORE_SCALING, 65, 60, 50, 40, 30, 20)


# --- drawing the default cover ------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans Bold at ``size`` px if the system has it, else Pillow's scalable font."""
    try:
        return ImageFont.truetype(str(BOLD_FONT), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _sky(size: int) -> Image.Image:
    """The vertical navy-to-indigo gradient with a soft glow behind the motif."""
    rows = bytearray()
    for y in range(size):
        t = y / max(size - 1, 1)
        t = t * t * (3 - 2 * t)  # smoothstep: a calm top, a richer bottom
        rows.extend(round(a + (b - a) * t) for a, b in zip(_SKY_TOP, _SKY_BOTTOM, strict=True))
    sky = Image.frombytes("RGB", (1, size), bytes(rows)).resize(
        (size, size), Image.Resampling.NEAREST
    )

    # A radial glow: Pillow's radial gradient is 0 at the centre and 255 at the rim.
    diameter = round(size * 0.95)
    falloff = Image.radial_gradient("L").point(lambda v: max(0, 150 - v) * 255 // 150)
    mask = falloff.point(lambda v: v * 0.55).resize((diameter, diameter), Image.Resampling.BICUBIC)
    cx, cy = round(size * _MOTIF_CENTRE[0]), round(size * _MOTIF_CENTRE[1])
    glow = Image.new("RGB", (diameter, diameter), _GLOW)
    sky.paste(glow, (cx - diameter // 2, cy - diameter // 2), mask)
    return sky


def _stars(draw: ImageDraw.ImageDraw, side: int) -> None:
    """A few small stars from a fixed seed, in the upper part, clear of the motif."""
    rng = random.Random(_STAR_SEED)
    cx, cy = side * _MOTIF_CENTRE[0], side * _MOTIF_CENTRE[1]
    keep_out = side * 0.36
    placed = 0
    while placed < 44:
        x, y = rng.uniform(0.04, 0.96) * side, rng.uniform(0.03, 0.62) * side
        brightness = rng.random()
        if math.hypot(x - cx, (y - cy) * 1.6) < keep_out:
            continue
        placed += 1
        radius = side * (0.0012 + 0.0022 * brightness**2)
        alpha = round(90 + 150 * brightness)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, alpha))
        if brightness > 0.93:  # a couple of four-pointed twinkles
            arm, width = radius * 4.2, max(1, round(radius * 0.5))
            colour = (255, 255, 255, alpha // 2)
            draw.line((x - arm, y, x + arm, y), fill=colour, width=width)
            draw.line((x, y - arm, x, y + arm), fill=colour, width=width)


def _ring_band(
    cx: float, cy: float, rx: float, ry: float, half_width: float, near: bool
) -> list[tuple[float, float]]:
    """A polygon: the near (or far) half of the tilted ring, ``2 * half_width`` thick.

    Angles 0–180 of the ellipse are below its axis before tilting (the near half, in
    front of the planet), 180–360 above it (the far half, behind the planet).
    """
    tilt = math.radians(_RING_TILT)
    cos_t, sin_t = math.cos(tilt), math.sin(tilt)
    start = 0 if near else 180
    steps = 120

    def edge(grow: float) -> list[tuple[float, float]]:
        points = []
        for i in range(steps + 1):
            phi = math.radians(start + 180 * i / steps)
            x, y = (rx + grow) * math.cos(phi), (ry + grow) * math.sin(phi)
            points.append((cx + x * cos_t - y * sin_t, cy + x * sin_t + y * cos_t))
        return points

    return edge(half_width) + edge(-half_width)[::-1]


def _planet(overlay: Image.Image, cx: float, cy: float) -> None:
    """The ringed planet at (``cx``, ``cy``) on ``overlay``: far ring, planet, near ring."""
    draw = ImageDraw.Draw(overlay)
    r = overlay.width * _PLANET_RADIUS
    rx, ry = r * 2.05, r * 0.5
    half = r * 0.045  # half the ring's thickness
    draw.polygon(_ring_band(cx, cy, rx, ry, half, near=False), fill=(*_RING, 255))

    # The planet, on its own small square: x0, y0 is its top-left corner on the overlay.
    d = math.ceil(2 * r) + 4
    x0, y0 = math.floor(cx - d / 2), math.floor(cy - d / 2)
    lx, ly = cx - x0, cy - y0  # its centre in local coordinates
    disc = Image.new("L", (d, d), 0)
    ImageDraw.Draw(disc).ellipse((lx - r, ly - r, lx + r, ly + r), fill=255)
    # The lit side, light from the upper left, leaves a shaded crescent lower right.
    off = r * 0.36
    lit = Image.new("L", (d, d), 0)
    ImageDraw.Draw(lit).ellipse(
        (lx - r - off, ly - r - off, lx + r - off * 0.45, ly + r - off * 0.45), fill=255
    )
    body = Image.new("RGB", (d, d), _PLANET_SHADE)
    body.paste(_PLANET, (0, 0), lit)
    # Two soft bands, parallel to the ring, on the lit side only.
    tilt = math.radians(_RING_TILT)
    ux, uy = math.cos(tilt), math.sin(tilt)  # along a band
    nx, ny = -uy, ux  # across it
    bands = Image.new("L", (d, d), 0)
    for offset, height in ((-0.42, 0.16), (0.02, 0.09)):
        a, b = offset * r, (offset + height) * r
        ImageDraw.Draw(bands).polygon(
            [
                (lx + nx * a - ux * 2 * r, ly + ny * a - uy * 2 * r),
                (lx + nx * a + ux * 2 * r, ly + ny * a + uy * 2 * r),
                (lx + nx * b + ux * 2 * r, ly + ny * b + uy * 2 * r),
                (lx + nx * b - ux * 2 * r, ly + ny * b - uy * 2 * r),
            ],
            fill=255,
        )
    body.paste(_PLANET_BAND, (0, 0), ImageChops.multiply(bands, lit))
    overlay.paste(body, (x0, y0), disc)

    # Where the near half of the ring crosses the planet, it casts a shadow just below.
    gap = Image.new("L", (d, d), 0)
    shadow = _ring_band(lx, ly + half * 2.2, rx, ry, half * 1.3, near=True)
    ImageDraw.Draw(gap).polygon(shadow, fill=255)
    overlay.paste((*_PLANET_SHADOW, 255), (x0, y0), ImageChops.multiply(gap, disc))
    draw.polygon(_ring_band(cx, cy, rx, ry, half, near=True), fill=(*_RING, 255))


def _waves(draw: ImageDraw.ImageDraw, side: int, cx: float, cy: float) -> None:
    """Two pairs of broadcast arcs, left and right of the planet."""
    width = max(1, round(side * 0.011))
    for radius, alpha in ((0.255, 230), (0.315, 140)):
        rad = side * radius
        box = (cx - rad, cy - rad, cx + rad, cy + rad)
        for start in (-28, 152):  # right-hand arc, then left-hand arc
            draw.arc(box, start, start + 56, fill=(*_WAVES, alpha), width=width)


def _artwork(size: int) -> Image.Image:
    """Stars, waves and planet, drawn at twice the size and downsampled: the upper part."""
    big = size * _SUPERSAMPLE
    height = round(big * _ARTWORK_BOTTOM)
    overlay = Image.new("RGBA", (big, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    cx, cy = big * _MOTIF_CENTRE[0], big * _MOTIF_CENTRE[1]
    _stars(draw, big)
    _waves(draw, big, cx, cy)
    _planet(overlay, cx, cy)
    return overlay.resize((size, round(size * _ARTWORK_BOTTOM)), Image.Resampling.LANCZOS)


def _stroke(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> int:
    """Extra outline for a faux bold when the font is Pillow's regular-weight fallback."""
    if isinstance(font, ImageFont.FreeTypeFont) and font.getname()[1] != "Bold":
        return round(font.size * 0.025)
    return 0


def _line_width(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> float:
    return font.getlength(text) + 2 * _stroke(font)


def _block_height(lines: list[str], px: int) -> float:
    """From the cap height of the first line to the descender of the last."""
    font = _font(px)
    top, bottom = _vertical_extent(font)
    return (len(lines) - 1) * _line_pitch(px) + (bottom - top)


def _vertical_extent(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> tuple[int, int]:
    _, top, _, bottom = font.getbbox("ÅHgjy", anchor="ls")
    stroke = _stroke(font)
    return int(top) - stroke, int(bottom) + stroke


def _line_pitch(px: int) -> float:
    return px * 1.12


def _fits(lines: list[str], px: int, max_w: float, max_h: float) -> bool:
    font = _font(px)
    return (
        max(_line_width(line, font) for line in lines) <= max_w
        and _block_height(lines, px) <= max_h
    )


def _largest_size(lines: list[str], lo: int, hi: int, max_w: float, max_h: float) -> int:
    """The largest font size in ``[lo, hi]`` at which ``lines`` fit, or ``lo - 1``."""
    best = lo - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if _fits(lines, mid, max_w, max_h):
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def _greedy_lines(text: str, px: int, max_w: float, max_lines: int) -> list[str]:
    """Wrap greedily at ``px``, breaking over-long words, cutting the rest with an ellipsis."""
    font = _font(px)
    lines: list[str] = []
    current = ""
    tokens = text.split()
    i = 0
    while i < len(tokens) and len(lines) < max_lines:
        word = tokens[i]
        trial = f"{current} {word}" if current else word
        if _line_width(trial, font) <= max_w:
            current, i = trial, i + 1
            continue
        if current:
            lines.append(current)
            current = ""
            continue
        # A single word wider than the line: break it by characters.
        cut = len(word)
        while cut > 1 and _line_width(word[:cut], font) > max_w:
            cut -= 1
        lines.append(word[:cut])
        tokens[i] = word[cut:]
    if current and len(lines) < max_lines:
        lines.append(current)
        current = ""
    overflow = i < len(tokens) or current
    lines = lines[:max_lines]
    if overflow:  # cut after a whole word if there is one, then add an ellipsis
        last = lines[-1]
        if " " in last:
            last = last.rsplit(" ", 1)[0]
        while " " in last and _line_width(last + "…", font) > max_w:
            last = last.rsplit(" ", 1)[0]
        while len(last) > 1 and _line_width(last + "…", font) > max_w:
            last = last[:-1]
        lines[-1] = last.rstrip(" ,;:.-–—") + "…"
    return lines


def _layout_title(name: str, size: int) -> tuple[list[str], int]:
    """The title's lines (one or two) and font size, fitting the title box."""
    max_w = size * _TITLE_WIDTH
    max_h = size * (_TITLE_BOX[1] - _TITLE_BOX[0])
    hi = max(1, round(size * _TITLE_MAX))
    lo = max(1, round(size * _TITLE_MIN))

    one = _largest_size([name], lo, hi, max_w, max_h)
    if one >= round(hi * 0.8):
        return [name], one
    words = name.split()
    if len(words) > 1:
        splits = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
    else:  # one long word: break it near the middle
        third = len(name) // 3
        splits = [(name[:cut], name[cut:]) for cut in range(third, len(name) - third + 1)]
    best_lines, best_px = [name], one
    for first, second in splits:
        px = _largest_size([first, second], lo, hi, max_w, max_h)
        if px > best_px:
            best_lines, best_px = [first, second], px
    if best_px >= lo:
        return best_lines, best_px
    return _greedy_lines(name, lo, max_w, 2), lo


def _draw_title(image: Image.Image, name: str) -> None:
    size = image.width
    draw = ImageDraw.Draw(image)
    lines, px = _layout_title(name, size)
    font = _font(px)
    top, _ = _vertical_extent(font)
    block = _block_height(lines, px)
    box_top, box_bottom = size * _TITLE_BOX[0], size * _TITLE_BOX[1]
    baseline = (box_top + box_bottom) / 2 - block / 2 - top
    for line in lines:
        draw.text(
            (size / 2, baseline),
            line,
            font=font,
            fill=_TITLE,
            anchor="ms",
            stroke_width=_stroke(font),
            stroke_fill=_TITLE,
        )
        baseline += _line_pitch(px)


def _draw_caption(image: Image.Image) -> None:
    """``DAILY BRIEFING``, letter-spaced, between two short rules."""
    size = image.width
    draw = ImageDraw.Draw(image)
    px = max(1, round(size * _CAPTION_SIZE))
    font = _font(px)
    tracking = px * 0.28
    widths = [font.getlength(ch) for ch in CAPTION]
    total = sum(widths) + tracking * (len(CAPTION) - 1)
    x = (size - total) / 2
    y = size * _CAPTION_Y
    for ch, w in zip(CAPTION, widths, strict=True):
        draw.text((x, y), ch, font=font, fill=_ACCENT, anchor="ls")
        x += w + tracking
    cap_top = font.getbbox("H", anchor="ls")[1]
    mid = y + cap_top / 2
    rule, gap = size * 0.06, size * 0.03
    thickness = max(1, round(size * 0.0025))
    left_end = (size - total) / 2 - gap
    right_start = (size + total) / 2 + gap
    draw.line((left_end - rule, mid, left_end, mid), fill=_ACCENT, width=thickness)
    draw.line((right_start, mid, right_start + rule, mid), fill=_ACCENT, width=thickness)


def draw_cover(show: str, size: int = COVER_SIZE) -> Image.Image:
    """The default cover for ``show``: an RGB square ``size`` px wide, the same every time."""
    image = _sky(size).convert("RGBA")
    image.alpha_composite(_artwork(size))
    image = image.convert("RGB")
    # No more than two lines fit the title box: a longer name is cut before it is laid out
    # (laying out 100,000 characters took minutes and gigabytes).
    name = cut_label(" ".join(show[: _DRAWN_CHARS * 4].split()), _DRAWN_CHARS)
    if name:
        _draw_title(image, name)
    _draw_caption(image)
    return image


# --- writing and reading cover files ------------------------------------------------------


def _encode_jpeg(image: Image.Image, best: int = 92, limit: int = MAX_BYTES) -> bytes:
    """A baseline JPEG under ``limit`` bytes, if at all possible.

    Quality is lowered from ``best`` to 70; if that is not enough the side is scaled down by
    a fifth at a time to 1400 px, and at 1400 px quality goes on down to 20 (pure noise
    at 1400 px fits at about 20).
    """
    current = image
    while True:
        smallest = current.width <= MIN_SIZE
        qualities = _JPEG_QUALITIES if smallest else _JPEG_QUALITIES_BEFORE_SCALING
        for quality in (q for q in qualities if q <= best):
            buffer = io.BytesIO()
            current.save(buffer, "JPEG", quality=quality, optimize=True)
            data = buffer.getvalue()
            if len(data) < limit:
                return data
        if smallest:
            return data  # cannot happen with real artwork: the best we can do
        side = max(MIN_SIZE, round(current.width * 0.8))
        current = image.resize((side, side), Image.Resampling.LANCZOS)


def _write(path: Path, data: bytes) -> Path:
    try:
        with replacing(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write cover art ({exc.strerror or exc})") from exc
    return path


def default_cover(show: str) -> bytes:
    """The default cover for ``show`` as JPEG bytes."""
    return _encode_jpeg(draw_cover(show), best=DEFAULT_COVER_QUALITY)


def write_default_cover(path: Path, show: str) -> Path:
    """Draw the default cover for ``show`` and write it to ``path`` as a JPEG, atomically."""
    return _write(path, default_cover(show))


def _flatten(image: Image.Image) -> Image.Image:
    """Any mode to RGB; transparency goes onto white, or black if the visible art is light."""
    if image.mode.startswith("I"):  # 16-bit greyscale PNG
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info
    )
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A")
    opaque = ImageStat.Stat(alpha).sum[0]
    weighted = ImageStat.Stat(ImageChops.multiply(rgba.convert("L"), alpha)).sum[0] * 255
    light = opaque > 0 and weighted / opaque > 140  # mean brightness of what is visible
    background = Image.new("RGBA", rgba.size, (0, 0, 0, 255) if light else (255, 255, 255, 255))
    background.alpha_composite(rgba)
    return background.convert("RGB")


def prepare_cover(source: Path, dest: Path) -> Path:
    """Check the user's cover art and write it to ``dest`` (see ``prepared_cover``)."""
    return _write(dest, prepared_cover(source))


def prepared_cover(source: Path) -> bytes:
    """The user's cover art, checked, as the bytes of an RGB JPEG of 1400–3000 px.

    JPEG or PNG, any mode (transparency is flattened), square within 1 % (the excess is
    cropped from the centre), at least 1400 px (bigger than 3000 is scaled down), and
    under 500 KB. Raises :class:`InputError` naming the file if it cannot be used.
    """
    source = Path(source)
    if not source.is_file():
        raise InputError(f"{source}: cover art file not found")
    try:
        with Image.open(source) as opened:
            kind = opened.format
            width, height = opened.size
            if opened.getexif().get(_EXIF_ORIENTATION, 1) in (5, 6, 7, 8):
                width, height = height, width  # shown rotated a quarter turn
            if kind not in ("JPEG", "PNG"):
                raise InputError(f"{source}: cover art must be JPEG or PNG (got {kind})")
            if abs(width - height) > SQUARE_TOLERANCE * max(width, height):
                raise InputError(
                    f"{source}: cover art must be square (got {width}×{height}): "
                    "crop it to a square"
                )
            if min(width, height) < MIN_SIZE:
                raise InputError(
                    f"{source}: cover art is too small ({width}×{height}): "
                    f"it must be at least {MIN_SIZE}×{MIN_SIZE} pixels"
                )
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except PermissionError as exc:
        raise InputError(f"{source}: cannot read cover art ({exc.strerror})") from exc
    except Image.DecompressionBombError as exc:
        raise InputError(f"{source}: cover art is far too large ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{source}: not an image Pillow can read (use JPEG or PNG)") from exc

    image = _flatten(image)
    side = min(image.size)
    if image.width != image.height:
        left, top = (image.width - side) // 2, (image.height - side) // 2
        image = image.crop((left, top, left + side, top + side))
    if side > MAX_SIZE:
        image = image.resize((MAX_SIZE, MAX_SIZE), Image.Resampling.LANCZOS)
    return _encode_jpeg(image)


def cover_bytes(path: Path) -> tuple[bytes, str]:
    """The cover's bytes and MIME type (``image/jpeg`` or ``image/png``) for an ID3 APIC."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: cover art file not found") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read cover art ({exc.strerror or exc})") from exc
    if data.startswith(b"\xff\xd8\xff"):
        return data, "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data, "image/png"
    raise InputError(f"{path}: not a JPEG or PNG image (use JPEG or PNG)")
