"""Check the audit chain: every link, every key, and every head ever published.

A published head is a promise made outside the database: "entry N had hash H". If entry N is
gone, or its hash is now different, the chain was rolled back or rewritten, however well the
remaining links agree with each other. Heads someone kept outside (a CSV or JSON copy of the
public list) are checked the same way.
"""

import csv
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import c_make_encoder
from json.encoder import encode_basestring as _text
from json.scanner import make_scanner
from pathlib import Path

from django.db import connection
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


# The columns the walk reads, in the order `canonical_content` takes them, then the links.
_COLUMNS = (
    "sequence",
    "created_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "data",
    "key_id",
    "previous_hash",
    "entry_hash",
)


def _rows(batch_size: int) -> Iterator[tuple]:
    """Every entry as the database returns it (no per-row model instance or field converter),
    in sequence order, one chunk at a time. Keyset pagination (sequence > the last one seen)
    reads each chunk from the unique index, never by OFFSET, and holds no cursor open between
    chunks."""
    meta = AuditEntry._meta
    quote = connection.ops.quote_name
    columns = [quote(meta.get_field(name).column) for name in _COLUMNS]
    # The time as UTC text: the drivers' converters would parse every one in Python.
    if connection.vendor == "sqlite":
        columns[1] = f"CAST({columns[1]} AS TEXT)"
    elif connection.vendor == "postgresql":
        columns[1] = f"""to_char({columns[1]} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')"""
    columns = ", ".join(columns)
    sequence = quote(meta.get_field("sequence").column)
    sql = (
        f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {sequence} > %s "
        f"ORDER BY {sequence} LIMIT %s"
    )
    after = -1
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [after, batch_size])
            chunk = cursor.fetchall()
            yield from chunk
            if len(chunk) < batch_size:
                return
            after = chunk[-1][0]


# The C scanner and encoder of the json module, made once: `json.loads` and `json.dumps`
# (or `JSONEncoder.encode`) set them up again on every call. The encoder has the canonical
# options (sorted keys, no ASCII escaping, compact separators); `tests` pin it to `chain`'s.
_scan_json = make_scanner(json.JSONDecoder())
_encode_json = c_make_encoder(None, None, _text, None, ":", ",", True, False, True)


def _canonical_data(data) -> str:
    if isinstance(data, str):
        value, end = _scan_json(data, 0)
        data = value if end == len(data) else json.loads(data)
    return "".join(_encode_json(data, 0))


def _fast_content(row: tuple) -> str:
    """`canonical_content` of a raw row, written out key by key in the sorted order its JSON
    has. The time comes as UTC text ("YYYY-MM-DD HH:MM:SS[.ffffff]" from SQLite,
    always six digits of microseconds from PostgreSQL), the data as JSON text. Any row this reads
    differently from the ORM only fails to match, and is then checked the ORM's way."""
    sequence, created_at, actor_id, actor_name, action, object_type, object_id, data, key_id = row[
        :9
    ]
    if isinstance(created_at, str):
        created_at = created_at.replace(" ", "T", 1).removesuffix(".000000") + "+00:00"
    elif created_at.tzinfo is None:
        created_at = created_at.isoformat() + "+00:00"
    else:
        created_at = created_at.isoformat()
    return (
        f'{{"action":{_text(action)},"actor_id":{"null" if actor_id is None else int(actor_id)}'
        f',"actor_name":{_text(actor_name)},"created_at":"{created_at}"'
        f',"data":{_canonical_data(data)}'
        + (f',"key_id":{_text(key_id)}' if key_id else "")
        + f',"object_id":{_text(object_id)},"object_type":{_text(object_type)}'
        f',"sequence":{int(sequence)}}}'
    )


def _orm_digest(sequence: int, secret: bytes | None) -> str:
    """The hash as `entry_hash_of` computes it from the entry read through the ORM: the
    reference the fast path falls back to wherever the two disagree."""
    return entry_hash_of(AuditEntry.objects.get(sequence=sequence), secret)


class _Hmac:
    """HMAC-SHA256 by one key (RFC 2104), its inner and outer states made once and copied
    per message: the same digest as `hmac.new(key, message, sha256)`, without the Python-level
    wrapper calls per entry."""

    def __init__(self, key: bytes):
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def hexdigest(self, message: bytes) -> str:
        inner = self.inner.copy()
        inner.update(message)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def _digest(mac: _Hmac | None, previous_hash: str, content: str) -> str:
    """`entry_hash`: keyed by the key's HMAC, plain SHA-256 for unkeyed entries."""
    message = f"{previous_hash}\n{content}".encode()
    if mac is None:
        return hashlib.sha256(message).hexdigest()
    return mac.hexdigest(message)


def audit_chain_verify(
    *, extra_heads: Iterable[KnownHead] = (), batch_size: int = 5000
) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return how many entries were checked and the first break.

    Every entry is checked as `entry_hash_of` would, without a model instance per row: the
    canonical text is built from the row's values, and each key's HMAC state is made once and
    copied per entry (the same digest as `hmac.new(key, message, sha256)`)."""
    promised: dict[int, list[KnownHead]] = defaultdict(list)
    for head in [*published_heads(), *extra_heads]:
        promised[head.sequence].append(head)
    for head in promised.get(0, []):
        if head.entry_hash != GENESIS_HASH:
            return 0, ChainBreak(
                0, _("%(source)s names an empty chain with another hash") % {"source": head.source}
            )
    keys = known_keys()
    macs = {key_id: _Hmac(secret) for key_id, secret in keys.items()}
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    keyed_seen = False
    for row in _rows(batch_size):
        sequence = row[0]
        key_id, stored_previous, stored_hash = row[8], row[9], row[10]
        problem = None
        if sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence,
                _("entry %(expected)s is missing (next is %(next)s)")
                % {"expected": expected_sequence, "next": sequence},
            )
        if stored_previous != previous_hash:
            problem = _("its previous hash does not match the entry before it")
        elif key_id and key_id not in macs:
            problem = _("it is signed by key %(key)s, which is not configured") % {"key": key_id}
        elif not key_id and keyed_seen:
            problem = _("it has no key although entries before it were keyed (a forgery)")
        else:
            mac = macs.get(key_id)
            digest = _digest(mac, stored_previous, _fast_content(row))
            if digest != stored_hash:
                # Read differently from the ORM (a time zone, a text form)? Check it as
                # `entry_hash_of` does before calling it a break.
                digest = _orm_digest(sequence, keys.get(key_id))
            if digest != stored_hash:
                problem = _("its content does not match its hash")
            elif sequence in promised:
                for head in promised[sequence]:
                    if head.entry_hash != stored_hash:
                        problem = _(
                            "its hash differs from %(source)s (the chain was rewritten)"
                        ) % {"source": head.source}
                        break
        if problem:
            return checked, ChainBreak(sequence, problem)
        keyed_seen = keyed_seen or bool(key_id)
        previous_hash = stored_hash
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
