"""The secrets that key the audit chain: the current one signs new entries, old ones (after a
rotation) still verify the entries they signed. Secrets come from settings (the environment),
never from the database; an entry names its secret only by a short id derived from it."""

import hashlib
import hmac

from django.conf import settings


def key_id_of(secret: str) -> str:
    """A short public name for a secret: telling which key signed an entry, revealing nothing."""
    return hashlib.sha256(b"ssb-audit-chain-key-id\n" + secret.encode()).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    """The id and secret that sign new entries."""
    secret = settings.AUDIT_CHAIN_KEY
    return key_id_of(secret), secret.encode()


def known_keys() -> dict[str, bytes]:
    """Every secret that may have signed an entry, by id: the current one and the old ones."""
    secrets = [*getattr(settings, "AUDIT_CHAIN_OLD_KEYS", []), settings.AUDIT_CHAIN_KEY]
    return {key_id_of(secret): secret.encode() for secret in secrets if secret}


def keyed_hash(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()
