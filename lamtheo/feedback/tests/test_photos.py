"""Citizens' photos: the type is read from the content, and what is kept is a plain JPEG with no metadata."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator

import pytest
from django.utils import translation
from PIL import Image, ImageCms

from lamtheo.feedback.photos import PhotoRefused, process_photo

MB = 1024 * 1024
RED, BLUE = (220, 20, 20), (20, 20, 220)
GPS_IFD, ORIENTATION = 0x8825, 0x0112


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # The messages are checked in their English source words, whatever the translations say.
    with translation.override("en"):
        yield


def encode(image: Image.Image, fmt: str, **params) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def process(data: bytes, name: str = "photo.jpg", **limits) -> Image.Image:  # type: ignore[no-untyped-def]
    """process_photo on `data` with a generous byte limit; the result opened, checked to be a JPEG."""
    result = process_photo(io.BytesIO(data), name=name, **{"max_bytes": 20 * MB, **limits})
    image = Image.open(io.BytesIO(result))
    assert image.format == "JPEG" and image.mode == "RGB"
    return image


def refusal(data: bytes, name: str = "photo.jpg", **limits) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(PhotoRefused) as caught:
        process_photo(io.BytesIO(data), name=name, **{"max_bytes": 20 * MB, **limits})
    return caught.value.message


def camera_jpeg() -> bytes:
    """A 40x20 photo, red left and blue right, with GPS, orientation 6, a comment, an ICC profile and XMP."""
    image = Image.new("RGB", (40, 20), BLUE)
    image.paste(RED, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # shown turned 90° clockwise
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (21.0, 1.0, 42.5), 3: "E", 4: (105.0, 51.0, 7.25)}
    return encode(
        image,
        "JPEG",
        exif=exif,
        comment=b"home of the reporter",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">reporter location</x:xmpmeta>',
    )


def png_claiming(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header claims `width` x `height`: what a decompression bomb's header looks like."""
    data = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    ihdr = 8 + 4  # after the signature and the chunk length
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(data[ihdr : ihdr + 17]))
    return bytes(data)


def test_camera_metadata_is_gone_and_the_orientation_applied():  # type: ignore[no-untyped-def]
    source = camera_jpeg()
    before = Image.open(io.BytesIO(source))
    assert before.getexif().get_ifd(GPS_IFD)[1] == "N" and b"home of the reporter" in source  # the fixture

    result = process_photo(io.BytesIO(source), name="IMG_0001.jpg", max_bytes=MB)
    image = Image.open(io.BytesIO(result))

    assert image.format == "JPEG" and image.size == (20, 40)
    assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "icc_profile", "xmp", "comment"} & set(image.info)
    for marker in (b"Exif", b"ICC_PROFILE", b"xmpmeta", b"reporter", b"PhoneMaker"):
        assert marker not in result
    # Turned clockwise: the red left half is now on top.
    top, bottom = image.convert("RGB").getpixel((10, 5)), image.convert("RGB").getpixel((10, 35))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]


def test_transparency_is_flattened_on_white():  # type: ignore[no-untyped-def]
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    image.paste((*BLUE, 255), (10, 0, 20, 20))
    result = process(encode(image, "PNG"), name="drawing.png")
    assert min(result.getpixel((2, 10))) > 240  # transparent black became white, not black
    assert result.getpixel((17, 10))[2] > 150


@pytest.mark.parametrize(
    "fmt,params",
    [
        ("WEBP", {}),
        ("GIF", {"transparency": 0}),
        (
            "MPO",
            {"save_all": True, "append_images": [Image.new("RGB", (30, 30))]},
        ),  # a phone's JPEG + depth map
    ],
)
def test_webp_gif_and_phone_mpo_become_jpeg(fmt, params):  # type: ignore[no-untyped-def]
    source = Image.new("RGB", (30, 30), RED)
    if fmt == "GIF":
        source = source.convert("P")
    assert process(encode(source, fmt, **params)).size == (30, 30)


def test_sixteen_bit_greyscale_is_not_turned_white():  # type: ignore[no-untyped-def]
    result = process(encode(Image.new("I;16", (10, 10), 30000), "PNG"), name="scan.png")
    assert 100 < result.getpixel((5, 5))[0] < 135  # 30000 / 256 ≈ 117


def test_the_type_comes_from_the_content_not_the_name():  # type: ignore[no-untyped-def]
    assert process(encode(Image.new("RGB", (10, 10), RED), "PNG"), name="report.pdf").size == (10, 10)


def test_a_text_file_named_like_a_photo_is_refused():  # type: ignore[no-untyped-def]
    message = refusal(b"Dear committee, the street light is broken.\n" * 20, name="photo.jpg")
    assert message == "“photo.jpg” is not a photo (JPEG, PNG, WebP or GIF are accepted)."


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"",
        encode(Image.new("RGB", (10, 10)), "BMP"),  # images Pillow opens, but not photos we take
        encode(Image.new("RGB", (10, 10)), "TIFF"),
    ],
    ids=["pdf", "empty", "bmp", "tiff"],
)
def test_other_files_are_refused(data):  # type: ignore[no-untyped-def]
    assert "is not a photo" in refusal(data, name="upload.jpg")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_a_truncated_jpeg_is_refused(keep):  # type: ignore[no-untyped-def]
    full = encode(Image.effect_noise((200, 200), 80).convert("RGB"), "JPEG")  # noise: the data is long
    assert "is not a photo" in refusal(full[: int(len(full) * keep)])


def test_a_file_over_the_byte_limit_is_refused_without_reading_it_all():  # type: ignore[no-untyped-def]
    limit = int(2.5 * MB)
    stream = io.BytesIO(b"\xff" * (limit + 10))
    with pytest.raises(PhotoRefused) as caught:
        process_photo(stream, name="huge.jpg", max_bytes=limit)
    assert caught.value.message == "“huge.jpg” is larger than 2.5 MB."
    assert stream.tell() <= limit + 1


def test_the_byte_limit_itself_is_allowed():  # type: ignore[no-untyped-def]
    data = encode(Image.new("RGB", (10, 10), RED), "JPEG")
    assert process_photo(io.BytesIO(data), name="a.jpg", max_bytes=len(data))
    with pytest.raises(PhotoRefused, match="larger than 0 MB"):  # a limit under 0.05 MB shows as 0
        process_photo(io.BytesIO(data), name="a.jpg", max_bytes=len(data) - 1)


def test_too_many_pixels_is_refused_before_decoding():  # type: ignore[no-untyped-def]
    data = encode(Image.new("L", (1500, 1000), 128), "PNG")  # one colour: a few kB
    message = refusal(data, name="wide.png", max_pixels=1_000_000)
    assert message == "“wide.png” has too many pixels: at most 1 megapixels are accepted."


@pytest.mark.parametrize("side", [8_000, 100_000])  # under and over Pillow's own bomb cap (179 Mpx)
def test_a_decompression_bomb_is_refused(side):  # type: ignore[no-untyped-def]
    assert "has too many pixels" in refusal(png_claiming(side, side), name="bomb.png")


@pytest.mark.parametrize(
    "size,expected",
    [
        ((4000, 3000), (2048, 1536)),
        ((3000, 4000), (1536, 2048)),
        ((5000, 4200), (2048, 1720)),  # decoded at half scale first (JPEG draft), then resized
        ((800, 600), (800, 600)),  # never enlarged
    ],
)
def test_the_longer_side_is_brought_down_to_max_side(size, expected):  # type: ignore[no-untyped-def]
    assert process(encode(Image.new("RGB", size, RED), "JPEG")).size == expected


def test_a_truncated_jpeg_is_refused_even_when_a_library_allowed_truncated_images(monkeypatch):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES on import; the check must not depend on it."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = encode(Image.effect_noise((200, 200), 80).convert("RGB"), "JPEG")
    for keep in (0.1, 0.5, 0.9):
        assert "is not a photo" in refusal(whole[: int(len(whole) * keep)])
    assert process_photo(io.BytesIO(whole), name="whole.jpg", max_bytes=10_000_000)
