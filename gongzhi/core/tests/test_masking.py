import pytest
from django.template import Context, Template

from gongzhi.core.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三丰", "张**"),
        ("张三", "张**"),
        ("欧阳娜娜", "欧**"),
        ("", ""),
        (None, ""),
        ("  李四 ", "李**"),
    ],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13812341234", "138****1234"), ("", ""), (None, ""), ("1234", "****")],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("310101199001011234", "3****************4"),
        ("31010119900101123X", "3****************X"),
        ("AB", "**"),
        ("", ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


def test_mask_phone_never_reveals_middle_digits():
    masked = mask_phone("13987654321")
    assert "8765" not in masked and masked.startswith("139") and masked.endswith("4321")


def test_template_filters():
    html = Template(
        "{% load gongzhi %}{{ name|mask_name }} {{ phone|mask_phone }} {{ id|mask_id }}"
    ).render(Context({"name": "张三丰", "phone": "13812341234", "id": "310101199001011234"}))
    assert html == "张** 138****1234 3****************4"
