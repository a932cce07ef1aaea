from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from directory import views as directory_views
from programme.landing import landing
from ssb_portal import health, login_protection
from ssb_portal import views as portal_views
from ssb_portal.audit_chain import views as audit_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", portal_views.set_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's script comes from its own URL (no inline script under the CSP); the page
    # alone may use inline styles, which Swagger UI needs.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("api/v1/", include("directory.api_urls")),
    path("api/v1/", include("subsidies.api_urls")),
    path("api/v1/", include("alliance.api_urls")),
    path("api/v1/", include("talent.api_urls")),
    # Audit chain: its published heads are public, so that copies exist outside the database.
    path("api/v1/audit/heads/", audit_views.PublishedHeadList.as_view(), name="audit-heads-api"),
    path("audit/heads/", audit_views.audit_heads, name="audit-heads"),
    path("admin/", admin.site.urls),
    path("", directory_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    # Where a sign-in without `next` leads: each role where its work is (LOGIN_REDIRECT_URL).
    path("accounts/start/", landing, name="landing"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        login_protection.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/signup/", directory_views.signup, name="signup"),
    path("accounts/signup/done/", directory_views.signup_done, name="signup_done"),
    path(
        "accounts/activate/<str:token>/",
        directory_views.account_activate,
        name="account_activate",
    ),
    path(
        "accounts/invitation/<str:token>/",
        directory_views.invitation_accept,
        name="invitation_accept",
    ),
    path("directory/", include("directory.urls")),
    path("directory/", include("directory.lcr.urls")),
    path("directory/", include("directory.purchases.urls")),
    path("support/", include("subsidies.urls")),
    path("alliance/", include("alliance.urls")),
    path("talent/", include("talent.urls")),
    path("programme/", include("programme.urls")),
    path("due/", include("ssb_portal.reminders.urls")),
]

# An unknown API address answers JSON, as the API schema says (issue 16).
handler404 = portal_views.page_not_found
# A database that went away while a middleware used it: the 503, not a 500 (issue 20).
handler500 = "ssb_portal.database_outage.server_error"

admin.site.site_header = _("SSB Portal")
admin.site.site_title = _("SSB Portal")

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
