"""Citizens' photos: checked from their content and re-encoded as plain JPEG with no metadata."""

from __future__ import annotations

import io
from typing import BinaryIO

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from lamtheo.core.errors import DomainError

# Only these plugins may parse an upload: Image.open otherwise tries every format Pillow knows, some of which
# (EPS through Ghostscript, for one) hand the file to outside programs. A phone's JPEG that carries a second
# picture (depth map, preview) comes out of the JPEG plugin as format "MPO"; its first frame is the photo.
_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
_QUALITY = 85


class PhotoRefused(DomainError):
    """The upload is not a photo we accept: another type, damaged, or too large."""


def _one_decimal(value: float) -> str:
    """`value` with at most one decimal: 10, 2.5."""
    return f"{value:.1f}".removesuffix(".0")


def _not_a_photo(name: str) -> PhotoRefused:
    return PhotoRefused(
        _("“%(name)s” is not a photo (JPEG, PNG, WebP or GIF are accepted).") % {"name": name}
    )


def _too_many_pixels(name: str, max_pixels: int) -> PhotoRefused:
    return PhotoRefused(
        _("“%(name)s” has too many pixels: at most %(limit)s megapixels are accepted.")
        % {"name": name, "limit": _one_decimal(max_pixels / 1_000_000)}
    )


def _whole_jpeg(data: bytes) -> None:
    """Raise unless the JPEG runs to its end-of-image marker. Image.load() cannot tell: a library that sets
    Pillow's process-wide LOAD_TRUNCATED_IMAGES (WeasyPrint does, on import) makes it fill a cut file with
    grey. The walk follows the segments by their lengths (an embedded thumbnail's markers are skipped) and
    the scan data up to the next real marker (FF00 is a stuffed byte, FFD0–FFD7 restart markers)."""
    at, end = 2, len(data)
    while at + 2 <= end:
        if data[at] != 0xFF:
            raise ValueError("not a marker")
        marker = data[at + 1]
        if marker == 0xD9:
            return
        if marker == 0xFF or 0xD0 <= marker <= 0xD7:
            at += 1 if marker == 0xFF else 2
            continue
        if at + 4 > end:
            break
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        if marker == 0xDA:  # start of scan: the entropy-coded data runs to the next marker
            while at + 1 < end and not (data[at] == 0xFF and data[at + 1] not in (0x00, *range(0xD0, 0xD8))):
                at += 1
    raise ValueError("the JPEG ends before its end-of-image marker")


def _decode(data: bytes, *, name: str, max_pixels: int, max_side: int) -> Image.Image:
    """The first frame of the picture in `data`, decoded and turned upright; refused unless a photo."""
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as probe:
            # The header gives the size before any pixel is decoded: refuse a decompression bomb here.
            if probe.width * probe.height > max_pixels:
                raise _too_many_pixels(name, max_pixels)
            probe.verify()
            if probe.format in ("JPEG", "MPO"):
                _whole_jpeg(data)
        image = Image.open(io.BytesIO(data), formats=_FORMATS)  # verify() leaves the image unusable
        image.draft(None, (max_side, max_side))  # a JPEG decodes at 1/2, 1/4 or 1/8 scale: less memory
        image.load()  # decode now, so a truncated file fails here (verify() does not check JPEG data)
        return ImageOps.exif_transpose(image)
    except PhotoRefused:
        raise
    # Pillow's own cap, raised by Image.open at twice Image.MAX_IMAGE_PIXELS (179 Mpx). Its warning (from
    # 89 Mpx) is not turned into an error with warnings.catch_warnings, which swaps process-wide filters
    # under gunicorn's threads: the 40 Mpx default cap above refuses those files anyway.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(name, max_pixels) from exc
    # A damaged file can make a decoder raise nearly anything (OSError, SyntaxError, struct.error…);
    # Django's ImageField catches Exception for the same reason.
    except Exception as exc:
        raise _not_a_photo(name) from exc


def process_photo(
    file: BinaryIO, *, name: str, max_bytes: int, max_pixels: int = 40_000_000, max_side: int = 2048
) -> bytes:
    """The photo in `file` as JPEG bytes: upright, at most `max_side` pixels long, without any metadata."""
    data = file.read(max_bytes + 1)  # one byte past the limit is enough to refuse: a huge upload is not read
    if len(data) > max_bytes:
        raise PhotoRefused(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": name, "limit": _one_decimal(max_bytes / (1024 * 1024))}
        )
    image = _decode(data, name=name, max_pixels=max_pixels, max_side=max_side)
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):
        # 16-bit greyscale PNG: convert() would clip every value above 255 to white.
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if transparent else "RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)  # only ever shrinks, keeps the ratio
    # A new image carries no info at all: the JPEG writer would otherwise copy the source's comment.
    clean = Image.new("RGB", image.size, "white")
    clean.paste(image, mask=image.getchannel("A") if transparent else None)  # transparency on white
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=_QUALITY, optimize=True)
    return out.getvalue()
