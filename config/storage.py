"""STORAGE_URL → a STORAGES["default"] entry.

- empty or ``file:///path``: local files (MEDIA_ROOT, or the path given);
- ``s3://ACCESS_KEY:SECRET@host:port/bucket?region=…&secure=1``: any S3-compatible store (MinIO,
  Ceph, AWS) through django-storages, installed with ``pip install "eiso[s3]"``.
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


def storage_from_url(url: str, media_root: Path) -> dict:
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(media_root)}}
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": unquote(parts.path) or str(media_root)}}
    if parts.scheme == "s3":
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        bucket = parts.path.strip("/")
        if not bucket:
            raise ValueError("STORAGE_URL: s3://…/BUCKET needs a bucket name")
        secure = query.get("secure", "1") not in ("0", "false", "no")
        options = {
            "bucket_name": bucket,
            "access_key": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "region_name": query.get("region", "us-east-1"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        }
        if parts.hostname:
            host = parts.hostname + (f":{parts.port}" if parts.port else "")
            options["endpoint_url"] = f"{'https' if secure else 'http'}://{host}"
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ValueError(f"STORAGE_URL: unsupported scheme {parts.scheme!r} (use file:// or s3://)")
