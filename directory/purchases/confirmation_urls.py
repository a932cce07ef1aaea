"""A supplier's pages to confirm the purchase lines naming it (namespace "purchases")."""

from django.urls import path

from directory.purchases import confirmation_views

urlpatterns = [
    path(
        "mine/<str:uscc>/confirmations/",
        confirmation_views.confirmations,
        name="confirmations",
    ),
    path(
        "mine/<str:uscc>/confirmations/lines/<int:line_id>/",
        confirmation_views.line_decide,
        name="confirm_line",
    ),
    path(
        "mine/<str:uscc>/confirmations/invoices/",
        confirmation_views.invoice_decide,
        name="confirm_invoice",
    ),
]
