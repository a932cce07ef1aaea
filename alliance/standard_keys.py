"""A standard's identity as text: the key that tells whether two spellings name one standard.

Pure: no Django, no database. The alliance stores it on every Standard (`Standard.key`) and
the support programmes compare standards-reward claims by it.
"""

import re

_KEY_NOISE = re.compile(r"[^0-9A-Z]+")


def standard_key(body: str, number: str) -> str:
    """A standard's identity: body and number upper-cased with punctuation and spaces gone.

    "ISO 12405-4" and "iso12405 4" are one standard. The number alone is kept when it
    already begins with the body ("IEC 62660" entered as body IEC, number "IEC 62660").
    """
    body_key = _KEY_NOISE.sub("", body.upper())
    number_key = _KEY_NOISE.sub("", number.upper())
    if body_key and number_key.startswith(body_key):
        return number_key
    return body_key + number_key


def standard_designation(body: str, number: str) -> str:
    """The standard as people cite it: "IEC 62660-4", whether the number was entered as
    "62660-4" or, already with its body, as "IEC 62660-4"."""
    body, number = body.strip(), number.strip()
    if not body or _KEY_NOISE.sub("", number.upper()).startswith(_KEY_NOISE.sub("", body.upper())):
        return number
    return f"{body} {number}"
