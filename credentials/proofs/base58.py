"""Multibase base58btc (the "z…" form of keys and signatures). Written here because
py-multibase drops leading zero bytes (b"\\x00…" encodes as if they were not there),
which spoiled one Ed25519 signature in 256: base58 writes each leading zero byte as
a "1", and reads it back so."""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# Keys and signatures are under 100 characters; reading a number from base58 takes
# time quadratic in its length, so longer text is refused unread.
MAX_LENGTH = 200


def encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, digit = divmod(number, 58)
        digits.append(ALPHABET[digit])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "z" + "1" * zeros + "".join(reversed(digits))


def decode(text: str) -> bytes:
    """The bytes of a multibase base58btc text; ValueError if it is not one."""
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("not multibase base58btc")
    body = text[1:]
    if len(body) > MAX_LENGTH:
        raise ValueError("too long for a key or a signature")
    number = 0
    for character in body:
        digit = ALPHABET.find(character)
        if digit < 0:
            raise ValueError(f"{character!r} is not a base58 digit")
        number = number * 58 + digit
    zeros = len(body) - len(body.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")
