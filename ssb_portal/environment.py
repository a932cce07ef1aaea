"""Production settings read from the environment: pure functions of an environment mapping,
so that settings.py stays a list of values and the parsing is tested on its own.

Nothing here imports Django settings: settings.py imports this module.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured


def env_list(environ: Mapping[str, str], name: str, default: str = "") -> list[str]:
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in environ.get(name, default).split(",") if item.strip()]


def env_int(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


def proxy_ssl_header(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from "X-Forwarded-Proto=https" (the header the proxy in front
    sets, and the value meaning HTTPS), or None when unset.

    Set it only behind a proxy that overwrites the header: otherwise any client could claim
    HTTPS.
    """
    value = environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
    if not value:
        return None
    header, sep, expected = value.partition("=")
    header, expected = header.strip(), expected.strip()
    if not sep or not header or not expected:
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must look like X-Forwarded-Proto=https, not {value!r}."
        )
    meta_name = header.upper().replace("-", "_")
    if not meta_name.startswith("HTTP_"):
        meta_name = f"HTTP_{meta_name}"
    return meta_name, expected


def csrf_trusted_origins(environ: Mapping[str, str]) -> list[str]:
    """CSRF_TRUSTED_ORIGINS: full origins with their scheme (https://portal.example.cn)."""
    origins = env_list(environ, "CSRF_TRUSTED_ORIGINS")
    for origin in origins:
        if "://" not in origin:
            raise ImproperlyConfigured(
                f"CSRF_TRUSTED_ORIGINS entries need a scheme (https://…): {origin!r}."
            )
    return origins


def private_storage(environ: Mapping[str, str]) -> dict:
    """The STORAGES entry for private documents: the local disk (PRIVATE_MEDIA_ROOT) unless
    PRIVATE_STORAGE=s3, then an S3-compatible bucket every web server and worker shares."""
    kind = environ.get("PRIVATE_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        return {"BACKEND": "ssb_portal.storage.LocalPrivateStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"PRIVATE_STORAGE must be local or s3, not {kind!r}.")
    bucket = environ.get("PRIVATE_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("PRIVATE_STORAGE=s3 needs PRIVATE_S3_BUCKET.")
    options = {
        "bucket_name": bucket,
        # Private: no public ACL, no public URL; views stream the files after checking who
        # asks, and a name is never reused (the stored names are random anyway).
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "location": environ.get("PRIVATE_S3_PREFIX", "private").strip("/"),
    }
    optional = {
        "endpoint_url": "PRIVATE_S3_ENDPOINT_URL",
        "region_name": "PRIVATE_S3_REGION",
        "access_key": "PRIVATE_S3_ACCESS_KEY_ID",
        "secret_key": "PRIVATE_S3_SECRET_ACCESS_KEY",
    }
    for option, name in optional.items():
        if environ.get(name, "").strip():
            options[option] = environ[name].strip()
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
