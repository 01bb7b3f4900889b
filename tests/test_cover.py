"""Cover art: the drawn default cover (format, size, determinism, where the title goes and
that it stays readable as a thumbnail) and preparing a user's image (modes, sizes, exact
error messages), and reading a cover back for the ID3 APIC frame."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from spacecast.errors import InputError
from spacecast.publish.cover import (
    COVER_SIZE,
    MAX_BYTES,
    cover_bytes,
    draw_cover,
    prepare_cover,
    write_default_cover,
)

S = COVER_SIZE
SHORT = "Spacecast"
TWO_LINES = "The Morning Orbit Report"
LONG_NAMES = [
    TWO_LINES,
    "Supercalifragilisticexpialidociousnewsdigestbroadcast",
    "A Very Long Show Name That Goes On and On About Everything Happening in the World "
    "Today, Tomorrow and for Evermore",
]


@functools.cache
def cover(show: str) -> Image.Image:
    """Drawn once per name: drawing takes a fraction of a second."""
    return draw_cover(show)


def title_mask(show: str, size: int = S) -> Image.Image:
    """Pixels where the cover for ``show`` differs from the cover with no name: the title."""
    named, blank = cover(show), cover("")
    if size != S:
        named, blank = (im.resize((size, size), Image.LANCZOS) for im in (named, blank))
    return ImageChops.difference(named, blank).convert("L").point(lambda v: 255 if v > 24 else 0)


def text_rows(mask: Image.Image) -> int:
    """How many separate horizontal bands of text the mask holds."""
    profile = mask.resize((1, mask.height), Image.BOX)  # a row's mean, > 0 if it has text
    bands, inside = 0, False
    for value in profile.tobytes():
        if value and not inside:
            bands += 1
        inside = bool(value)
    return bands


def luminance(im: Image.Image) -> Image.Image:
    return im.convert("L")


# --- the default cover --------------------------------------------------------------------


@pytest.mark.slow
def test_default_cover_file(tmp_path: Path):
    path = tmp_path / "cover.jpg"
    assert write_default_cover(path, SHORT) == path
    with Image.open(path) as im:
        assert (im.format, im.mode, im.size) == ("JPEG", "RGB", (S, S))
    assert path.stat().st_size < MAX_BYTES
    assert [p.name for p in tmp_path.iterdir()] == ["cover.jpg"]  # no temporary file left


@pytest.mark.slow
def test_default_cover_is_deterministic(tmp_path: Path):
    first = write_default_cover(tmp_path / "a.jpg", TWO_LINES).read_bytes()
    second = write_default_cover(tmp_path / "b.jpg", TWO_LINES).read_bytes()
    assert first == second
    assert draw_cover(SHORT).tobytes() == cover(SHORT).tobytes()


@pytest.mark.slow
def test_different_names_give_different_covers():
    assert cover(SHORT).tobytes() != cover(TWO_LINES).tobytes()


@pytest.mark.slow
def test_draw_cover_other_size():
    im = draw_cover(SHORT)
    small = draw_cover(SHORT, size=600)
    assert (im.mode, im.size, small.mode, small.size) == ("RGB", (S, S), "RGB", (600, 600))


@pytest.mark.slow
def test_title_is_bright_and_in_the_lower_part():
    mask = title_mask(SHORT)
    left, top, right, bottom = mask.getbbox()
    assert top > 0.6 * S and bottom < 0.88 * S  # under the artwork, above the caption
    assert right - left > 0.5 * S  # a short name is set large
    text = ImageStat.Stat(luminance(cover(SHORT)), mask)
    assert text.count[0] > 0.01 * S * S
    assert text.mean[0] > 200  # white type


@pytest.mark.slow
def test_short_name_is_one_line_and_long_names_two():
    assert text_rows(title_mask(SHORT)) == 1
    assert text_rows(title_mask(TWO_LINES)) == 2


@pytest.mark.slow
@pytest.mark.parametrize("show", LONG_NAMES)
def test_long_names_wrap_and_stay_inside_the_margins(show: str):
    mask = title_mask(show)
    left, top, right, bottom = mask.getbbox()
    margin = 0.05 * S
    assert margin < left and right < S - margin
    assert top > 0.6 * S and bottom < 0.88 * S
    assert right - left <= 0.81 * S  # fitted to 80 % of the width
    assert text_rows(mask) == 2


def test_blank_name_draws_artwork_and_caption_only():
    lower = luminance(cover("")).crop((0, round(0.635 * S), S, round(0.87 * S)))
    assert lower.getextrema()[1] < 120  # nothing bright where the title would be


@pytest.mark.slow
@pytest.mark.parametrize("size", [55, 100])
@pytest.mark.parametrize("show", [SHORT, TWO_LINES])
def test_title_stays_readable_as_a_thumbnail(show: str, size: int):
    """Downscaled, the title's strokes still stand out clearly from the sky behind them."""
    thumb = luminance(cover(show).resize((size, size), Image.LANCZOS))
    blank = luminance(cover("").resize((size, size), Image.LANCZOS))
    box = title_mask(show).getbbox()
    region = tuple(round(v * size / S) for v in box)
    text = sorted(thumb.crop(region).tobytes())
    background = ImageStat.Stat(blank.crop(region)).mean[0]
    brightest = text[int(len(text) * 0.95)]
    assert background < 60
    assert brightest - background > 120
    # WCAG-style contrast of the strokes against the sky (sRGB gamma roughly 2.2).
    ratio = ((brightest / 255) ** 2.2 + 0.05) / ((background / 255) ** 2.2 + 0.05)
    assert ratio > 7


# --- preparing a user's cover -------------------------------------------------------------


def art(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A smooth test picture (a gradient with a disc), in ``mode``."""
    base = Image.linear_gradient("L").resize(size)
    im = Image.merge("RGB", (base, base.transpose(Image.Transpose.ROTATE_90).resize(size), base))
    w, h = size
    ImageDraw.Draw(im).ellipse((w * 0.3, h * 0.3, w * 0.7, h * 0.7), fill=(200, 40, 90))
    return im.convert(mode)


def opened(path: Path) -> tuple[str | None, str, tuple[int, int]]:
    with Image.open(path) as im:
        return im.format, im.mode, im.size


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mode", "kind"),
    [("RGB", "JPEG"), ("CMYK", "JPEG"), ("L", "JPEG"), ("RGB", "PNG"), ("P", "PNG"), ("L", "PNG")],
)
def test_prepare_cover_converts_any_mode_to_rgb_jpeg(tmp_path: Path, mode: str, kind: str):
    source = tmp_path / f"art.{kind.lower()}"
    art((S, S), mode).save(source, kind)
    dest = tmp_path / "cover.jpg"
    assert prepare_cover(source, dest) == dest
    assert opened(dest) == ("JPEG", "RGB", (S, S))
    assert dest.stat().st_size < MAX_BYTES


@pytest.mark.slow
@pytest.mark.parametrize(("logo", "background"), [((20, 20, 20), 255), ((240, 240, 240), 0)])
def test_transparency_is_flattened_onto_a_contrasting_background(
    tmp_path: Path, logo: tuple[int, int, int], background: int
):
    """A dark logo on transparency goes onto white, a light one onto black."""
    im = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((400, 400, 1000, 1000), fill=(*logo, 255))
    source = tmp_path / "logo.png"
    im.save(source)
    dest = prepare_cover(source, tmp_path / "cover.jpg")
    assert opened(dest) == ("JPEG", "RGB", (S, S))
    with Image.open(dest) as out:
        corner = out.getpixel((10, 10))
        centre = out.getpixel((S // 2, S // 2))
    assert all(abs(c - background) < 8 for c in corner)
    assert all(abs(c - v) < 12 for c, v in zip(centre, logo, strict=True))


@pytest.mark.slow
def test_large_cover_is_scaled_down_to_3000(tmp_path: Path):
    source = tmp_path / "big.jpg"
    art((3500, 3500)).save(source, quality=90)
    dest = prepare_cover(source, tmp_path / "cover.jpg")
    assert opened(dest) == ("JPEG", "RGB", (3000, 3000))
    assert dest.stat().st_size < MAX_BYTES


@pytest.mark.slow
def test_nearly_square_cover_is_cropped_square(tmp_path: Path):
    source = tmp_path / "nearly.png"
    art((1410, 1400)).save(source)
    assert opened(prepare_cover(source, tmp_path / "cover.jpg")) == ("JPEG", "RGB", (S, S))


@pytest.mark.slow
def test_noisy_cover_is_kept_under_the_size_limit(tmp_path: Path):
    noise = Image.merge("RGB", [Image.effect_noise((S, S), 60) for _ in range(3)])
    source = tmp_path / "noise.png"
    noise.save(source, compress_level=1)
    dest = prepare_cover(source, tmp_path / "cover.jpg")
    assert opened(dest) == ("JPEG", "RGB", (S, S))
    assert dest.stat().st_size < MAX_BYTES


@pytest.mark.slow
def test_prepare_cover_replaces_an_existing_file(tmp_path: Path):
    source, dest = tmp_path / "art.png", tmp_path / "cover.jpg"
    art((S, S)).save(source)
    dest.write_bytes(b"old")
    prepare_cover(source, dest)
    assert opened(dest) == ("JPEG", "RGB", (S, S))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["art.png", "cover.jpg"]


def test_non_square_cover_is_refused(tmp_path: Path):
    source = tmp_path / "wide.jpg"
    art((1600, 900)).save(source)
    with pytest.raises(InputError) as caught:
        prepare_cover(source, tmp_path / "cover.jpg")
    assert str(caught.value) == (
        f"{source}: cover art must be square (got 1600×900): crop it to a square"
    )
    assert not (tmp_path / "cover.jpg").exists()


def test_small_cover_is_refused(tmp_path: Path):
    source = tmp_path / "small.png"
    art((1000, 1000)).save(source)
    with pytest.raises(InputError) as caught:
        prepare_cover(source, tmp_path / "cover.jpg")
    assert str(caught.value) == (
        f"{source}: cover art is too small (1000×1000): it must be at least 1400×1400 pixels"
    )


def test_text_file_is_not_an_image(tmp_path: Path):
    source = tmp_path / "cover.jpg"
    source.write_text("this is not a picture\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        prepare_cover(source, tmp_path / "out.jpg")
    assert str(caught.value) == f"{source}: not an image Pillow can read (use JPEG or PNG)"


def test_other_image_formats_are_refused(tmp_path: Path):
    source = tmp_path / "cover.gif"
    art((S, S)).convert("P").save(source)
    with pytest.raises(InputError) as caught:
        prepare_cover(source, tmp_path / "out.jpg")
    assert str(caught.value) == f"{source}: cover art must be JPEG or PNG (got GIF)"


def test_missing_cover_file(tmp_path: Path):
    source = tmp_path / "nowhere.png"
    with pytest.raises(InputError) as caught:
        prepare_cover(source, tmp_path / "out.jpg")
    assert str(caught.value) == f"{source}: cover art file not found"


# --- reading a cover for embedding -------------------------------------------------------


@pytest.mark.slow
def test_cover_bytes_jpeg_and_png(tmp_path: Path):
    jpeg = write_default_cover(tmp_path / "cover.jpg", SHORT)
    data, mime = cover_bytes(jpeg)
    assert (data, mime) == (jpeg.read_bytes(), "image/jpeg")
    png = tmp_path / "cover.png"
    art((S, S)).save(png)
    assert cover_bytes(png) == (png.read_bytes(), "image/png")


def test_cover_bytes_errors(tmp_path: Path):
    missing = tmp_path / "missing.jpg"
    with pytest.raises(InputError) as caught:
        cover_bytes(missing)
    assert str(caught.value) == f"{missing}: cover art file not found"
    text = tmp_path / "notes.jpg"
    text.write_text("hello\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        cover_bytes(text)
    assert str(caught.value) == f"{text}: not a JPEG or PNG image (use JPEG or PNG)"


@pytest.mark.slow
def test_the_drawn_cover_of_an_unpublished_episode_is_kept_in_the_cache(tmp_path: Path):
    from spacecast.publish.cover import default_cover
    from spacecast.publish.show import cover_art

    folder, cache = tmp_path / "elsewhere", tmp_path / "cache"
    folder.mkdir()
    drawn = default_cover("Morning Desk")
    assert cover_art(folder, "Morning Desk", None, cache) == (drawn, "image/jpeg")
    (kept,) = (cache / "covers").iterdir()
    assert list(folder.iterdir()) == []  # nothing is written beside the episode
    # A damaged copy is drawn again, never embedded.
    damaged = bytearray(kept.read_bytes())
    damaged[-10] ^= 0xFF
    kept.write_bytes(bytes(damaged))
    assert cover_art(folder, "Morning Desk", None, cache) == (drawn, "image/jpeg")
    assert kept.read_bytes().endswith(drawn)
