"""Reads of the battery passport: the current version anybody who may see the product sees,
and the whole history its own organisation sees."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from directory import selectors
from directory.models import PassportDocument, PassportVersion, Product


def _versions() -> QuerySet[PassportVersion]:
    return PassportVersion.objects.select_related(
        "passport__product__enterprise", "created_by"
    ).prefetch_related(
        Prefetch("documents", queryset=PassportDocument.objects.order_by("kind", "pk"))
    )


def current_version(product: Product) -> PassportVersion | None:
    """The product's current passport version with what the export reads, or None."""
    return _versions().filter(current_of__product=product).first()


def public_current_version(*, uscc: str, product_id: int) -> PassportVersion:
    """The current version of a listed product's passport; 404 when there is none."""
    product = selectors.product_public(uscc=uscc, product_id=product_id)
    version = current_version(product)
    if version is None:
        raise Http404
    return version


def member_product(*, user: AbstractBaseUser, uscc: str, product_id: int) -> Product:
    """The product if the user belongs to its organisation; 404 for everybody else."""
    if not user.is_authenticated:
        raise Http404
    return selectors.product_for_member(user=user, uscc=uscc, product_id=product_id)


def versions_of(product: Product) -> list[PassportVersion]:
    """Every version, newest first."""
    return list(_versions().filter(passport__product=product).order_by("-number"))


def document_for_viewer(
    *, user: AbstractBaseUser, document_id: int, official: bool
) -> PassportDocument:
    """An evidence file its organisation's members and officials may download; 404 else."""
    documents = PassportDocument.objects.select_related("passport__product")
    if not official:
        if not user.is_authenticated:
            raise Http404
        documents = documents.filter(passport__product__enterprise__memberships__user=user)
    return get_object_or_404(documents, pk=document_id)


def own_product(*, user: AbstractBaseUser, uscc: str, product_id: int) -> Product | None:
    """The product if the user belongs to its organisation, else None (no 404 yet)."""
    return (
        Product.objects.filter(
            enterprise__memberships__user=user, enterprise__uscc=uscc, pk=product_id
        )
        .select_related("enterprise")
        .first()
    )


def current_version_or_404(product: Product) -> PassportVersion:
    version = current_version(product)
    if version is None:
        raise Http404
    return version


def evidence_of(product: Product) -> QuerySet[PassportDocument]:
    """The evidence files kept with the product's passport, by kind."""
    return PassportDocument.objects.filter(passport__product=product).order_by("kind", "pk")
