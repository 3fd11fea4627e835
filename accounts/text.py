"""Text people type that others see in lists: names and titles."""

import re

# Embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069). Unclosed,
# one in a name or title reverses the text around it wherever the name is shown, in
# lists and email subjects alike; right-to-left names and titles need none of them
# (the marks U+200E and U+200F stay).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def single_line(text: str) -> str:
    """A name or title as it is kept: whitespace runs as one space, no direction
    controls."""
    return " ".join(_BIDI_CONTROLS.sub("", text).split())
