"""Nothing a visitor or an official reads escapes translation: template text, model and field
labels in forms and the admin, admin columns, filters and actions.

The catalogue test (test_translations.py) proves every marked string has a Chinese translation;
these tests prove the strings are marked in the first place, so a new English word in a
template or a field without a translatable label fails the suite instead of showing up in
English on a Chinese page.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise

OUR_APPS = ["ssb_portal", "directory", "alliance", "subsidies", "talent", "programme"]

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "templates"
TEMPLATES = sorted(
    path for path in TEMPLATE_ROOT.rglob("*") if path.suffix in {".html", ".txt", ".ics"}
)

# The error page renders when the i18n machinery itself may have failed, so it carries both
# languages as literal text.
BILINGUAL_BY_DESIGN = {"500.html"}

# Symbols written the same in both languages: currency and unit symbols, file formats, the
# brand mark, the seed's own variable names, and Chinese's name for itself in the switcher.
SAME_IN_BOTH_LANGUAGES = {
    "CNY", "kWh", "Wh", "kg", "min", "tce", "eV", "cm", "CE",
    "CSV", "XLSX", "SSB", "p_retain", "中文",
}  # fmt: skip

# Text that is never shown: comments, scripts, styles, the body's CSS classes, and what is
# already marked (blocktranslate bodies; {% translate %} and variables are Django tags).
HIDDEN_OR_MARKED = re.compile(
    r"{%\s*(blocktranslate|blocktrans|comment|verbatim)\b.*?{%\s*end\1\b[^%]*%}"
    r"|{%\s*block\s+bodyclass\s*%}.*?{%\s*endblock\b[^%]*%}"
    r"|{#.*?#}|<(script|style)\b.*?</\2>|<!--.*?-->",
    re.S | re.I,
)
DJANGO_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# Attributes whose value a person reads (tooltips, screen readers, placeholders).
READ_ATTRIBUTE = re.compile(
    r'\b(?:title|alt|placeholder|aria-label|aria-roledescription)\s*=\s*"([^"]*)"', re.I
)
HTML_TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&[#\w]+;")
WORD = re.compile(r"[A-Za-z_\u4e00-\u9fff]{2,}")


def _blank_out(match: re.Match) -> str:
    # Keep line breaks so that reported line numbers stay true.
    return re.sub(r"[^\n]", " ", match.group(0))


def unmarked_words(template_text: str) -> list[tuple[int, str]]:
    """(line, word) for every word a reader sees that is outside translate tags."""
    text = HIDDEN_OR_MARKED.sub(_blank_out, template_text)
    text = DJANGO_TAG.sub(_blank_out, text)
    found = []
    for attribute in READ_ATTRIBUTE.finditer(text):
        line = text.count("\n", 0, attribute.start()) + 1
        found += [(line, word) for word in WORD.findall(ENTITY.sub(" ", attribute.group(1)))]
    text = ENTITY.sub(_blank_out, HTML_TAG.sub(_blank_out, text))
    found += [
        (text.count("\n", 0, word.start()) + 1, word.group(0)) for word in WORD.finditer(text)
    ]
    return [(line, word) for line, word in found if word not in SAME_IN_BOTH_LANGUAGES]


@pytest.mark.parametrize(
    "template",
    [path for path in TEMPLATES if path.name not in BILINGUAL_BY_DESIGN],
    ids=lambda path: str(path.relative_to(TEMPLATE_ROOT)),
)
def test_every_template_string_is_marked_for_translation(template):
    words = unmarked_words(template.read_text(encoding="utf-8"))

    assert not words, f"{template.relative_to(TEMPLATE_ROOT)}: text outside translate tags: " + (
        ", ".join(f"line {line}: {word!r}" for line, word in words)
    )


@pytest.mark.parametrize(
    ("template_text", "expected"),
    [
        ("<p>Pending review</p>", ["Pending", "review"]),
        ('<input placeholder="Search suppliers">', ["Search", "suppliers"]),
        ('<span title="全部">{{ x }}</span>', ["全部"]),
        ("<p>{% translate 'Pending review' %}</p>", []),
        ("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}", []),
        ('<a href="{% url "home" %}" class="button ghost">{{ label }}</a>', []),
        ("<script>const pending = 1;</script>{# a note #}", []),
        ("<td>{{ amount }} CNY</td>", []),
    ],
)
def test_the_template_check_finds_unmarked_text_and_only_that(template_text, expected):
    assert [word for _, word in unmarked_words(template_text)] == expected


def _models():
    return [
        model
        for config in apps.get_app_configs()
        if config.label in OUR_APPS
        for model in config.get_models()
    ]


@pytest.mark.parametrize("model", _models(), ids=lambda model: model._meta.label)
def test_every_model_and_field_label_is_translatable(model):
    # Django invents an English label from the attribute name when none is given; it then
    # shows in English in Chinese admin pages, forms and form errors.
    untranslatable = [
        f"Meta.{name}"
        for name in ("verbose_name", "verbose_name_plural")
        if not isinstance(getattr(model._meta, name), Promise)
    ] + [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]

    assert not untranslatable, f"{model._meta.label}: labels not marked: {untranslatable}"


def _our_model_admins():
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ]


def _column_label_is_translatable(model_admin, column) -> bool:
    # The admin labels a model field column with the field's verbose_name and __str__ with the
    # model's (both checked above); any other column with its description.
    if column == "__str__":
        return True
    if isinstance(column, str):
        try:
            model_admin.model._meta.get_field(column)
            return True
        except FieldDoesNotExist:
            pass
    attribute = (
        column
        if callable(column)
        else getattr(model_admin, column, None) or getattr(model_admin.model, column, None)
    )
    if isinstance(attribute, property):
        attribute = attribute.fget
    label = getattr(attribute, "short_description", None)
    # A label with no words (such as "#") reads the same in both languages.
    return isinstance(label, Promise) or (isinstance(label, str) and not WORD.search(label))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_admin", _our_model_admins(), ids=lambda model_admin: model_admin.model._meta.label
)
def test_admin_columns_filters_and_actions_are_translatable(model_admin, rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    untranslatable = [
        f"column {column}"
        for column in model_admin.get_list_display(request)
        if not _column_label_is_translatable(model_admin, column)
    ]
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, type) and not isinstance(list_filter.title, Promise):
            untranslatable.append(f"filter {list_filter.__name__}")
    for name, (_function, _name, description) in model_admin.get_actions(request).items():
        if not isinstance(description, Promise):
            untranslatable.append(f"action {name}")

    assert not untranslatable, f"{model_admin}: {untranslatable}"
