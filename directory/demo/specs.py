"""Random helpers and the technical specs of each category's products, drawn to meet the seed's
target range or not."""

import math
import random
from decimal import Decimal

# --- random helpers -----------------------------------------------------------------------------


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def significant(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def price(rng: random.Random, low: float, high: float) -> Decimal:
    """A price in CNY/kg with two decimals."""
    return Decimal(f"{log_uniform(rng, low, high):.2f}")


# --- specs by category: each returns the product's spec fields --------------------------------
# `meets` asks for a product that meets the seed's target (table of suggestion 1).


def sulfide_specs(rng: random.Random, meets: bool) -> dict:
    sigma = log_uniform(rng, 1.01e-2, 2.5e-2) if meets else log_uniform(rng, 1e-3, 9.9e-3)
    return {"ionic_conductivity": significant(sigma), "price": price(rng, 1_500, 12_000)}


def oxide_specs(rng: random.Random, meets: bool) -> dict:
    asr = rng.uniform(5, 9.9) if meets else rng.uniform(10.1, 60)
    return {
        "asr": round(asr, 1),
        "ionic_conductivity": significant(log_uniform(rng, 1e-4, 1.5e-3)),
        "price": price(rng, 300, 3_000),
    }


def polymer_specs(rng: random.Random, meets: bool) -> dict:
    return {
        "ionic_conductivity": significant(log_uniform(rng, 1e-5, 5e-4)),
        "price": price(rng, 200, 1_500),
    }


def halide_specs(rng: random.Random, meets: bool) -> dict:
    return {
        "ionic_conductivity": significant(log_uniform(rng, 3e-4, 3e-3)),
        "price": price(rng, 3_000, 20_000),
    }


def li_rich_specs(rng: random.Random, meets: bool) -> dict:
    if meets:
        capacity, decay = rng.uniform(300.5, 320), rng.uniform(0.02, 0.049)
    else:
        capacity, decay = rng.uniform(220, 320), rng.uniform(0.02, 0.2)
        if capacity > 300 and decay < 0.05:
            decay = rng.uniform(0.05, 0.2)
    return {
        "specific_capacity": round(capacity, 1),
        "decay_rate": round(decay, 3),
        "price": price(rng, 80, 300),
    }


def high_nickel_specs(rng: random.Random, meets: bool) -> dict:
    return {
        "specific_capacity": round(rng.uniform(195, 228), 1),
        "decay_rate": round(rng.uniform(0.02, 0.12), 3),
        "price": price(rng, 150, 350),
    }


def lithium_metal_specs(rng: random.Random, meets: bool) -> dict:
    if meets:
        efficiency, cycles = rng.uniform(99.51, 99.8), rng.randrange(500, 801, 50)
    else:
        efficiency, cycles = rng.uniform(98.5, 99.8), rng.randrange(200, 801, 50)
        if efficiency > 99.5 and cycles >= 500:
            cycles = rng.randrange(200, 451, 50)
    return {
        "coulombic_efficiency": round(efficiency, 2),
        "coulombic_efficiency_cycles": cycles,
        "price": price(rng, 800, 4_000),
    }


def silicon_carbon_specs(rng: random.Random, meets: bool) -> dict:
    return {
        "specific_capacity": round(rng.uniform(450, 1_800), 1),
        "decay_rate": round(rng.uniform(0.03, 0.15), 3),
        "price": price(rng, 100, 600),
    }


def collector_specs(rng: random.Random, meets: bool) -> dict:
    reduction = rng.uniform(40.1, 60) if meets else rng.uniform(20, 40)
    return {"weight_reduction": round(reduction, 1), "price": price(rng, 80, 400)}


def binder_specs(rng: random.Random, meets: bool) -> dict:
    return {"price": price(rng, 150, 800)}


def conductive_agent_specs(rng: random.Random, meets: bool) -> dict:
    return {"price": price(rng, 50, 600)}


def no_specs(rng: random.Random, meets: bool) -> dict:
    return {}


# Local assemblers buy part of the value elsewhere: (chance the share is given, low, high) %.
LOCAL_CONTENT = {"pack-bms": (0.6, 20, 60), "cell-manufacturing": (0.3, 50, 90)}


def draw_local_content(rng: random.Random, slug: str) -> Decimal | None:
    chance, low, high = LOCAL_CONTENT[slug]
    return Decimal(f"{rng.uniform(low, high):.2f}") if rng.random() < chance else None


SPECS = {
    "sulfide-electrolyte": sulfide_specs,
    "oxide-electrolyte": oxide_specs,
    "polymer-electrolyte": polymer_specs,
    "halide-electrolyte": halide_specs,
    "li-rich-mn-cathode": li_rich_specs,
    "high-nickel-cathode": high_nickel_specs,
    "lithium-metal-anode": lithium_metal_specs,
    "silicon-carbon-anode": silicon_carbon_specs,
    "composite-current-collector": collector_specs,
    "dry-process-binder": binder_specs,
    "conductive-agent": conductive_agent_specs,
}
