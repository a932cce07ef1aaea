"""The directory's API under /api/v1/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from directory import api
from directory.composition import api as composition_api
from directory.evidence import api as evidence_api
from directory.lcr import api as lcr_api
from directory.passport import api as passport_api
from directory.purchases import api as purchase_api
from directory.purchases import confirmation_api

app_name = "api"

router = SimpleRouter()
router.register("enterprises", api.EnterpriseViewSet, basename="enterprise")
router.register("categories", api.CategoryViewSet, basename="category")
router.register("districts", api.DistrictViewSet, basename="district")
router.register(
    "bills-of-materials", composition_api.BillOfMaterialsViewSet, basename="bill-of-materials"
)

products = api.ProductViewSet.as_view({"get": "list", "post": "create"})
product = api.ProductViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
)
certifications = api.CertificationViewSet.as_view({"get": "list", "post": "create"})
certification = api.CertificationViewSet.as_view({"delete": "destroy"})
datasets = evidence_api.DatasetViewSet.as_view({"get": "list", "post": "create"})
passport = passport_api.PassportViewSet.as_view({"get": "retrieve"})
passport_versions = passport_api.PassportViewSet.as_view({"get": "list", "post": "create"})
passport_current = passport_api.PassportViewSet.as_view({"post": "set_current"})
passport_documents = passport_api.PassportViewSet.as_view({"post": "upload"})
passport_export = passport_api.PassportViewSet.as_view({"get": "export"})
purchases = purchase_api.PurchaseLineViewSet.as_view({"get": "list", "post": "create"})
sales = confirmation_api.SupplierLineViewSet.as_view({"get": "list"})
sale_decision = confirmation_api.SupplierLineViewSet.as_view({"post": "decide"})
invoice_decision = confirmation_api.SupplierLineViewSet.as_view({"post": "decide_invoice"})

urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="token"),
    path("lcr/", lcr_api.LcrView.as_view(), name="lcr"),
    path("purchases/", purchases, name="purchase-list"),
    path("enterprises/<str:uscc>/sales/", sales, name="sale-list"),
    path("enterprises/<str:uscc>/sales/<int:pk>/decision/", sale_decision, name="sale-decision"),
    path(
        "enterprises/<str:uscc>/sales/invoices/decision/",
        invoice_decision,
        name="sale-invoice-decision",
    ),
    path("enterprises/<str:uscc>/products/", products, name="product-list"),
    path("enterprises/<str:uscc>/products/<int:pk>/", product, name="product-detail"),
    path(
        "enterprises/<str:uscc>/products/<int:pk>/datasets/",
        datasets,
        name="dataset-list",
    ),
    path("enterprises/<str:uscc>/products/<int:pk>/passport/", passport, name="passport"),
    path(
        "enterprises/<str:uscc>/products/<int:pk>/passport/versions/",
        passport_versions,
        name="passport-versions",
    ),
    path(
        "enterprises/<str:uscc>/products/<int:pk>/passport/current/",
        passport_current,
        name="passport-current",
    ),
    path(
        "enterprises/<str:uscc>/products/<int:pk>/passport/documents/",
        passport_documents,
        name="passport-documents",
    ),
    path(
        "enterprises/<str:uscc>/products/<int:pk>/passport/batterypass.json",
        passport_export,
        name="passport-export",
    ),
    path("enterprises/<str:uscc>/certifications/", certifications, name="certification-list"),
    path(
        "enterprises/<str:uscc>/certifications/<int:pk>/",
        certification,
        name="certification-detail",
    ),
    *router.urls,
]
