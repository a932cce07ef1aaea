"""Measured datasets on the portal: their plots and the evidence shown with a product, a
member attaching data to a product, and the download of a dataset's files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directory import selectors
from directory.evidence import services as evidence_services
from directory.evidence.forms import DatasetForm
from directory.evidence.selectors import dataset_for_viewer, datasets_of_product
from directory.models import DatasetKind, MeasurementDataset, Product
from ssb_portal import measurements
from ssb_portal.exports import EXPORT_CONTENT_TYPES
from ssb_portal.forms import add_service_errors
from ssb_portal.stored_files import open_stored_file


def with_plots(datasets: list[MeasurementDataset]) -> list[MeasurementDataset]:
    """Give each dataset `plot`: an inline SVG of its points and fitted line."""
    for dataset in datasets:
        if dataset.kind == DatasetKind.CONDUCTIVITY:
            labels = {
                "title": _("Arrhenius plot of the measured conductivity"),
                "x_label": _("1000/T (1/K)"),
                "y_label": _("ln σ (σ in S/cm)"),
            }
        else:
            labels = {
                "title": _("Discharge capacity by cycle"),
                "x_label": _("Cycle"),
                "y_label": _("Discharge capacity"),
            }
        try:
            points = measurements.plot_points(dataset.series)
            line = measurements.fitted_line(dataset.series, dataset.fit)
        except (KeyError, ValueError, TypeError):
            dataset.plot = ""
            continue
        dataset.plot = mark_safe(  # safe: plot_svg escapes every text it writes
            measurements.plot_svg(points, line, element_id=f"dataset-{dataset.pk}", **labels)
        )
    return datasets


def evidence_context(product: Product, *, public: bool) -> dict:
    datasets = with_plots(list(datasets_of_product(product, public=public)))
    return {
        "datasets": datasets,
        "typed_conductivity": product.ionic_conductivity,
        "typed_decay_rate": product.decay_rate,
        "tolerance_percent": round(evidence_services.SPEC_CONTRADICTION_TOLERANCE * 100),
    }


@login_required
@require_http_methods(["GET", "POST"])
def dataset_add(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    """A member attaches measured data and the lab report to one of the enterprise's products."""
    product = selectors.product_for_member(user=request.user, uscc=uscc, product_id=product_id)
    form = DatasetForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                dataset = evidence_services.dataset_upload(
                    actor=request.user,
                    product=product,
                    kind=data["kind"],
                    temperature_unit=data["temperature_unit"],
                    lab=data["lab"],
                    method=data["method"],
                    measured_on=data["measured_on"],
                    data_file=data["data_file"],
                    report=data["report"],
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                if dataset.contradicts_spec:
                    messages.warning(
                        request,
                        _("The data are saved, but they contradict the typed spec: %(why)s")
                        % {"why": dataset.contradiction_note},
                    )
                else:
                    messages.success(
                        request,
                        _("The data are saved and fitted; an official will review them."),
                    )
                return redirect(
                    reverse("directory:product_edit", args=[uscc, product.pk]) + "#evidence"
                )
        status = 400
    return render(
        request,
        "directory/dataset_form.html",
        {"enterprise": product.enterprise, "product": product, "form": form},
        status=status,
    )


@login_required
def dataset_download(request: HttpRequest, dataset_id: int, which: str) -> HttpResponse:
    """The data file or the report, for the enterprise's members and officials only."""
    dataset = dataset_for_viewer(user=request.user, dataset_id=dataset_id)
    if which == "report":
        field, name, content_type = dataset.report, dataset.report_name, "application/pdf"
    else:
        field, name = dataset.file, dataset.original_name
        content_type = EXPORT_CONTENT_TYPES.get(dataset.file_format, "application/octet-stream")
    handle = open_stored_file(field)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
