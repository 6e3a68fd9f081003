"""Each language whole: every page of the permission matrix, in English over a world
whose user content is English only, shows no Han character; the same pages in
Chinese show no English word of the interface (user content and a short list of
names such as API or Excel aside). No page shows Django's empty choice "---------".

The world is the matrix's (``build_world``), its Chinese user content then rewritten
into English words (the same Chinese text always becomes the same English text).
What is interface kept in data, not user content, is left as it is, so a Chinese
word there shows up here: see ``INTERFACE_IN_DATA``.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

from gongzhi.conftest import ROLES

from .test_permission_matrix import MATRIX, OK, build_world

pytestmark = pytest.mark.xdist_group("language_purity")

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
EMPTY_CHOICE = "---------"

# Words that stay in Latin letters in the Chinese interface: names of formats,
# standards and products, and units.
ALLOWED_LATIN = {
    "API", "OpenAPI", "QR", "Excel", "CSV", "PDF", "ID", "iCalendar", "ics", "JSON",
    "Atom", "RSS", "URL", "HTTP", "HTTPS", "www", "xlsx", "docx", "jpg", "png", "JPEG",
    "PNG", "SVG", "WebP", "MB", "KB", "GB", "Gongzhi", "WeChat", "AM", "PM", "Django", "Popolo",
    "GZ",  # the prefix of a volunteer-hours certificate number
}  # fmt: skip

# Text fields that hold the interface in data rather than user content: they keep
# their Chinese (being moved into code with translations, issue 15).
INTERFACE_IN_DATA = {
    ("core", "notification", "message"),  # notifications written in the language of the day
}

WORDS = [
    "Maple",
    "Birch",
    "Cedar",
    "Willow",
    "Aspen",
    "Rowan",
    "Hazel",
    "Laurel",
    "Juniper",
    "Alder",
    "Linden",
    "Elm",
    "Oak",
    "Poplar",
    "Spruce",
    "Holly",
    "Ivy",
    "Fern",
    "Clover",
    "Daisy",
    "Tulip",
    "Lily",
    "Iris",
    "Violet",
    "Heather",
    "Myrtle",
]
NOUNS = ["garden", "bench", "path", "court", "lane", "yard", "corner", "square", "terrace", "walk"]


def _english(index: int, max_length: int | None) -> str:
    """The index-th English text: "Maple garden", "Birch garden", … then numbered."""
    word, rest = WORDS[index % len(WORDS)], index // len(WORDS)
    text = f"{word} {NOUNS[rest % len(NOUNS)]}"
    if rest >= len(NOUNS):
        text += f" {rest // len(NOUNS)}"
    if max_length and len(text) > max_length:
        text = (word + "xx")[: max(max_length, 2)]
    return text


def _text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.choices
        and (model._meta.app_label, model._meta.model_name, f.name) not in INTERFACE_IN_DATA
    ]


def _rewrite(value, english):
    if isinstance(value, str):
        return english(value) if HAN.search(value) else value
    if isinstance(value, list):
        return [_rewrite(v, english) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, english) for k, v in value.items()}
    return value


def englishify() -> set[str]:
    """Rewrite every Chinese text of user content into English; return every text
    value of the world's text fields afterwards (the user content to set aside when
    looking for the interface's own words)."""
    mapping: dict[str, str] = {}
    content: set[str] = set()

    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        names = [f.attname for f in fields]
        for row in model._default_manager.values("pk", *names):
            changed = {}
            for field in fields:
                value = row[field.attname]

                def english(text, field=field):
                    if text not in mapping:
                        mapping[text] = _english(len(mapping), getattr(field, "max_length", None))
                    return mapping[text]

                new = _rewrite(value, english)
                if new != value:
                    changed[field.attname] = new
                _collect(new, content)
            if changed:
                model._default_manager.filter(pk=row["pk"]).update(**changed)
    # A single word found in a text field (a code such as "review") is not taken for
    # user content: set aside, it would hide the interface's word.
    generated = set(mapping.values())
    return generated | {
        text for text in content if LATIN_WORD.search(text) and re.search(r"[\s\d@]", text)
    }


def _collect(value, into: set[str]):
    if isinstance(value, str):
        if value.strip():
            into.add(value.strip())
            into.update(line.strip() for line in value.splitlines() if line.strip())
    elif isinstance(value, list):
        for v in value:
            _collect(v, into)
    elif isinstance(value, dict):
        for v in value.values():
            _collect(v, into)


@pytest.fixture(scope="module")
def english_world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    from gongzhi.conftest import AREA_A, AREA_B, OTHER_TOWN, TOWN, make_people
    from gongzhi.core.testing import rolled_back_world
    from gongzhi.tests.factories import AreaFactory, TownFactory

    with rolled_back_world(django_db_blocker, tmp_path_factory.mktemp("media")):
        town, other_town = TownFactory(**TOWN), TownFactory(**OTHER_TOWN)
        area_a, area_b = AreaFactory(town=town, **AREA_A), AreaFactory(town=town, **AREA_B)
        people = make_people(town=town, other_town=other_town, area_a=area_a)
        keys = build_world(
            town=town, other_town=other_town, area_a=area_a, area_b=area_b, people=people
        )
        content = englishify()
        for person in people.values():
            person.refresh_from_db()
        yield people, keys, content


@pytest.fixture
def people(english_world_once, db):
    return english_world_once[0]


@pytest.fixture
def world(english_world_once, db):
    return english_world_once[1]


@pytest.fixture
def user_content(english_world_once, db):
    """The world's texts, longest first (so a text is removed before a part of it)."""
    return sorted(english_world_once[2], key=len, reverse=True)


# --- The visible text of a page -----------------------------------------------------

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
HIDDEN = {"script", "style", "template", "noscript"}
SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}


class VisibleText(HTMLParser):
    """The text a reader sees (and the labels a screen reader reads), without
    scripts, styles and whatever is marked as in another language (``lang``), such
    as the language switch's "简体中文" or "English"."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.parts: list[str] = []

    def hidden(self) -> bool:
        return any(hides for _tag, hides in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        foreign = bool(lang) and not lang.startswith(self.language)
        hides = tag in HIDDEN or foreign
        if not self.hidden() and not hides:
            for name in SHOWN_ATTRIBUTES:
                if attrs.get(name):
                    self.parts.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hides))

    def handle_startendtag(self, tag, attrs):
        if not self.hidden():
            attrs = dict(attrs)
            for name in SHOWN_ATTRIBUTES:
                if attrs.get(name):
                    self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.hidden() and data.strip():
            self.parts.append(data.strip())


def visible_text(response, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(response.content.decode())
    parser.close()
    return html.unescape("\n".join(parser.parts))


EMPTY_CHOICE_SELECT = re.compile(
    r'<select[^>]*name="([^"]+)"(?:(?!</select>).)*>\s*-{9}\s*</option>', re.S
)


def empty_choice(response, text: str) -> list[str]:
    """The fields (by name) whose list offers Django's "---------"."""
    if EMPTY_CHOICE not in text:
        return []
    return EMPTY_CHOICE_SELECT.findall(response.content.decode()) or ["(not in a list)"]


def snippets(text: str, pattern: re.Pattern, limit=5) -> list[str]:
    found, covered = [], -1
    for match in pattern.finditer(text):
        if match.start() < covered:
            continue
        start, end = max(0, match.start() - 20), match.end() + 20
        covered = end
        found.append(text[start:end].replace("\n", " ⏎ "))
        if len(found) == limit:
            break
    return found


# --- Which pages, as whom -----------------------------------------------------------

# A page is read by a member of the public and by staff: the first role of each
# list that may see it.
READERS = (
    ("resident", "partner", "anonymous", "other_secretariat"),
    ("secretariat", "area_staff", "administrator"),
)

PAGES = [
    pytest.param(name, index, id=f"{name}[{index}]")
    for name, cases in MATRIX.items()
    for index, case in enumerate(cases)
    if any(case.expect[role] == OK for role in ROLES)
]


def _readers(case) -> list[str]:
    readers = []
    for group in READERS:
        role = next((r for r in group if case.expect[r] == OK), None)
        if role:
            readers.append(role)
    if not readers:
        readers = [next(r for r in ROLES if case.expect[r] == OK)]
    return readers


def _pages(world, client_for, name, index, language):
    """(role, response) for each reader of the page, in the language; HTML only."""
    case = MATRIX[name][index]
    url = case.url(world)
    for role in _readers(case):
        response = client_for(role).get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == OK, f"{url} as {role}: {response.status_code}"
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            continue
        yield f"{url} as {role}", response


def test_a_page_is_chosen_for_every_readable_row():
    assert len(PAGES) > 100, "the matrix lost its readable pages"


@pytest.mark.parametrize(("name", "index"), PAGES)
def test_english_pages_show_no_chinese(world, client_for, name, index):
    wrong = []
    for where, response in _pages(world, client_for, name, index, "en"):
        assert response.get("Content-Language") == "en", f"{where}: not served in English"
        text = visible_text(response, "en")
        if found := snippets(text, HAN):
            wrong.append(f"{where}: Chinese in the English page: {found}")
        if fields := empty_choice(response, text):
            wrong.append(f"{where}: Django's empty choice {EMPTY_CHOICE!r} in {fields}")
    assert not wrong, "\n".join(wrong)


def interface_words(text: str, user_content: list[str]) -> list[str]:
    """The Latin words of a Chinese page that are neither user content nor allowed;
    with the text around each."""
    for content in user_content:
        if content in text:
            text = re.sub(rf"(?<![A-Za-z]){re.escape(content)}(?![A-Za-z])", " ", text)
    found, seen = [], set()
    for match in LATIN_WORD.finditer(text):
        if match.group() in ALLOWED_LATIN or match.group() in seen:
            continue
        # e-mail addresses, user names with digits, addresses: not words of the interface
        before, after = text[max(0, match.start() - 1)], text[match.end() : match.end() + 1]
        if before in "@./_:0123456789" or after in "@/_:0123456789":
            continue
        if re.match(r"\.[a-z]{2,4}\b", text[match.end() :]):  # a file's name (draft.png)
            continue
        seen.add(match.group())
        start, end = max(0, match.start() - 15), match.end() + 15
        found.append(text[start:end].replace("\n", " ⏎ "))
        if len(found) == 8:
            break
    return found


# Django's admin is read in Chinese with Django's and the installed apps' own
# translations (django-tasks-db ships none); the platform's pages are checked.
CHINESE_PAGES = [page for page in PAGES if not page.values[0].startswith("admin:")]


@pytest.mark.parametrize(("name", "index"), CHINESE_PAGES)
def test_chinese_pages_show_no_english_words(world, client_for, user_content, name, index):
    wrong = []
    for where, response in _pages(world, client_for, name, index, "zh-hans"):
        text = visible_text(response, "zh")
        if found := interface_words(text, user_content):
            wrong.append(f"{where}: English words in the Chinese page: {found}")
        if fields := empty_choice(response, text):
            wrong.append(f"{where}: Django's empty choice {EMPTY_CHOICE!r} in {fields}")
    assert not wrong, "\n".join(wrong)


# --- The test's own parts -------------------------------------------------------------


def test_visible_text_leaves_out_scripts_and_other_languages():
    page = (
        '<html><head><style>p{}</style><script>var x="中文";</script></head>'
        '<body><p title="Hint">Seen <b>bold</b></p><option lang="zh-Hans">简体中文</option>'
        '<input type="submit" value="Send"><img alt="Photo"><br>after</body></html>'
    )

    class Page:
        content = page.encode()

    text = visible_text(Page, "en")
    assert not HAN.search(text)
    assert text.split("\n") == ["Hint", "Seen", "bold", "Send", "Photo", "after"]
    assert "简体中文" in visible_text(Page, "zh")


def test_interface_words_set_user_content_and_allowed_names_aside():
    text = "下载 Excel 表格 · Maple garden 的提案 · Save · a@b.example"
    found = interface_words(text, ["Maple garden"])
    assert len(found) == 1 and "Save" in found[0]


def test_english_rewrite_keeps_to_the_length():
    assert _english(0, None) == "Maple garden"
    assert len(_english(0, 4)) == 4
    assert _english(len(WORDS) * len(NOUNS), None).endswith(" 1")
