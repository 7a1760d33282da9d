"""Sealed ballots (issue 12 §3): secret even from whoever runs the database.

At the start of voting a key pair is made for the ballot (libsodium through PyNaCl). The
private key is encrypted (AES-128-GCM, PyCryptodome) under a fresh 16-byte key, and that
16-byte key is split k-of-n with Shamir (PyCryptodome) among the ban kiểm phiếu: each
member is shown their share once, as a short base32 code, and it is never stored. The
database holds the public key and the wrapped private key only; each cast ballot is
stored as `SealedBox(public_key).encrypt(...)`. Opening the box needs k shares.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from Crypto.Cipher import AES
from Crypto.Protocol.SecretSharing import Shamir
from Crypto.Random import get_random_bytes
from django.core.exceptions import ValidationError
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

DEFAULT_HOLDER = "Chủ trì hội nghị"  # when no ban kiểm phiếu was recorded: one share


def threshold(n: int) -> int:
    """k of n: a majority of the ban kiểm phiếu, at least 2 when there are 2 or more, so
    no single member opens the box alone."""
    return 1 if n < 2 else n // 2 + 1


def share_code(index: int, share: bytes) -> str:
    """A share as it is copied by hand: its index and 16 bytes in base32 (A–Z, 2–7),
    28 characters in groups of four."""
    text = base64.b32encode(bytes([index]) + share).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_share(code: str) -> tuple[int, bytes]:
    text = "".join(ch for ch in code if not ch.isspace() and ch != "-").upper()
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        raw = b""
    if len(raw) != 17 or raw[0] == 0:
        raise ValidationError(
            f"Mã khóa “{code.strip()[:12]}…” không đọc được: mỗi mã gồm 28 ký tự A–Z, 2–7."
        )
    return raw[0], raw[1:]


@dataclass(frozen=True)
class Keys:
    public: str  # hex, stored on the ballot
    wrapped: str  # base64 nonce|tag|AES-GCM(private key), stored on the ballot
    k: int
    shares: list[tuple[str, str]]  # (holder, code): shown once, never stored


def make_keys(holders: list[str]) -> Keys:
    holders = holders or [DEFAULT_HOLDER]
    private = PrivateKey.generate()
    wrap = get_random_bytes(16)
    cipher = AES.new(wrap, AES.MODE_GCM)
    body, tag = cipher.encrypt_and_digest(bytes(private))
    k = threshold(len(holders))
    split = Shamir.split(k, len(holders), wrap, ssss=False)
    return Keys(
        public=bytes(private.public_key).hex(),
        wrapped=base64.b64encode(bytes(cipher.nonce) + tag + body).decode("ascii"),
        k=k,
        shares=[(name, share_code(i, s)) for name, (i, s) in zip(holders, split, strict=True)],
    )


def open_key(wrapped: str, k: int, codes: list[str]) -> PrivateKey:
    """The private key from k (or more) shares, in memory only. Too few or wrong shares:
    a Vietnamese message, nothing opened."""
    parsed = dict(parse_share(c) for c in codes if c.strip())
    if len(parsed) < k:
        raise ValidationError(
            f"Cần mã khóa của ít nhất {k} thành viên ban kiểm phiếu (khác nhau); "
            f"mới nhập {len(parsed)}."
        )
    wrap = Shamir.combine(list(parsed.items()), ssss=False)
    raw = base64.b64decode(wrapped)
    try:
        plain = AES.new(wrap, AES.MODE_GCM, nonce=raw[:16]).decrypt_and_verify(raw[32:], raw[16:32])
    except ValueError:
        raise ValidationError(
            "Các mã khóa đã nhập không mở được hòm phiếu: có mã sai hoặc gõ nhầm. "
            "Kiểm tra lại từng mã với người giữ; chưa có gì thay đổi."
        ) from None
    return PrivateKey(plain)


def seal(public: str, marks: dict[str, str]) -> str:
    box = SealedBox(PublicKey(bytes.fromhex(public)))
    data = json.dumps(marks, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(box.encrypt(data)).decode("ascii")


def unseal(private: PrivateKey, sealed: str) -> dict[str, str]:
    try:
        data = SealedBox(private).decrypt(base64.b64decode(sealed))
    except CryptoError:
        raise ValidationError("Có phiếu trong hòm không mở được: hòm phiếu đã bị sửa.") from None
    marks: dict[str, str] = json.loads(data)
    return marks
