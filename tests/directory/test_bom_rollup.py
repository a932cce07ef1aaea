"""The roll-up of local shares through bills of materials, as pure arithmetic."""

from decimal import Decimal

import pytest

from directory.composition.rollup import CompositionCycle, NoCost, Part, roll_up, share_of

D = Decimal


def test_share_is_local_cost_over_cost_rounded_half_up_to_the_hundredth():
    # 1/3 local: 33.333... -> 33.33; 2/3: 66.666... -> 66.67
    assert share_of([Part(D(1)), Part(D(2), "abroad")], {}) == D("33.33")
    assert share_of([Part(D(2)), Part(D(1), "china")], {}) == D("66.67")
    # exactly half a hundredth rounds up: 1/800 = 0.125 % -> 0.13
    assert share_of([Part(D(1)), Part(D(799), "abroad")], {}) == D("0.13")


def test_labour_and_overhead_count_their_stated_local_share():
    parts = [Part(D(60), "abroad"), Part(D(30), block_share=D(90)), Part(D(10), block_share=D(50))]
    assert share_of(parts, {}) == D("32.00")


def test_three_tiers_multiply_in_and_a_linked_product_without_a_bill_counts_as_declared():
    bills = {
        # cathode maker: everything imported
        3: [Part(D(100), "abroad")],
        # cell maker: 40 % cathode (linked, local origin) + 60 % local work
        2: [Part(D(40), component=3), Part(D(60), block_share=D(100))],
        # pack maker: 70 % cells (linked) + 20 % a declared-only local housing + 10 % labour
        1: [Part(D(70), component=2), Part(D(20), component=9), Part(D(10), block_share=D(100))],
    }
    shares = roll_up(bills, {9: D("50.00")})
    assert shares == {3: D("0.00"), 2: D("60.00"), 1: D("62.00")}


def test_a_linked_product_with_no_declared_share_counts_whole_when_local():
    assert roll_up({1: [Part(D(1), component=5), Part(D(1), "abroad")]}, {5: None}) == {
        1: D("50.00")
    }


def test_a_component_from_abroad_counts_nothing_even_if_linked_to_a_local_share():
    bills = {2: [Part(D(1))], 1: [Part(D(1), "abroad", component=2)]}
    assert roll_up(bills, {})[1] == D("0.00")


def test_parents_use_the_childs_rounded_share():
    bills = {2: [Part(D(1)), Part(D(2), "abroad")], 1: [Part(D(100), component=2)]}
    assert roll_up(bills, {}) == {2: D("33.33"), 1: D("33.33")}


def test_a_cycle_is_refused_with_the_products_in_it():
    bills = {
        1: [Part(D(1), component=2)],
        2: [Part(D(1), component=3)],
        3: [Part(D(1), component=1)],
    }
    with pytest.raises(CompositionCycle) as refused:
        roll_up(bills, {})
    assert refused.value.path == (1, 2, 3, 1)


def test_a_self_link_is_a_cycle():
    with pytest.raises(CompositionCycle):
        roll_up({1: [Part(D(1), component=1)]}, {})


def test_a_bill_without_cost_is_refused():
    with pytest.raises(NoCost):
        roll_up({1: [Part(D(0))]}, {})


def test_a_long_chain_needs_no_recursion():
    bills = {n: [Part(D(1), component=n + 1), Part(D(1), "abroad")] for n in range(5000)}
    bills[5000] = [Part(D(1))]
    assert roll_up(bills, {})[4999] == D("50.00")
