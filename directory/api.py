"""The directory's REST API: thin views that parse input, call one service or selector, render.

Reads are public (verified listings only); the members of an enterprise also see and change
their own listing. Whatever a user may not change answers 404, as if it did not exist.
"""

import math
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.validators import UniqueValidator

from directory import selectors
from directory.access import enterprise_for_member, enterprises_of_member
from directory.filters import EnterpriseFilter
from directory.models import (
    Certification,
    District,
    Enterprise,
    Product,
    SupplyCategory,
)
from directory.search.counts import CappedCountPagination
from directory.services.enterprises import (
    ENTERPRISE_EDITABLE_FIELDS,
    enterprise_register,
    enterprise_update,
)
from directory.services.products import (
    CERTIFICATION_EDITABLE_FIELDS,
    PRODUCT_EDITABLE_FIELDS,
    certification_add,
    certification_delete,
    product_create,
    product_delete,
    product_update,
)
from directory.validators import normalise_uscc, validate_uscc
from ssb_portal.api import INVALID
from ssb_portal.client_address import client_address
from ssb_portal.login_protection import LoginLockedOut

PENDING_CHANGES_SCHEMA = {
    "type": "object",
    "nullable": True,
    "additionalProperties": {},
    "description": _(
        "Edits waiting for an official's verification (the public still sees the verified "
        "values); null when there are none. Shown only to the enterprise's members."
    ),
}


# --- fields --------------------------------------------------------------------------------


class EnterpriseCodeField(serializers.SlugRelatedField):
    """An enterprise named by its USCC, as users paste it (spaces dropped, capitals)."""

    default_error_messages = {
        "does_not_exist": _("No enterprise is registered with this code."),
        "invalid": _("Enter an enterprise's unified social credit code."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Enterprise.objects.all())
        super().__init__(slug_field="uscc", **kwargs)

    def to_internal_value(self, data: Any) -> Enterprise:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(normalise_uscc(data))


class UsccField(serializers.CharField):
    """A USCC as users paste it: spaces dropped, capitals, then checked (GB 32100-2015)."""

    def to_internal_value(self, data: Any) -> str:
        return normalise_uscc(super().to_internal_value(data))


class FiniteFloatField(serializers.FloatField):
    """A float that is a real number: NaN and infinity are no measurements."""

    default_error_messages = {"not_finite": _("Enter a finite number.")}

    def to_internal_value(self, data: Any) -> float:
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("not_finite")
        return value


def _category_slugs(context: dict) -> dict[int, str]:
    """pk -> slug of every category in display order, read once per response (it is small)."""
    if "category_slugs" not in context:
        context["category_slugs"] = dict(
            SupplyCategory.objects.order_by("sort_order", "slug").values_list("pk", "slug")
        )
    return context["category_slugs"]


def _readable_changes(changes: dict | None, context: dict) -> dict | None:
    """Pending changes keep primary keys; the API speaks district codes and category slugs."""
    if not changes:
        return None
    readable = dict(changes)
    if "district" in readable:
        readable["district"] = (
            District.objects.filter(pk=readable["district"]).values_list("code", flat=True).first()
        )
    if "categories" in readable:
        chosen = set(readable["categories"])
        readable["categories"] = [
            slug for pk, slug in _category_slugs(context).items() if pk in chosen
        ]
    if "category" in readable:
        readable["category"] = _category_slugs(context).get(readable["category"])
    return readable


# --- output --------------------------------------------------------------------------------


class ProductSerializer(serializers.ModelSerializer):
    """A product as listed: specs in canonical units, null where not given."""

    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Product
        fields = (
            "id",
            "name",
            "category",
            "description",
            "ionic_conductivity",
            "asr",
            "specific_capacity",
            "decay_rate",
            "coulombic_efficiency",
            "coulombic_efficiency_cycles",
            "weight_reduction",
            "local_content_share",
            "price",
        )
        read_only_fields = fields


class ProductDetailSerializer(ProductSerializer):
    """A product with its listing status; members also see the edits awaiting verification."""

    pending_changes = serializers.SerializerMethodField()

    class Meta(ProductSerializer.Meta):
        fields = (*ProductSerializer.Meta.fields, "status", "pending_changes")
        read_only_fields = fields

    @extend_schema_field(PENDING_CHANGES_SCHEMA)
    def get_pending_changes(self, product: Product) -> dict | None:
        if not self.context.get("member"):
            return None
        return _readable_changes(product.pending_changes, self.context)


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ("id", "scheme", "number", "issuer", "valid_until")
        read_only_fields = fields


class CertificationDetailSerializer(CertificationSerializer):
    is_valid = serializers.BooleanField(read_only=True)

    class Meta(CertificationSerializer.Meta):
        fields = (*CertificationSerializer.Meta.fields, "is_valid")
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    """A verified enterprise as the directory lists it."""

    # Expects an enterprise from selectors.with_public_details (valid_certifications,
    # public_products prefetched).

    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district_name_zh = serializers.CharField(source="district.name_zh", read_only=True)
    district_name_en = serializers.CharField(source="district.name_en", read_only=True)
    is_local = serializers.BooleanField(source="district.is_local", read_only=True)
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    certifications = CertificationSerializer(
        source="valid_certifications",
        many=True,
        read_only=True,
        help_text=_("Certifications that have not expired."),
    )
    products = ProductSerializer(
        source="public_products",
        many=True,
        read_only=True,
        help_text=_("Verified products."),
    )

    class Meta:
        model = Enterprise
        fields = (
            "uscc",
            "name_zh",
            "name_en",
            "kind",
            "status",
            "recommended",
            "district",
            "district_name_zh",
            "district_name_en",
            "is_local",
            "categories",
            "certifications",
            "products",
            "address",
            "contact_person",
            "phone",
            "email",
            "website",
            "employees",
            "annual_capacity",
            "capacity_unit",
            "verified_at",
        )
        read_only_fields = fields


class EnterpriseDetailSerializer(EnterpriseSerializer):
    """One listing; its members also see the edits that wait for verification."""

    pending_changes = serializers.SerializerMethodField()

    class Meta(EnterpriseSerializer.Meta):
        fields = (*EnterpriseSerializer.Meta.fields, "pending_changes")
        read_only_fields = fields

    @extend_schema_field(PENDING_CHANGES_SCHEMA)
    def get_pending_changes(self, enterprise: Enterprise) -> dict | None:
        if not self.context.get("member"):
            return None
        return _readable_changes(enterprise.pending_changes, self.context)


class CategoryChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplyCategory
        fields = ("slug", "name_zh", "name_en")
        read_only_fields = fields


class CategorySerializer(CategoryChildSerializer):
    children = CategoryChildSerializer(many=True, read_only=True)

    class Meta(CategoryChildSerializer.Meta):
        fields = (*CategoryChildSerializer.Meta.fields, "children")
        read_only_fields = fields


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ("code", "name_zh", "name_en", "is_local")
        read_only_fields = fields


# --- input ---------------------------------------------------------------------------------


class EnterpriseUpdateSerializer(serializers.ModelSerializer):
    """The profile fields members may change; the code (USCC) never changes."""

    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        help_text=_("A district code, see /api/v1/districts/."),
    )
    categories = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        queryset=SupplyCategory.objects.all(),
        required=False,
        help_text=_("Category slugs, see /api/v1/categories/."),
    )

    class Meta:
        model = Enterprise
        fields = (*ENTERPRISE_EDITABLE_FIELDS, "categories")


class EnterpriseRegisterSerializer(EnterpriseUpdateSerializer):
    """A new enterprise, to be verified by an official."""

    uscc = UsccField(
        help_text=_("Unified social credit code: 18 characters, as on the business licence."),
        validators=[
            validate_uscc,
            UniqueValidator(
                queryset=Enterprise.objects.all(),
                message=_("An enterprise with this code is registered already."),
            ),
        ],
    )

    class Meta(EnterpriseUpdateSerializer.Meta):
        fields = ("uscc", *EnterpriseUpdateSerializer.Meta.fields)


class ProductWriteSerializer(serializers.ModelSerializer):
    """A product and its specs, in the units named beside each; leave out what you do not know."""

    # Floats must be finite; the bounds come from the model's field validators, so that a value
    # out of range is reported under its own name rather than as a violated constraint.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FloatField: FiniteFloatField,
    }
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=SupplyCategory.objects.all(),
        help_text=_("A category slug, see /api/v1/categories/."),
    )

    class Meta:
        model = Product
        fields = PRODUCT_EDITABLE_FIELDS


class CertificationWriteSerializer(serializers.ModelSerializer):
    """A certificate: its standard, number, issuer and expiry date."""

    class Meta:
        model = Certification
        fields = CERTIFICATION_EDITABLE_FIELDS


# --- views ---------------------------------------------------------------------------------

USCC_PARAMETER = OpenApiParameter(
    "uscc",
    str,
    OpenApiParameter.PATH,
    description=_("The enterprise's unified social credit code."),
)
BAD_FILTER = OpenApiResponse(
    description=_("A filter value is invalid; the errors are listed under the parameter's name.")
)
NOT_FOUND_OR_NOT_YOURS = OpenApiResponse(
    description=_("No such enterprise, or you are not one of its members.")
)


class TokenThrottle(AnonRateThrottle):
    """At most 20 token requests a minute per client address, counted in the shared cache.

    The address is REMOTE_ADDR unless proxies of ours are configured (TRUSTED_PROXY_COUNT):
    a client's own X-Forwarded-For does not make it somebody else.
    """

    rate = "20/minute"

    def get_ident(self, request):
        return client_address(request) or ""


@extend_schema(
    tags=["auth"],
    summary=_("Get an API token"),
    description=_(
        "For ERP systems and scripts: post a username and password, then send "
        "`Authorization: Token <key>` with every request."
    ),
    responses={
        200: inline_serializer("AuthTokenKey", {"token": serializers.CharField()}),
        400: INVALID,
    },
)
class TokenObtainView(ObtainAuthToken):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    def post(self, request, *args, **kwargs):
        # Axes counts each failure against the username and the client address and refuses
        # (even the right password) while either is locked out: answer 429 with the wait.
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise LoginLockedOut(request) from None
            raise


class DirectoryViewSet(viewsets.GenericViewSet):
    """Reads for everybody; writes for members, whose own listing is found by its code."""

    # Token first, so that a request without credentials is told to bring a token (401).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]

    def member_enterprise(self, uscc: str) -> Enterprise | None:
        """The user's own enterprise with everything a listing shows, or None."""
        if not self.request.user.is_authenticated:
            return None
        return (
            selectors.with_public_details(enterprises_of_member(self.request.user))
            .filter(uscc=normalise_uscc(uscc))
            .first()
        )

    def member_context(self) -> dict:
        return {**self.get_serializer_context(), "member": True}


class DirectorySearchBackend(DjangoFilterBackend):
    """The directory search as django-filter's backend does it (a bad value answers 400): the
    enterprises with what a listing shows, only their products meeting the thresholds asked."""

    def valid_search(self, request: Request, queryset, view) -> EnterpriseFilter:
        search = self.get_filterset(request, queryset, view)
        if not search.is_valid():
            raise translate_validation(search.errors)
        return search

    def filter_queryset(self, request: Request, queryset, view):
        return self.valid_search(request, queryset, view).results()


@extend_schema(tags=["enterprises"])
class EnterpriseViewSet(DirectoryViewSet):
    """The supplier directory: verified enterprises, searchable by category, place and specs."""

    lookup_field = "uscc"
    filterset_class = EnterpriseFilter
    serializer_class = EnterpriseSerializer
    pagination_class = CappedCountPagination

    filter_backends = [DirectorySearchBackend]

    def get_queryset(self):
        return selectors.enterprises_public()

    def member_detail(self, enterprise: Enterprise) -> dict:
        enterprise = selectors.with_public_details(enterprises_of_member(self.request.user)).get(
            pk=enterprise.pk
        )
        return EnterpriseDetailSerializer(enterprise, context=self.member_context()).data

    @extend_schema(
        summary=_("Search the directory"),
        description=_(
            "Verified enterprises, ordered by name (a text search: those found by their own name "
            "first). Spec thresholds apply to one product: an enterprise matches when one of its "
            "verified products meets all of them. The count stops at 1,000 (`count_capped`). "
            "An invalid filter value answers 400 with the error under the parameter's name."
        ),
        responses={200: EnterpriseSerializer(many=True), 400: BAD_FILTER},
    )
    def list(self, request: Request) -> Response:
        # Rendered from values() rows; imported here as it reads this module's serializers.
        from directory.api_list import enterprise_list_output, enterprise_list_rows

        search = DirectorySearchBackend().valid_search(request, self.get_queryset(), self)
        page = self.paginate_queryset(enterprise_list_rows(search.qs))
        rows = enterprise_list_output(page, products=search.products_meeting())
        return self.get_paginated_response(rows)

    @extend_schema(
        summary=_("An enterprise's public profile"),
        description=_(
            "Verified enterprises only; the enterprise's members also see it before "
            "verification, with the changes that wait for it."
        ),
        responses=EnterpriseDetailSerializer,
    )
    def retrieve(self, request: Request, uscc: str) -> Response:
        own = self.member_enterprise(uscc)
        if own is not None:
            return Response(EnterpriseDetailSerializer(own, context=self.member_context()).data)
        enterprise = selectors.enterprise_public_detail(uscc=normalise_uscc(uscc))
        return Response(
            EnterpriseDetailSerializer(enterprise, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary=_("Register an enterprise"),
        description=_(
            "The enterprise waits for verification by an official; you become its administrator."
        ),
        request=EnterpriseRegisterSerializer,
        responses={201: EnterpriseDetailSerializer, 400: INVALID},
    )
    def create(self, request: Request) -> Response:
        serializer = EnterpriseRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        categories = data.pop("categories", [])
        enterprise = enterprise_register(actor=request.user, data=data, categories=categories)
        location = reverse("api:enterprise-detail", args=[enterprise.uscc])
        return Response(
            self.member_detail(enterprise),
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(
        summary=_("Change your enterprise's profile"),
        description=_(
            "Members only. Before verification the change is live at once; the edits of a "
            "verified enterprise wait in `pending_changes` for an official's verification."
        ),
        request=EnterpriseUpdateSerializer,
        responses={200: EnterpriseDetailSerializer, 400: INVALID, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def partial_update(self, request: Request, uscc: str) -> Response:
        enterprise = enterprise_for_member(user=request.user, uscc=normalise_uscc(uscc))
        serializer = EnterpriseUpdateSerializer(enterprise, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        categories = data.pop("categories", None)
        enterprise = enterprise_update(
            actor=request.user, enterprise=enterprise, data=data, categories=categories
        )
        return Response(self.member_detail(enterprise))


@extend_schema(tags=["products"], parameters=[USCC_PARAMETER])
class ProductViewSet(DirectoryViewSet):
    """An enterprise's products: the public sees verified ones, members all of theirs."""

    queryset = Product.objects.none()
    serializer_class = ProductDetailSerializer
    pagination_class = None
    filter_backends = []

    def listed_products(self, uscc: str) -> tuple[list[Product], dict]:
        own = self.member_enterprise(uscc)
        if own is not None:
            return list(own.products.select_related("category")), self.member_context()
        enterprise = selectors.enterprise_public_detail(uscc=normalise_uscc(uscc))
        return enterprise.public_products, self.get_serializer_context()

    @extend_schema(summary=_("An enterprise's products"))
    def list(self, request: Request, uscc: str) -> Response:
        products, context = self.listed_products(uscc)
        return Response(ProductDetailSerializer(products, many=True, context=context).data)

    @extend_schema(summary=_("One product"))
    def retrieve(self, request: Request, uscc: str, pk: int) -> Response:
        products, context = self.listed_products(uscc)
        for product in products:
            if product.pk == pk:
                return Response(ProductDetailSerializer(product, context=context).data)
        raise NotFound()

    @extend_schema(
        summary=_("Add a product"),
        description=_("Members only; the product is listed once an official verifies it."),
        request=ProductWriteSerializer,
        responses={201: ProductDetailSerializer, 400: INVALID, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def create(self, request: Request, uscc: str) -> Response:
        enterprise = enterprise_for_member(user=request.user, uscc=normalise_uscc(uscc))
        serializer = ProductWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = product_create(
            actor=request.user, enterprise=enterprise, data=serializer.validated_data
        )
        return Response(
            ProductDetailSerializer(product, context=self.member_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("Change a product"),
        description=_(
            "Members only. The edits of a verified product wait in `pending_changes` for an "
            "official's verification."
        ),
        request=ProductWriteSerializer,
        responses={200: ProductDetailSerializer, 400: INVALID, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def partial_update(self, request: Request, uscc: str, pk: int) -> Response:
        product = selectors.product_for_member(
            user=request.user, uscc=normalise_uscc(uscc), product_id=pk
        )
        serializer = ProductWriteSerializer(product, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        product = product_update(
            actor=request.user, product=product, data=serializer.validated_data
        )
        return Response(ProductDetailSerializer(product, context=self.member_context()).data)

    @extend_schema(
        summary=_("Remove a product"),
        description=_("Members only."),
        responses={204: None, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def destroy(self, request: Request, uscc: str, pk: int) -> Response:
        product = selectors.product_for_member(
            user=request.user, uscc=normalise_uscc(uscc), product_id=pk
        )
        product_delete(actor=request.user, product=product)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["certifications"], parameters=[USCC_PARAMETER])
class CertificationViewSet(DirectoryViewSet):
    """An enterprise's certifications: the public sees valid ones, members all of theirs."""

    queryset = Certification.objects.none()
    serializer_class = CertificationDetailSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(summary=_("An enterprise's certifications"))
    def list(self, request: Request, uscc: str) -> Response:
        own = self.member_enterprise(uscc)
        if own is not None:
            certifications = list(own.certifications.all())
        else:
            enterprise = selectors.enterprise_public_detail(uscc=normalise_uscc(uscc))
            certifications = enterprise.valid_certifications
        return Response(CertificationDetailSerializer(certifications, many=True).data)

    @extend_schema(
        summary=_("Add a certification"),
        description=_("Members only."),
        request=CertificationWriteSerializer,
        responses={201: CertificationDetailSerializer, 400: INVALID, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def create(self, request: Request, uscc: str) -> Response:
        enterprise = enterprise_for_member(user=request.user, uscc=normalise_uscc(uscc))
        serializer = CertificationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certification = certification_add(
            actor=request.user, enterprise=enterprise, data=serializer.validated_data
        )
        return Response(
            CertificationDetailSerializer(certification).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Remove a certification"),
        description=_("Members only."),
        responses={204: None, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def destroy(self, request: Request, uscc: str, pk: int) -> Response:
        certification = selectors.certification_for_member(
            user=request.user, uscc=normalise_uscc(uscc), certification_id=pk
        )
        certification_delete(actor=request.user, certification=certification)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["reference data"])
class CategoryViewSet(DirectoryViewSet):
    """The two-level supply-category taxonomy; filter the directory by a slug."""

    queryset = SupplyCategory.objects.none()
    serializer_class = CategorySerializer
    pagination_class = None
    filter_backends = []

    def list(self, request: Request) -> Response:
        return Response(self.get_serializer(selectors.category_tree(), many=True).data)


@extend_schema(tags=["reference data"])
class DistrictViewSet(mixins.ListModelMixin, DirectoryViewSet):
    """The districts; enterprises registered in a local one count as local suppliers."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    pagination_class = None
    filter_backends = []
