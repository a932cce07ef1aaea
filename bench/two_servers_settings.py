"""Settings for bench/two_servers.py: the portal's own, with the cache shared through the
database when the portal's default cache is per process (so that a throttle counted on one
web process holds on the other). Once the portal's settings name a shared cache themselves,
this module changes nothing."""

from ssb_portal import settings as portal
from ssb_portal.settings import *  # noqa: F403

PER_PROCESS = "django.core.cache.backends.locmem.LocMemCache"
portal_cache = getattr(portal, "CACHES", {}).get("default", {}).get("BACKEND", PER_PROCESS)
if portal_cache == PER_PROCESS:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "two_servers_cache",
        }
    }
