"""The shared chart drawer: labelled, escaped SVG without script, and the pieces the apps'
charts are drawn from."""

from decimal import Decimal

import pytest

from ssb_portal import charts


def bars_chart(**kwargs):
    defaults = dict(
        chart_id="b",
        title="Retention <by> university",
        description="One bar & one value per university",
        maximum=100.0,
        value_label="p_retain",
    )
    return charts.horizontal_bars(
        [
            charts.Bar("Univ <a>", Decimal("70.50"), "70.50 %"),
            charts.Bar("Univ b", Decimal("20.00"), "20.00 %"),
            charts.Bar("Univ c", None, "—"),
        ],
        **(defaults | kwargs),
    )


def test_horizontal_bars_are_labelled_for_screen_readers_and_escape_every_word():
    svg = bars_chart()

    assert svg.startswith('<svg class="chart" ')
    assert 'role="img" aria-labelledby="b-title b-desc"' in svg
    assert '<title id="b-title">Retention &lt;by&gt; university</title>' in svg
    assert "One bar &amp; one value" in svg
    assert "Univ &lt;a&gt;" in svg and "<a>" not in svg
    assert "<script" not in svg


def test_horizontal_bars_below_the_target_are_red_and_every_bar_writes_its_value():
    svg = bars_chart(target=Decimal("60"), behind_label="Below", target_label="Target 60 %")

    assert svg.count("<rect x=") == 2  # no bar for the university without graduates
    assert svg.count(f'fill="{charts.BAR_BEHIND}"') == 2  # Univ b and its legend entry
    assert svg.count(f'fill="{charts.BAR}"') == 2  # Univ <a> and its legend entry
    assert ">70.50 %<" in svg and ">20.00 %<" in svg and ">—<" in svg
    assert 'stroke-dasharray="6 4"' in svg and "Target 60 %" in svg


def test_horizontal_bars_without_a_target_have_neither_red_nor_target():
    svg = bars_chart()

    assert charts.BAR_BEHIND not in svg and charts.TARGET not in svg


def test_a_long_label_is_cut_counting_chinese_characters_twice():
    assert charts.shorten("固态电池" * 10, 8) == "固态电池…"
    assert charts.shorten("short", 8) == "short"
    assert charts.text_units("固态 ab") == 7


def test_the_scatter_draws_every_point_and_the_fitted_line_and_escapes_its_labels():
    svg = charts.scatter_with_line(
        [(1.0, 2.0), (2.0, 3.5), (3.0, 2.5)],
        [(1.0, 2.1), (3.0, 3.0)],
        chart_id="p",
        title="Arrhenius <plot>",
        x_label="1000/T & more",
        y_label="ln σ",
        css_class="chart dataset-plot",
    )

    assert svg.startswith('<svg class="chart dataset-plot" ')
    assert svg.count("<circle ") == 3 and svg.count("<path ") == 1
    assert "Arrhenius &lt;plot&gt;" in svg
    assert '<desc id="p-desc">1000/T &amp; more / ln σ: 3</desc>' in svg


def test_a_scatter_of_one_point_still_has_axes():
    svg = charts.scatter_with_line(
        [(1.0, 2.0)], [(1.0, 2.0)], chart_id="p", title="t", x_label="x", y_label="y"
    )

    assert svg.count("<circle ") == 1 and "nan" not in svg


@pytest.mark.parametrize(
    ("largest", "top"),
    [(0, 5.0), (3, 5.0), (7, 10.0), (420, 500.0), (640, 800.0), (1_250_000, 1_500_000.0)],
)
def test_the_value_axis_ends_on_a_round_number(largest, top):
    assert charts.round_top(largest, 5) == top


def test_scales_map_values_to_positions_and_clamp_when_asked():
    y = charts.y_scale(0, 100, 20, 200, clamp=True)
    x = charts.x_scale(0, 10, 50, 100)

    assert (y(0), y(50), y(100), y(-3), y(130)) == (220.0, 120.0, 20.0, 220.0, 20.0)
    assert (x(0), x(5), x(10)) == (50.0, 100.0, 150.0)
