from django.urls import path, re_path

from directory import views
from directory.composition import views as composition_views
from directory.evidence import views as evidence_views
from directory.passport import views as passport_views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)/$", views.export, name="export"),
    path("e/<str:uscc>/", views.detail, name="detail"),
    path(
        "e/<str:uscc>/products/<int:product_id>/passport/",
        passport_views.passport_page,
        name="passport",
    ),
    path(
        "e/<str:uscc>/products/<int:product_id>/passport.json",
        passport_views.passport_json,
        name="passport_json",
    ),
    path(
        "mine/<str:uscc>/products/<int:product_id>/passport/new/",
        passport_views.passport_version_add,
        name="passport_version_add",
    ),
    path(
        "mine/<str:uscc>/products/<int:product_id>/passport/current/",
        passport_views.passport_make_current,
        name="passport_set_current",
    ),
    path(
        "passport-documents/<int:document_id>/",
        passport_views.passport_document,
        name="passport_document",
    ),
    path("mine/", views.my_enterprises, name="my_enterprises"),
    path("register/", views.register, name="register"),
    path("mine/<str:uscc>/", views.my_enterprise, name="my_enterprise"),
    path("mine/<str:uscc>/products/new/", views.product_add, name="product_add"),
    path("mine/<str:uscc>/products/<int:product_id>/", views.product_edit, name="product_edit"),
    path(
        "mine/<str:uscc>/products/<int:product_id>/delete/",
        views.product_delete,
        name="product_delete",
    ),
    path(
        "mine/<str:uscc>/products/<int:product_id>/bills/",
        composition_views.bom_list,
        name="bom_list",
    ),
    path(
        "mine/<str:uscc>/products/<int:product_id>/bills/new/",
        composition_views.bom_declare_page,
        name="bom_declare",
    ),
    path(
        "mine/<str:uscc>/products/<int:product_id>/bills/<int:bom_id>/",
        composition_views.bom_edit,
        name="bom_edit",
    ),
    path(
        "mine/<str:uscc>/products/<int:product_id>/datasets/new/",
        evidence_views.dataset_add,
        name="dataset_add",
    ),
    re_path(
        r"^datasets/(?P<dataset_id>[0-9]+)/(?P<which>data|report)/$",
        evidence_views.dataset_download,
        name="dataset_download",
    ),
    path(
        "mine/<str:uscc>/certifications/new/",
        views.certification_add,
        name="certification_add",
    ),
    path(
        "mine/<str:uscc>/certifications/<int:certification_id>/delete/",
        views.certification_delete,
        name="certification_delete",
    ),
    path("mine/<str:uscc>/members/invite/", views.member_invite, name="member_invite"),
    path(
        "mine/<str:uscc>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "mine/<str:uscc>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
