"""The LCOS and drone flight-time calculators, as pages and through the API.

Worked example (r = 10 %, two years; multiply through by 1.1² = 1.21 to check by hand):
solid-state: capital 1,000, O&M 100 and 100, replacement 0 and 50, energy 1,000 kWh a year:
  costs × 1.21 = 1,210 + 110 + 150 = 1,470; energy × 1.21 = 1,100 + 1,000 = 2,100;
  LCOS = 1,470 / 2,100 = 0.7000 CNY/kWh.
incumbent: capital 500, O&M 200 and 200, no replacement, the same energy:
  costs × 1.21 = 605 + 220 + 200 = 1,025; LCOS = 1,025 / 2,100 = 0.48809… → 0.4881 CNY/kWh.
Difference 0.7000 − 0.4881 = 0.2119 CNY/kWh, 0.2119 / 0.4881 = 43.41 %.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LCOS_API = "/api/v1/calculators/lcos/"
DRONE_API = "/api/v1/calculators/drone-flight-time/"


def lcos_payload(**changes):
    payload = {
        "discount_rate": "0.10",
        "solid_state": {
            "capital_cost_cny": "1000",
            "om_costs_cny": ["100", "100"],
            "replacement_costs_cny": ["0", "50"],
            "energy_discharged_kwh": ["1000", "1000"],
        },
        "incumbent": {
            "capital_cost_cny": "500",
            "om_costs_cny": ["200", "200"],
            "replacement_costs_cny": ["0", "0"],
            "energy_discharged_kwh": [1000, 1000],
        },
    }
    for key, value in changes.items():
        if key in ("solid_state", "incumbent"):
            payload[key] = {**payload[key], **value}
        else:
            payload[key] = value
    return payload


def lcos_query(**changes):
    query = {
        "discount_rate": "0.10",
        "ssb_capital_cost_cny": "1000",
        "ssb_om_costs_cny": "100, 100",
        "ssb_replacement_costs_cny": "0, 50",
        "ssb_energy_discharged_kwh": "1000 1000",
        "incumbent_capital_cost_cny": "500",
        "incumbent_om_costs_cny": "200, 200",
        "incumbent_replacement_costs_cny": "0, 0",
        "incumbent_energy_discharged_kwh": "1000, 1000",
    }
    query.update(changes)
    return query


# --- LCOS ------------------------------------------------------------------------------------


def test_lcos_api_gives_both_systems_and_the_difference(api_client):
    response = api_client.post(LCOS_API, lcos_payload(), format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "solid_state_cny_per_kwh": "0.7000",
        "incumbent_cny_per_kwh": "0.4881",
        "difference_cny_per_kwh": "0.2119",
        "difference_percent": "43.41",
        "solid_state_years": 2,
        "incumbent_years": 2,
        "unit": "CNY/kWh",
    }


def test_lcos_page_shows_the_worked_example_with_units(client):
    response = client.get(reverse("alliance:calculator_lcos"), lcos_query())

    assert response.status_code == 200
    text = response.content.decode()
    assert "0.7000 CNY/kWh" in text
    assert "0.4881 CNY/kWh" in text
    assert "0.2119 CNY/kWh" in text
    assert "The incumbent system stores energy more cheaply" in text


def test_empty_lcos_page_shows_the_form_without_errors(client):
    response = client.get(reverse("alliance:calculator_lcos"))

    assert response.status_code == 200
    assert "Please correct the marked fields" not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"solid_state": {"om_costs_cny": ["100"]}}, ("solid_state", "om_costs_cny")),
        (
            {"incumbent": {"replacement_costs_cny": ["0", "0", "0"]}},
            ("incumbent", "replacement_costs_cny"),
        ),
        ({"discount_rate": "-1"}, ("discount_rate",)),
        ({"discount_rate": "-1.5"}, ("discount_rate",)),
        ({"discount_rate": "abc"}, ("discount_rate",)),
        ({"solid_state": {"om_costs_cny": ["100", "-1"]}}, ("solid_state", "om_costs_cny")),
        ({"solid_state": {"om_costs_cny": ["100", "x"]}}, ("solid_state", "om_costs_cny")),
        ({"solid_state": {"om_costs_cny": "100"}}, ("solid_state", "om_costs_cny")),
        ({"solid_state": {"om_costs_cny": []}}, ("solid_state", "om_costs_cny")),
        (
            {"solid_state": {"energy_discharged_kwh": ["0", "0"]}},
            ("solid_state", "energy_discharged_kwh"),
        ),
        ({"incumbent": {"capital_cost_cny": "-5"}}, ("incumbent", "capital_cost_cny")),
        ({"solid_state": {"capital_cost_cny": "NaN"}}, ("solid_state", "capital_cost_cny")),
        ({"extra": 1}, ("extra",)),
    ],
)
def test_lcos_api_names_the_wrong_field(api_client, changes, field):
    response = api_client.post(LCOS_API, lcos_payload(**changes), format="json")

    assert response.status_code == 400
    errors = response.json()
    for key in field:
        assert key in errors, errors
        errors = errors[key]


def test_lcos_api_requires_the_incumbent(api_client):
    payload = lcos_payload()
    del payload["incumbent"]

    response = api_client.post(LCOS_API, payload, format="json")

    assert response.status_code == 400
    assert "incumbent" in response.json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ssb_om_costs_cny": "100"}, "ssb_om_costs_cny"),
        ({"incumbent_energy_discharged_kwh": "1000, 1000, 1000"}, "incumbent_om_costs_cny"),
        ({"discount_rate": "-1"}, "discount_rate"),
        ({"ssb_replacement_costs_cny": "0, ten"}, "ssb_replacement_costs_cny"),
        ({"ssb_energy_discharged_kwh": "0, 0"}, "ssb_energy_discharged_kwh"),
        ({"incumbent_capital_cost_cny": ""}, "incumbent_capital_cost_cny"),
    ],
)
def test_lcos_page_names_the_wrong_field(client, changes, field):
    response = client.get(reverse("alliance:calculator_lcos"), lcos_query(**changes))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "CNY/kWh</dd>" not in response.content.decode()


# --- drone flight time ------------------------------------------------------------------------


def test_drone_api_gives_flight_time_and_specific_energy(api_client):
    # T = 0.9 × 500 Wh / 300 W = 1.5 h = 90 min; 500 Wh / 1.2 kg = 416.67 Wh/kg > 400.
    response = api_client.post(
        DRONE_API,
        {
            "system_efficiency": "0.9",
            "pack_energy_wh": "500",
            "average_power_w": "300",
            "pack_mass_kg": "1.2",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "flight_time_h": 1.5,
        "flight_time_min": 90.0,
        "specific_energy_wh_per_kg": "416.67",
        "target_wh_per_kg": 400,
        "meets_specific_energy_target": True,
    }


def test_drone_without_pack_mass_gives_no_specific_energy(api_client):
    response = api_client.post(
        DRONE_API,
        {"system_efficiency": "0.8", "pack_energy_wh": "300", "average_power_w": "400"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["flight_time_min"] == 36.0
    assert response.json()["specific_energy_wh_per_kg"] is None
    assert response.json()["meets_specific_energy_target"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"average_power_w": "0"}, "average_power_w"),
        ({"average_power_w": "-10"}, "average_power_w"),
        ({"system_efficiency": "1.01"}, "system_efficiency"),
        ({"system_efficiency": "0"}, "system_efficiency"),
        ({"pack_energy_wh": "-1"}, "pack_energy_wh"),
        ({"pack_mass_kg": "0"}, "pack_mass_kg"),
        ({"pack_energy_wh": "lots"}, "pack_energy_wh"),
    ],
)
def test_drone_bad_input_names_the_field(api_client, client, changes, field):
    data = {
        "system_efficiency": "0.9",
        "pack_energy_wh": "500",
        "average_power_w": "300",
        "pack_mass_kg": "1.5",
        **changes,
    }

    response = api_client.post(DRONE_API, data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]

    page = client.get(reverse("alliance:calculator_drone"), data)
    assert page.status_code == 400
    assert list(page.context["form"].errors) == [field]


def test_drone_page_shows_minutes_and_the_target_verdict(client):
    response = client.get(
        reverse("alliance:calculator_drone"),
        {
            "system_efficiency": "0.9",
            "pack_energy_wh": "500",
            "average_power_w": "300",
            "pack_mass_kg": "1.5",
        },
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "90.0 min" in text
    assert "333.33 Wh/kg" in text
    assert "Below the target" in text
