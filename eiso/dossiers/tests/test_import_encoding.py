"""A one-stop CSV export is checked to be UTF-8 over the whole file when it is uploaded, not only
its first 64 KB: a file that is not is refused before it is stored, naming the line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.core.errors import ValidationFailed
from eiso.core.tests.test_tabular_encoding import ROW, mixed_file
from eiso.dossiers.services.imports import check_upload


def test_the_dossier_upload_refuses_a_file_utf8_only_at_its_start():
    data, line = mixed_file()
    with pytest.raises(ValidationFailed) as exc:
        check_upload(SimpleUploadedFile("thang2.csv", data))
    assert str(line) in exc.value.message and "UTF-8" in exc.value.message


def test_a_byte_order_mark_is_fine():
    data = "\ufeffMã hồ sơ,Tên thủ tục\n".encode() + "".join(ROW.format(n=n) for n in range(40_000)).encode()
    assert check_upload(SimpleUploadedFile("thang2.csv", data)) == "csv"
