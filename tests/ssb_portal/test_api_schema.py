"""The OpenAPI schema and its documentation page, which must work without the internet."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

FILTER_PARAMETERS = {
    "q",
    "category",
    "district",
    "kind",
    "is_local",
    "recommended",
    "certification",
    "ionic_conductivity_min",
    "asr_max",
    "specific_capacity_min",
    "decay_rate_max",
    "coulombic_efficiency_min",
    "weight_reduction_min",
    "ordering",
    "page",
    "page_size",
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_lists_the_directory_search_with_its_filters(schema):
    search = schema["paths"]["/api/v1/enterprises/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in search["parameters"]}

    assert set(parameters) >= FILTER_PARAMETERS
    assert parameters["ionic_conductivity_min"]["schema"]["type"] == "number"
    assert parameters["is_local"]["schema"]["type"] == "boolean"
    assert "IATF 16949" in parameters["certification"]["schema"]["enum"]


def test_schema_lists_every_endpoint(schema):
    assert {
        "/api/v1/enterprises/",
        "/api/v1/enterprises/{uscc}/",
        "/api/v1/enterprises/{uscc}/products/",
        "/api/v1/enterprises/{uscc}/products/{id}/",
        "/api/v1/enterprises/{uscc}/certifications/",
        "/api/v1/enterprises/{uscc}/certifications/{id}/",
        "/api/v1/categories/",
        "/api/v1/districts/",
        "/api/v1/auth/token/",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/enterprises/{uscc}/"]) == {"get", "patch"}
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns any warning (a type that cannot be guessed, ...) into an error.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    assert (tmp_path / "schema.yml").read_text().startswith("openapi:")


def test_docs_are_served_without_any_external_host(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert references, html
    for reference in references:
        assert not re.match(r"^(https?:)?//", reference), reference
        path = reference.split("?")[0]
        if path == "/api/docs/":
            continue  # Swagger UI's own start script, served by the portal (no inline script)
        assert path.startswith("/static/"), reference
        assert finders.find(path.removeprefix("/static/")), f"{path} is not a static file"
    script = client.get("/api/docs/?script=").content.decode()
    assert not re.search(r"https?://(?!testserver)", script), (
        "the start script references an external host"
    )


def test_docs_do_not_call_the_online_validator(client):
    """Swagger UI asks validator.swagger.io about the schema unless validatorUrl is null."""
    script = client.get("/api/docs/?script=").content.decode()

    settings_json = re.search(r"const swaggerSettings = (\{.*?\});", script, re.DOTALL).group(1)
    assert json.loads(settings_json).get("validatorUrl", "default") is None
