import pytest

from config.storage import storage_from_url


def test_default_is_local_media_root(tmp_path):
    assert storage_from_url("", tmp_path) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}


def test_file_url(tmp_path):
    assert storage_from_url("file:///srv/eiso/media", tmp_path)["OPTIONS"]["location"] == "/srv/eiso/media"


def test_s3_compatible_url(tmp_path):
    cfg = storage_from_url("s3://eiso:s%40cret@minio.internal:9000/eiso-files?region=ap-southeast-1&secure=0",
                           tmp_path)
    assert cfg["BACKEND"] == "storages.backends.s3.S3Storage"
    opts = cfg["OPTIONS"]
    assert opts["bucket_name"] == "eiso-files"
    assert opts["access_key"] == "eiso" and opts["secret_key"] == "s@cret"
    assert opts["endpoint_url"] == "http://minio.internal:9000"
    assert opts["region_name"] == "ap-southeast-1"


@pytest.mark.parametrize("url", ["s3://key:secret@host/", "ftp://host/x"])
def test_bad_urls_are_refused_clearly(tmp_path, url):
    with pytest.raises(ValueError, match="STORAGE_URL"):
        storage_from_url(url, tmp_path)
