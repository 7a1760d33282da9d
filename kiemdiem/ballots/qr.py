"""QR codes of the voter's page as inline SVG (no image library, no asset from outside:
design principle 9). qrcode's path factory draws one <path>, which stays crisp when a
projector scales it."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str) -> SafeString:
    """An <svg> element encoding `text`; it scales to its box (width and height dropped)."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    start = svg.index("<svg")
    head_end = svg.index(">", start)
    head = svg[start:head_end]
    for attr in ("width", "height"):
        head = _drop_attr(head, attr)
    label = ' role="img" aria-label="Mã QR trang bỏ phiếu" class="qr"'
    # qrcode writes only its own markup around `text`, which it encodes as modules: safe.
    return mark_safe(head + label + svg[head_end:])


def _drop_attr(tag: str, name: str) -> str:
    marker = f' {name}="'
    at = tag.find(marker)
    if at < 0:
        return tag
    end = tag.index('"', at + len(marker))
    return tag[:at] + tag[end + 1 :]
