"""What a restore must keep, computed the same way before and after it (issue 20; `manage.py
restore_drill`): the audit chain's verification, the LCR figures to the fen and the SHA-256 of
every stored file. In the directory app, as the LCR is the directory's."""

import hashlib
import json
from typing import Any

from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder

from directory.lcr.selectors import lcr_by_buyer_and_year, lcr_by_year
from ssb_portal.audit_chain.verify import audit_chain_verify
from ssb_portal.backup import STORE_ALIASES, stored_names
from ssb_portal.stored_files import vanished_files


def drill_figures() -> dict[str, Any]:
    """What a restore must keep, as JSON-ready values (amounts as exact decimal strings)."""
    checked, broken = audit_chain_verify(extra_heads=[])
    files = {}
    for alias in STORE_ALIASES:
        storage = storages[alias]
        for name in stored_names(storage):
            with storage.open(name, "rb") as handle:
                files[f"{alias}/{name}"] = hashlib.sha256(handle.read()).hexdigest()
    figures = {
        "audit": {"checked": checked, "broken": None if broken is None else broken.sequence},
        "lcr_by_buyer_and_year": lcr_by_buyer_and_year(),
        "lcr_by_year": lcr_by_year(),
        "files": files,
        "vanished_files": [f"{v.model} id={v.pk} {v.field}={v.name}" for v in vanished_files()],
    }
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))
