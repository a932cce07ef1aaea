"""Issue 17: searches of one or two characters (`固态`, `锂`) are served by the gram
documents (directory/search/grams.py) on both databases, and find exactly what a plain
substring filter finds, ranked by name before by a product."""

import pytest
from django.db import connection
from django.db.models import Q

from directory.filters import EnterpriseFilter
from directory.models import Enterprise, ListingStatus
from directory.search import grams
from tests.factories import EnterpriseFactory, ProductFactory

pytestmark = pytest.mark.django_db


def found(text: str) -> list[str]:
    queryset = EnterpriseFilter({"q": text}, Enterprise.objects.all()).qs
    return list(queryset.values_list("name_en", flat=True))


def plainly_found(text: str) -> set[str]:
    """The same search as a plain filter on the tables (a scan); the search strips the text."""
    text = text.strip()
    by_product = Q(products__status=ListingStatus.VERIFIED, products__name__icontains=text)
    named = Q(name_zh__icontains=text) | Q(name_en__icontains=text)
    return set(Enterprise.objects.filter(named | by_product).values_list("name_en", flat=True))


def firm(name_zh: str, name_en: str, *products: str, **product_fields) -> Enterprise:
    enterprise = EnterpriseFactory(name_zh=name_zh, name_en=name_en)
    for product in products:
        ProductFactory(enterprise=enterprise, name=product, **product_fields)
    return enterprise


@pytest.fixture
def city():
    firm("甲固态电池有限公司", "Alpha Cells", "Pouch cell 10Ah")
    firm("乙材料", "Beta Materials", "固态电解质 LPSC", "锂 metal foil")
    firm("丙科技", "Gamma Tech", "Oxide Electrolyte LLZO")
    firm("态固公司", "Delta", "separator")  # 固 and 态, never 固态
    firm("戊公司", "Epsilon", "固态 prototype", status=ListingStatus.PENDING)
    firm("己公司", "Zeta 5% Li", "halide_x")


@pytest.mark.parametrize(
    "text", ["固态", "态", "锂", "li", "LI", "Li", "ox", "5%", "%", "_", "e_", " x", "司", "zz"]
)
def test_short_terms_find_what_a_plain_filter_finds(city, text):
    assert set(found(text)) == plainly_found(text)


def test_a_two_character_term_ranks_names_before_products(city):
    assert found("固态") == ["Alpha Cells", "Beta Materials"]
    # By name (乙 sorts before 甲), then by a product (halide_x).
    assert found("AL") == ["Beta Materials", "Alpha Cells", "Zeta 5% Li"]


def test_a_pair_across_two_names_is_not_found():
    firm("甲公", "司 Works")  # 公 + 司 meet only across the names
    assert found("公司") == []


def test_the_grams_follow_renames_status_changes_and_deletions(city):
    alpha = Enterprise.objects.get(name_en="Alpha Cells")
    alpha.name_zh = "甲电池"
    alpha.save()
    assert found("固态") == ["Beta Materials"]
    assert found("甲电") == ["Alpha Cells"]
    product = alpha.__class__.objects.get(name_en="Epsilon").products.get()
    product.status = ListingStatus.VERIFIED
    product.save()
    assert found("固态") == ["Beta Materials", "Epsilon"]
    product.delete()
    Enterprise.objects.filter(name_en="Beta Materials").delete()
    assert found("固态") == []


def plan_of(text: str) -> str:
    queryset = EnterpriseFilter({"q": text}, Enterprise.objects.all()).qs[:20]
    sql, params = queryset.query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows: ask whether the index CAN serve (see test_text_search.py).
            cursor.execute("DROP INDEX product_enterprise_status, product_category_verified")
            cursor.execute("ANALYZE directory_enterprise, directory_product")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"{explain} {sql}", params)
        return "\n".join(" ".join(str(column) for column in row) for row in cursor.fetchall())


@pytest.mark.parametrize("text", ["固态", "锂"])
def test_a_short_term_reads_the_gram_indexes(city, text):
    plan = plan_of(text)
    if connection.vendor == "sqlite":
        assert "directory_enterprise_grams VIRTUAL TABLE INDEX" in plan
        assert "directory_product_grams VIRTUAL TABLE INDEX" in plan
        assert "SCAN directory_product\n" not in plan + "\n"
    else:
        assert "directory_enterprise_search_grams" in plan
        assert "directory_product_search_grams" in plan
        assert "Seq Scan" not in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables to alter them")
def test_gram_triggers_a_table_rebuild_dropped_come_back_with_a_rebuilt_table(city):
    from directory.search.documents import ensure_sqlite_triggers

    table, content, columns = grams.SQLITE_TABLES[1]
    with connection.cursor() as cursor:
        for trigger in grams.sqlite_triggers(table, content, columns):
            cursor.execute(f"DROP TRIGGER {trigger}")
    firm("辛", "Theta", "锆 powder")  # written while the grams are not kept
    assert ensure_sqlite_triggers(connection) == list(
        grams.sqlite_triggers(table, content, columns)
    )
    assert found("锆") == ["Theta"]
