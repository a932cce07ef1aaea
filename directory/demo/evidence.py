"""Measured datasets on the demo SME's products, uploaded by its login and decided by the
demo official through the services: one accepted (the spec is evidence-backed), one that
contradicts its typed spec (flagged), one waiting for review."""

import datetime
import math

from django.core.files.uploadedfile import SimpleUploadedFile

from directory.demo.documents import blank_pdf
from directory.evidence.services import dataset_accept, dataset_upload
from directory.models import DatasetKind, Product

BOLTZMANN_EV = 8.617e-5


def conductivity_csv(sigma_25c: float, activation_ev: float = 0.28) -> bytes:
    """σ(T) from 25 °C to 85 °C, Arrhenius with the given σ at 25 °C."""
    rows = ["Temperature (°C),Ionic conductivity (S/cm)"]
    for celsius in range(25, 90, 10):
        kelvin = celsius + 273.15
        sigma = sigma_25c * math.exp(-activation_ev / BOLTZMANN_EV * (1 / kelvin - 1 / 298.15))
        rows.append(f"{celsius},{sigma:.6g}")
    return ("\n".join(rows) + "\n").encode()


def capacity_csv(initial: float = 180.0, decay_percent: float = 0.02) -> bytes:
    """Discharge and charge capacity every 50 cycles, fading by decay_percent a cycle."""
    rows = ["Cycle,Discharge capacity (mAh/g),Charge capacity (mAh/g)"]
    for cycle in range(1, 502, 50):
        discharge = initial * (1 - decay_percent / 100) ** cycle
        rows.append(f"{cycle},{discharge:.3f},{discharge / 0.998:.3f}")
    return ("\n".join(rows) + "\n").encode()


def _upload(actor, product, kind, content: bytes, name: str, today):
    return dataset_upload(
        actor=actor,
        product=product,
        kind=kind,
        temperature_unit="C" if kind == DatasetKind.CONDUCTIVITY else "",
        lab="市固态电池检测中心 / City SSB test centre",
        method="EIS, blocking electrodes" if kind == DatasetKind.CONDUCTIVITY else "C/3 cycling",
        measured_on=today - datetime.timedelta(days=30),
        data_file=SimpleUploadedFile(name, content, content_type="text/csv"),
        report=SimpleUploadedFile("lab-report.pdf", blank_pdf(), content_type="application/pdf"),
    )


def seed_evidence(*, sme_user, official, enterprise, today) -> int:
    """Three datasets on the enterprise's products; returns how many were uploaded."""
    products = list(Product.objects.filter(enterprise=enterprise).order_by("pk"))
    typed = [product for product in products if product.ionic_conductivity]
    if not products:
        return 0
    backed = typed[0] if typed else products[0]
    accepted = _upload(
        sme_user,
        backed,
        DatasetKind.CONDUCTIVITY,
        conductivity_csv(backed.ionic_conductivity or 5e-3),
        "conductivity-batch-12.csv",
        today,
    )
    dataset_accept(actor=official, dataset=accepted, reason="Matches the lab report.")
    flagged = typed[1] if len(typed) > 1 else backed
    # The data give a third of the typed σ: saved, flagged to the officials, not accepted.
    _upload(
        sme_user,
        flagged,
        DatasetKind.CONDUCTIVITY,
        conductivity_csv((flagged.ionic_conductivity or 5e-3) / 3),
        "conductivity-batch-15.csv",
        today,
    )
    waiting = next((p for p in products if p.decay_rate), products[-1])
    _upload(
        sme_user,
        waiting,
        DatasetKind.CAPACITY,
        capacity_csv(decay_percent=waiting.decay_rate or 0.02),
        "cycling-500.csv",
        today,
    )
    return 3
