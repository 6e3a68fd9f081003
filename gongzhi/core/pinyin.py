"""Pinyin sort keys, so that lists of people and areas read in the order a Chinese
reader expects (阿花, 李四, 王五, 曾七, 张三, 赵六) rather than in code-point order.

The key is computed in Python with pypinyin and stored beside the name (see
``PinyinSorted``), not left to a database collation: SQLite has no ICU, and a key
made of ASCII letters and tone digits sorts the same under SQLite's binary
comparison and under any PostgreSQL collation, so both databases give one order and
the column can be indexed.
"""

import re

from django.db import models
from pypinyin import Style, lazy_pinyin

# The key column holds at most this many characters (a syllable and its tone take at
# most 7, so a 60-character name fits).
KEY_LENGTH = 500

# Characters read differently as a surname than in ordinary words (百家姓); pypinyin
# reads them as words, so a person's name whose first character is one of these is
# keyed by its surname reading.
SURNAMES = {
    "曾": "zeng1",
    "单": "shan4",
    "解": "xie4",
    "区": "ou1",
    "仇": "qiu2",
    "朴": "piao2",
    "覃": "qin2",
    "查": "zha1",
    "盖": "ge3",
    "缪": "miao4",
    "员": "yun4",
    "召": "shao4",
    "乐": "yue4",
    "秘": "bi4",
    "繁": "po2",
    "种": "chong2",
    "折": "she2",
    "祭": "zhai4",
    "句": "gou1",
    "尉": "yu4",
    "长": "chang2",
    "重": "chong2",
    "翟": "zhai2",
    "谌": "chen2",
    "隗": "wei3",
    "过": "guo1",
    "那": "na1",
    "华": "hua4",
    "任": "ren2",
    "纪": "ji3",
    "燕": "yan1",
    "宁": "ning4",
}

# Only letters and digits stay in the key: PostgreSQL's usual collations skip spaces
# and punctuation while SQLite's binary comparison does not, and with nothing but
# [a-z0-9] the two agree.
_NOT_KEY = re.compile(r"[^a-z0-9]")


def _syllables(text: str) -> list[str]:
    # TONE3 ends every syllable with its tone digit (neutral tone 5), which also marks
    # where a syllable ends: "li3" sorts before "lin2" as 李 before 林. ü is written v,
    # after u, as in dictionaries.
    return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)


def pinyin_key(text: str, *, person: bool = False) -> str:
    """The sort key of ``text``: its pinyin with tone digits, lower case ASCII only.

    With ``person`` the first character is read as a surname (曾 zēng, 单 shàn, 解 xiè).
    """
    text = (text or "").strip()
    if not text:
        return ""
    if person and text[0] in SURNAMES:
        parts = [SURNAMES[text[0]], *_syllables(text[1:])]
    else:
        parts = _syllables(text)
    return _NOT_KEY.sub("", "".join(parts).lower())[:KEY_LENGTH]


def sort_key_field() -> models.CharField:
    """The stored key column (``name_sort``); filled by ``PinyinSorted.save``."""
    return models.CharField(max_length=KEY_LENGTH, blank=True, default="", editable=False)


class PinyinSorted(models.Model):
    """Keeps ``name_sort`` equal to the pinyin key of the field named by
    ``pinyin_source`` on every save; lists then ``order_by("name_sort", <source>, "pk")``
    (the name and the id settle characters read alike).

    ``bulk_create`` and ``QuerySet.update`` skip ``save``: code that writes names that
    way sets ``name_sort`` itself with ``pinyin_key``.
    """

    pinyin_source = "name"
    pinyin_person = False

    name_sort = sort_key_field()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.name_sort = pinyin_key(getattr(self, self.pinyin_source), person=self.pinyin_person)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.pinyin_source in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_sort"}
        super().save(*args, **kwargs)
