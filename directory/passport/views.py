"""The battery passport's pages: a listed product's current passport for everybody, with its
history and evidence for its own organisation; the BatteryPass JSON download; the evidence
files for the organisation and officials. Thin views."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from directory.models import PassportVersion
from directory.passport import selectors
from directory.passport.export import passport_export
from directory.passport.services import (
    CHEMISTRY_FIELDS,
    FOOTPRINT_FIELDS,
    PERFORMANCE_FIELDS,
    RECYCLED_FIELDS,
)
from directory.validators import normalise_uscc
from ssb_portal.private_files import document_response
from ssb_portal.roles import is_official

#: The page's sections: a heading and the version's fields shown under it (labels with units).
SECTIONS = [
    (_("Chemistry and materials"), CHEMISTRY_FIELDS),
    (_("Carbon footprint"), FOOTPRINT_FIELDS),
    (_("Recycled content"), RECYCLED_FIELDS),
    (_("Performance and durability"), PERFORMANCE_FIELDS),
]


def _sections(version: PassportVersion | None) -> list[tuple[str, list[tuple[str, object]]]]:
    if version is None:
        return []
    rows = []
    for title, names in SECTIONS:
        fields = [PassportVersion._meta.get_field(name) for name in names]
        values = [
            (
                field.verbose_name,
                getattr(version, f"get_{field.name}_display")()
                if field.choices
                else getattr(version, field.name),
            )
            for field in fields
        ]
        rows.append((title, values))
    return rows


def _visible(request: HttpRequest, uscc: str, product_id: int):
    """(product, current version or None, whether the user is its member)."""
    uscc = normalise_uscc(uscc)
    own = (
        selectors.own_product(user=request.user, uscc=uscc, product_id=product_id)
        if request.user.is_authenticated
        else None
    )
    if own is not None:
        return own, selectors.current_version(own), True
    version = selectors.public_current_version(uscc=uscc, product_id=product_id)
    return version.passport.product, version, False


def passport_page(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    product, version, member = _visible(request, uscc, product_id)
    context = {
        "product": product,
        "enterprise": product.enterprise,
        "version": version,
        "sections": _sections(version),
        "member": member,
        "versions": selectors.versions_of(product) if member else [],
    }
    return render(request, "directory/passport.html", context)


def passport_json(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    product, version, _member = _visible(request, uscc, product_id)
    if version is None:
        raise Http404
    body = json.dumps(passport_export(version), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="battery-passport-{product.pk}-v{version.number}.json"'
    )
    return response


def passport_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """An evidence file, for the product's organisation and officials; 404 for others."""
    document = selectors.document_for_viewer(
        user=request.user, document_id=document_id, official=is_official(request.user)
    )
    return document_response(document)
