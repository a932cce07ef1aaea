"""The portal speaks Simplified Chinese (its default) and English: the catalogue is complete and
pages, navigation and form errors follow the visitor's language.

The page tests read the compiled catalogue (django.mo), which `make test` builds with
compilemessages before pytest runs, as CI does.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from directory.models import District, SupplyCategory
from tests.factories import EnterpriseFactory, make_uscc

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
CATALOGUE = LOCALE_DIR / "django.po"
COMPILED = LOCALE_DIR / "django.mo"

HOME = reverse("home")
SEARCH = reverse("directory:search")
SIGNUP = reverse("signup")


ENTRY_LINE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")")


def parse_po(path: Path) -> list[dict]:
    """The catalogue's entries: msgid, msgid_plural, msgstr forms and flags, header first.

    Deliberately small (no polib dependency): enough for the files makemessages writes.
    """
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple[str, int] | None = None
    for line_number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            entry, field = None, None
            continue
        if entry is None:
            entry = {"line": line_number, "flags": set(), "msgstr": {}}
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := ENTRY_LINE.fullmatch(line):
            keyword, index, text = match.groups()
            field = (keyword, int(index or 0))
            value = ast.literal_eval(text)
            if keyword == "msgstr":
                entry["msgstr"][field[1]] = value
            else:
                entry[keyword] = value
        elif line.startswith('"') and field is not None:
            keyword, index = field
            if keyword == "msgstr":
                entry["msgstr"][index] += ast.literal_eval(line)
            else:
                entry[keyword] += ast.literal_eval(line)
        else:
            raise AssertionError(f"{path.name}:{line_number}: cannot read {raw!r}")
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return parse_po(CATALOGUE)


@pytest.fixture
def compiled_catalogue():
    assert COMPILED.exists(), "django.mo is missing: run `make messages` (compilemessages) first"


def test_every_message_has_a_reviewed_chinese_translation(catalogue):
    header, *messages = catalogue
    assert header["msgid"] == ""
    gaps = [
        f"line {entry['line']}: {entry['msgid']!r}"
        + (" (fuzzy)" if "fuzzy" in entry["flags"] else " (empty)")
        for entry in messages
        if "fuzzy" in entry["flags"] or not all(entry["msgstr"].values()) or not entry["msgstr"]
    ]
    assert not gaps, f"{len(gaps)} messages lack a reviewed translation:\n" + "\n".join(gaps)


def test_catalogue_header_declares_chinese_utf8_and_one_plural_form(catalogue):
    header = dict(
        line.split(": ", 1) for line in catalogue[0]["msgstr"][0].splitlines() if ": " in line
    )
    assert header["Language"] == "zh_Hans"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "fuzzy" not in catalogue[0]["flags"]


def test_translations_keep_every_placeholder_and_tag(catalogue):
    # A lost %(name)s or <a href> breaks the page or drops a value the visitor needs.
    pattern = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdif]|%%|<[^>]+>|`[^`]+`")
    wrong = []
    for entry in catalogue[1:]:
        expected = set(pattern.findall(entry["msgid"]))
        if "msgid_plural" in entry:
            # With one plural form the translation may use either English form's placeholders.
            allowed = expected | set(pattern.findall(entry["msgid_plural"]))
            for text in entry["msgstr"].values():
                if not set(pattern.findall(text)) <= allowed:
                    wrong.append(entry["msgid"])
        elif any(
            sorted(pattern.findall(text)) != sorted(pattern.findall(entry["msgid"]))
            for text in entry["msgstr"].values()
        ):
            wrong.append(entry["msgid"])
    assert not wrong, "placeholders or markup differ in:\n" + "\n".join(map(repr, wrong))


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogue")
@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("zh-hans", ["供应商名录", "采购推荐目录", "登录", "按供应类别浏览"], ["Directory<"]),
        (
            "en",
            ["Directory", "Recommendation directory", "Log in", "Browse by supply category"],
            ["供应商名录"],
        ),
    ],
)
def test_home_page_follows_the_browser_language(client, language, expected, absent):
    response = client.get(HOME, headers={"accept-language": language})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    for text in expected:
        assert text in page
    for text in absent:
        assert text not in page


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogue")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["<h1>供应商名录</h1>", "筛选条件", "1 家企业", "本地", "离子电导率不低于"]),
        (
            "en",
            [
                "<h1>Supplier directory</h1>",
                "Filters",
                "1 enterprise",
                "Local",
                "Ionic conductivity at least",
            ],
        ),
    ],
)
def test_directory_search_follows_the_language_cookie(client, language, expected):
    EnterpriseFactory(categories=["sulfide-electrolyte"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(SEARCH)

    page = response.content.decode()
    assert response.status_code == 200
    for text in expected:
        assert text in page


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogue")
def test_language_switch_turns_an_english_visitor_to_chinese(client):
    english = client.get(SEARCH, headers={"accept-language": "en"})
    assert "<h1>Supplier directory</h1>" in english.content.decode()

    switched = client.post(reverse("set_language"), {"language": "zh-hans", "next": SEARCH})
    assert switched.status_code == 302

    chinese = client.get(SEARCH, headers={"accept-language": "en"})
    assert "<h1>供应商名录</h1>" in chinese.content.decode()


def signup_with_mistakes() -> dict:
    """A sign-up whose passwords differ, whose code has a wrong check digit and lacks a name."""
    valid = make_uscc(900777)
    return {
        "account-username": "zhsme",
        "account-email": "founder@zhsme.example",
        "account-password": "Gu-tai-dian-chi-2026",
        "account-password_confirm": "Gu-tai-dian-chi-2027",
        "uscc": valid[:17] + ("1" if valid[17] != "1" else "2"),
        "name_zh": "",
        "kind": "sme",
        "district": District.objects.filter(is_local=True).first().pk,
        "categories": [SupplyCategory.objects.get(slug="sulfide-electrolyte").pk],
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_catalogue")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            [
                "请更正标出的字段。",
                "两次输入的密码不一致。",
                "校验码错误：第 18 位应为",
                "该字段是必填项。",
            ],
        ),
        (
            "en",
            [
                "Please correct the marked fields.",
                "The two passwords differ.",
                "The check digit is wrong: the 18th character should be",
                "This field is required.",
            ],
        ),
    ],
)
def test_signup_form_errors_are_in_the_visitors_language(client, language, expected):
    response = client.post(SIGNUP, signup_with_mistakes(), headers={"accept-language": language})

    page = response.content.decode()
    assert response.status_code == 200
    for text in expected:
        assert text in page
