"""The roll-up of local shares through bills of materials, as pure arithmetic: no Django, no
I/O. A product's local share = Σ local cost / Σ cost over its lines, in percent, rounded
half-up to 0.01 %; a local component linked to a product that has its own bill takes that
product's rolled-up share (as rounded: the figure its own supplier publishes), one linked to
a product without one takes the product's declared share, and an unlinked local component
counts whole. A component from elsewhere in China or abroad counts nothing; direct labour and
factory overhead count their stated local share (TKDN's cost blocks).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

LOCAL = "local"


@dataclass(frozen=True, slots=True)
class Part:
    """One line of a bill: its cost (any unit, the same for the whole bill), where it comes
    from, the stated local share of a cost block (labour, overhead), the linked product."""

    cost: Decimal
    origin: str = LOCAL
    block_share: Decimal | None = None
    component: int | None = None


class CompositionCycle(ValueError):
    """The bills link products in a circle: none of their shares can be computed."""

    def __init__(self, path: Sequence[int]) -> None:
        super().__init__(" → ".join(str(p) for p in path))
        self.path = tuple(path)


class NoCost(ValueError):
    """A bill whose costs sum to nothing has no share."""

    def __init__(self, product: int) -> None:
        super().__init__(str(product))
        self.product = product


def percent_half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def share_of(parts: Sequence[Part], component_share: Mapping[int, Decimal]) -> Decimal:
    """The local share (percent, half-up to 0.01) of one bill, given its linked components'
    shares (a component missing from the mapping counts whole when local)."""
    total = Decimal(0)
    local = Decimal(0)
    for part in parts:
        total += part.cost
        if part.block_share is not None:
            local += part.cost * part.block_share / HUNDRED
        elif part.origin == LOCAL:
            share = HUNDRED
            if part.component is not None:
                share = component_share.get(part.component, HUNDRED)
            local += part.cost * share / HUNDRED
    if total <= 0:
        raise ValueError("no cost")
    return percent_half_up(local * HUNDRED / total)


def roll_up(
    bills: Mapping[int, Sequence[Part]], declared: Mapping[int, Decimal | None]
) -> dict[int, Decimal]:
    """Every billed product's share, components first. `declared` gives the share of linked
    products without a bill of their own (None: none declared, counts whole). Raises
    `CompositionCycle` (with the circle's products) or `NoCost`."""
    shares: dict[int, Decimal] = {}
    known: dict[int, Decimal] = {
        product: (HUNDRED if share is None else share)
        for product, share in declared.items()
        if product not in bills
    }
    on_path: dict[int, int] = {}  # product -> its position on the current path
    for root in bills:
        if root in shares:
            continue
        # An explicit stack (no recursion limit on deep chains): (product, next part index).
        stack: list[list[int]] = [[root, 0]]
        path = [root]
        on_path[root] = 0
        while stack:
            frame = stack[-1]
            product, index = frame
            parts = bills[product]
            if index < len(parts):
                frame[1] += 1
                child = parts[index].component
                if child is None or child not in bills or child in shares:
                    continue
                if child in on_path:
                    raise CompositionCycle([*path[on_path[child] :], child])
                on_path[child] = len(path)
                path.append(child)
                stack.append([child, 0])
                continue
            try:
                shares[product] = share_of(parts, _Lookup(shares, known))
            except ValueError as error:
                raise NoCost(product) from error
            stack.pop()
            path.pop()
            del on_path[product]
    return shares


class _Lookup(Mapping):
    """Rolled-up shares first, then declared ones."""

    def __init__(self, shares: Mapping[int, Decimal], known: Mapping[int, Decimal]) -> None:
        self._shares = shares
        self._known = known

    def __getitem__(self, key: int) -> Decimal:
        if key in self._shares:
            return self._shares[key]
        return self._known[key]

    def __iter__(self):
        yield from self._shares
        yield from self._known

    def __len__(self) -> int:
        return len(self._shares) + len(self._known)
