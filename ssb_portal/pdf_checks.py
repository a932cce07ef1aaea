"""What a PDF upload must not be: encrypted, carrying JavaScript, or unreadable.

Officials open the evidence people upload. A PDF can run JavaScript when opened (an
OpenAction, a document-level script in the names tree, an action on a page or a link), and an
encrypted one cannot be checked or archived; both are refused, and so is a file that says it
is a PDF but cannot be read as one. The check reads the document's object tree with pypdf
(never its page contents), so it is quick even for a large file.
"""

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

#: Keys that carry a script, wherever they are in the object tree.
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript"})
#: A PDF with more objects than this is refused rather than walked for ever.
MAX_OBJECTS = 200_000


def _has_script(root: Any) -> bool:
    """Whether any dictionary reachable from `root` holds a script or a JavaScript action."""
    seen: set[tuple[int, int]] = set()
    pending = [root]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            if _SCRIPT_KEYS.intersection(item.keys()) or item.get("/S") == "/JavaScript":
                return True
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def check_pdf(stream: IO[bytes], *, name: str) -> None:
    """Refuse (ValidationError on "file") an encrypted PDF, one with JavaScript, and one that
    cannot be read; the stream is left at its start."""
    try:
        try:
            reader = PdfReader(stream, strict=False)
            encrypted = reader.is_encrypted
            scripted = not encrypted and _has_script(reader.trailer)
        except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on a bad file
            raise ValidationError(
                {"file": _("“%(name)s” cannot be read as a PDF.") % {"name": name}}
            ) from error
    finally:
        stream.seek(0)
    if encrypted:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is encrypted (protected by a password). Upload it without "
                    "the protection."
                )
                % {"name": name}
            }
        )
    if scripted:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” contains JavaScript, which is not accepted. Print it to a new "
                    "PDF and upload that."
                )
                % {"name": name}
            }
        )
