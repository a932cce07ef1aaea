"""The battery passport's pages: a listed product's current passport for everybody, with its
history and evidence for its own organisation; the organisation's forms to add a version and to
make an older one current again; the BatteryPass JSON download; the evidence files for the
organisation and officials. Thin views."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from directory.models import PassportVersion, Product
from directory.passport import selectors
from directory.passport.export import passport_export
from directory.passport.forms import PassportVersionForm, SetCurrentForm, initial_from
from directory.passport.services import (
    CHEMISTRY_FIELDS,
    FOOTPRINT_FIELDS,
    PERFORMANCE_FIELDS,
    RECYCLED_FIELDS,
    passport_set_current,
    passport_version_create,
)
from directory.validators import normalise_uscc
from ssb_portal.forms import add_service_errors
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


def _page_context(
    product: Product,
    version: PassportVersion | None,
    *,
    member: bool,
    current_form: SetCurrentForm | None = None,
) -> dict:
    return {
        "product": product,
        "enterprise": product.enterprise,
        "version": version,
        "sections": _sections(version),
        "member": member,
        "versions": selectors.versions_of(product) if member else [],
        "current_form": current_form or SetCurrentForm(),
    }


def passport_page(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    product, version, member = _visible(request, uscc, product_id)
    return render(
        request, "directory/passport.html", _page_context(product, version, member=member)
    )


def _member_product(request: HttpRequest, uscc: str, product_id: int) -> Product:
    return selectors.member_product(
        user=request.user, uscc=normalise_uscc(uscc), product_id=product_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def passport_version_add(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    """A member adds a version, starting from the current one's figures."""
    product = _member_product(request, uscc, product_id)
    form = PassportVersionForm(
        request.POST or None,
        request.FILES or None,
        documents=selectors.evidence_of(product),
        initial=initial_from(selectors.current_version(product)),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = passport_version_create(
                    actor=request.user, product=product, **form.service_arguments()
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                messages.success(
                    request,
                    gettext("Version %(number)s of the battery passport is saved and current.")
                    % {"number": version.number},
                )
                return redirect("directory:passport", product.enterprise.uscc, product.pk)
        status = 400
    groups = [(title, [form[name] for name in names]) for title, names in SECTIONS]
    return render(
        request,
        "directory/passport_version_form.html",
        {"product": product, "enterprise": product.enterprise, "form": form, "groups": groups},
        status=status,
    )


@login_required
@require_POST
def passport_make_current(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    """A member makes an older version current again, saying why."""
    product = _member_product(request, uscc, product_id)
    form = SetCurrentForm(request.POST)
    if form.is_valid():
        try:
            passport_set_current(actor=request.user, product=product, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                gettext("Version %(number)s of the battery passport is current again.")
                % {"number": form.cleaned_data["number"]},
            )
            return redirect("directory:passport", product.enterprise.uscc, product.pk)
    context = _page_context(
        product, selectors.current_version(product), member=True, current_form=form
    )
    return render(request, "directory/passport.html", context, status=400)


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
