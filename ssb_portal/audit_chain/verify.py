"""Check the audit chain: every link, every key, and every head ever published.

A published head is a promise made outside the database: "entry N had hash H". If entry N is
gone, or its hash is now different, the chain was rolled back or rewritten, however well the
remaining links agree with each other. Heads someone kept outside (a CSV or JSON copy of the
public list) are checked the same way.
"""

import csv
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from ssb_portal.audit_chain.chain import GENESIS_HASH, entry_hash_of
from ssb_portal.audit_chain.keys import known_keys
from ssb_portal.audit_chain.models import AuditChainHead, AuditEntry, PublishedHead


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


@dataclass(frozen=True)
class KnownHead:
    """A head someone saw: entry `sequence` had hash `entry_hash` (`source` says where)."""

    sequence: int
    entry_hash: str
    source: str


class HeadsFileError(ValueError):
    """A file of heads that cannot be read; the message names the row."""


def read_heads_file(path: str | Path) -> list[KnownHead]:
    """Heads from a CSV (columns sequence and hash or entry_hash) or a JSON copy of the public
    list (a list of objects, or the API's page with `results`)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith(("[", "{")):
        rows = json.loads(text)
        if isinstance(rows, dict):
            rows = rows.get("results", [])
    else:
        rows = list(csv.DictReader(text.splitlines()))
    heads = []
    for number, row in enumerate(rows, start=1):
        try:
            sequence = int(row["sequence"])
            entry_hash = str(row.get("entry_hash") or row["hash"]).strip().lower()
        except (KeyError, TypeError, ValueError) as error:
            raise HeadsFileError(
                f"{path.name}, row {number}: needs a whole-number sequence and a hash"
            ) from error
        heads.append(KnownHead(sequence, entry_hash, f"{path.name}, row {number}"))
    return heads


def published_heads() -> list[KnownHead]:
    return [
        KnownHead(sequence, entry_hash, f"published head #{pk}")
        for pk, sequence, entry_hash in PublishedHead.objects.values_list(
            "pk", "sequence", "entry_hash"
        )
    ]


def audit_chain_verify(
    *, extra_heads: Iterable[KnownHead] = (), batch_size: int = 2000
) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return how many entries were checked and the first break."""
    promised: dict[int, list[KnownHead]] = defaultdict(list)
    for head in [*published_heads(), *extra_heads]:
        promised[head.sequence].append(head)
    for head in promised.get(0, []):
        if head.entry_hash != GENESIS_HASH:
            return 0, ChainBreak(
                0, _("%(source)s names an empty chain with another hash") % {"source": head.source}
            )
    keys = known_keys()
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    keyed_seen = False
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=batch_size):
        problem = None
        if entry.sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence,
                _("entry %(expected)s is missing (next is %(next)s)")
                % {"expected": expected_sequence, "next": entry.sequence},
            )
        if entry.previous_hash != previous_hash:
            problem = _("its previous hash does not match the entry before it")
        elif entry.key_id and entry.key_id not in keys:
            problem = _("it is signed by key %(key)s, which is not configured") % {
                "key": entry.key_id
            }
        elif not entry.key_id and keyed_seen:
            problem = _("it has no key although entries before it were keyed (a forgery)")
        elif entry_hash_of(entry, keys.get(entry.key_id)) != entry.entry_hash:
            problem = _("its content does not match its hash")
        else:
            for head in promised.get(entry.sequence, []):
                if head.entry_hash != entry.entry_hash:
                    problem = _("its hash differs from %(source)s (the chain was rewritten)") % {
                        "source": head.source
                    }
                    break
        if problem:
            return checked, ChainBreak(entry.sequence, problem)
        keyed_seen = keyed_seen or bool(entry.key_id)
        previous_hash = entry.entry_hash
        expected_sequence += 1
        checked += 1
    beyond = [head for sequence, heads in promised.items() if sequence > checked for head in heads]
    if beyond:
        head = min(beyond, key=lambda head: head.sequence)
        return checked, ChainBreak(
            checked + 1,
            _(
                "the chain ends at %(end)s but %(source)s showed entry %(sequence)s "
                "(the chain was rolled back)"
            )
            % {"end": checked, "source": head.source, "sequence": head.sequence},
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_sequence != checked or head.last_hash != previous_hash):
        return checked, ChainBreak(
            checked + 1,
            _("the chain ends at %(end)s but %(written)s entries were written")
            % {"end": checked, "written": head.last_sequence},
        )
    return checked, None
