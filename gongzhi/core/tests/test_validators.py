import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from gongzhi.core.validators import validate_upload_size


def test_file_within_the_limit_passes(settings):
    settings.GONGZHI_MAX_UPLOAD_BYTES = 1024
    validate_upload_size(SimpleUploadedFile("ok.jpg", b"x" * 1024))


def test_oversized_file_is_refused_with_sizes_in_the_message(settings):
    settings.GONGZHI_MAX_UPLOAD_BYTES = 1024
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_upload_size(SimpleUploadedFile("big.jpg", b"x" * 2048))
    assert error.value.code == "file_too_large"
    message = error.value.messages[0].replace("\xa0", " ")
    assert "2.0 KB" in message and "1.0 KB" in message


def test_message_is_chinese_by_default(settings):
    settings.GONGZHI_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        validate_upload_size(SimpleUploadedFile("big.jpg", b"x" * 2048))
    assert "不能超过" in error.value.messages[0]
