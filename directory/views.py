"""The directory's server-rendered pages: each parses input, calls a selector or a service,
and renders the result. Members' pages find their objects through the member-scoped
selectors, so another organisation's objects answer 404."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Field, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from directory import exports, selectors
from directory.access import enterprise_for_member, enterprises_of_member
from directory.composition.selectors import compositions_of
from directory.evidence.selectors import attach_evidence
from directory.evidence.views import evidence_context, with_plots
from directory.filters import SPEC_THRESHOLDS, EnterpriseFilter
from directory.forms import (
    SPEC_FIELDS,
    CertificationForm,
    EnterpriseProfileForm,
    EnterpriseRegistrationForm,
    InviteForm,
    NewAccountForm,
    ProductForm,
    SignupAccountForm,
    asked_spec_fields,
    enterprise_profile_initial,
    initial_with_pending,
    style_search_form,
)
from directory.lcr.selectors import lcr_city_headline
from directory.models import (
    District,
    Enterprise,
    ListingStatus,
    MembershipRole,
    Product,
    SupplyCategory,
)
from directory.passport.thresholds import PASSPORT_THRESHOLDS
from directory.search.counts import CappedPaginator
from directory.services import accounts as account_services
from directory.services import enterprises as enterprise_services
from directory.services import members as member_services
from directory.services import products as product_services
from directory.templatetags.directory_tags import local_name
from ssb_portal.exports import spreadsheet_download
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import error_messages, page_of, posted, url_at
from ssb_portal.reminders import selectors as reminder_selectors
from ssb_portal.reminders.header import due_count_remember

PRODUCTS_PER_RESULT = 3
SPECS_PER_RESULT = 4


# --- public pages --------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    counts = selectors.enterprises_public().aggregate(
        verified=Count("pk"),
        recommended=Count("pk", filter=Q(recommended=True)),
        local=Count("pk", filter=Q(district__is_local=True)),
    )
    due_items = reminder_selectors.due_for(request.user)
    if request.user.is_authenticated:
        due_count_remember(request, len(due_items))
    return render(
        request,
        "directory/home.html",
        {
            "counts": counts,
            "categories": selectors.category_tree(),
            "due_items": due_items,
            "lcr": lcr_city_headline(),
        },
    )


@dataclass
class SearchResult:
    enterprise: Enterprise
    spec_columns: list[Field]
    rows: list[tuple[Product, list]]
    more_products: int


def _spec_table(products: list[Product], names: list[str]) -> tuple[list[Field], list]:
    """Columns (model fields, whose names carry the units) and one row of values per product."""
    columns = [Product._meta.get_field(name) for name in names]
    return columns, [(product, [getattr(product, name) for name in names]) for product in products]


def _search_result(enterprise: Enterprise, asked: list[str]) -> SearchResult:
    """The enterprise with its products the search kept (those meeting the thresholds, all of
    them when none: EnterpriseFilter.results)."""
    products = enterprise.public_products
    shown = products[:PRODUCTS_PER_RESULT]
    # The specs asked for first, then whatever else the shown products state.
    stated = [
        name
        for name in SPEC_FIELDS
        if name not in asked and any(getattr(product, name) is not None for product in shown)
    ]
    columns, rows = _spec_table(shown, (asked + stated)[:SPECS_PER_RESULT])
    return SearchResult(
        enterprise=enterprise,
        spec_columns=columns,
        rows=rows,
        more_products=len(products) - len(shown),
    )


def _public_search(request: HttpRequest) -> EnterpriseFilter:
    return EnterpriseFilter(request.GET, queryset=selectors.enterprises_public())


def search(request: HttpRequest) -> HttpResponse:
    """The public directory; `?recommended=true` is the Procurement Recommendation Directory."""
    search_filter = _public_search(request)
    style_search_form(search_filter.form)
    context = {
        "form": search_filter.form,
        "page": None,
        "recommendation_directory": request.GET.get("recommended") == "true",
        "thresholds_open": any(
            request.GET.get(name) for name in [*SPEC_THRESHOLDS, *PASSPORT_THRESHOLDS]
        ),
        "active_filters": sum(
            1 for name in search_filter.form.fields if name != "ordering" and request.GET.get(name)
        ),
    }
    if not search_filter.is_valid():
        return render(request, "directory/search.html", context, status=400)
    cleaned = search_filter.form.cleaned_data
    page = page_of(request, search_filter.results(), paginator_class=CappedPaginator)
    asked = asked_spec_fields(cleaned)
    context.update(
        page=page,
        results=[_search_result(enterprise, asked) for enterprise in page.object_list],
        recommendation_directory=cleaned.get("recommended") is True,
    )
    return render(request, "directory/search.html", context)


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The search result as a spreadsheet: the same filters as the search page, written into
    the file with the products that met them."""
    search_filter = _public_search(request)
    # Its errors page speaks the search page's words.
    style_search_form(search_filter.form)
    if not search_filter.is_valid():
        return render(
            request, "directory/export_invalid.html", {"form": search_filter.form}, status=400
        )
    write = exports.directory_csv if fmt == "csv" else exports.directory_xlsx
    content = write(search_filter.results(), search_filter.form)
    return spreadsheet_download(
        content, fmt=fmt, filename=f"ssb-directory-{timezone.localdate():%Y-%m-%d}"
    )


def detail(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = selectors.enterprise_public_detail(uscc=uscc)
    products = enterprise.public_products
    stated = [
        name
        for name in SPEC_FIELDS
        if any(getattr(product, name) is not None for product in products)
    ]
    spec_columns, spec_rows = _spec_table(products, stated)
    is_member = enterprises_of_member(request.user).filter(pk=enterprise.pk).exists()
    attach_evidence(products)
    for product in products:
        with_plots(product.datasets_shown)
    return render(
        request,
        "directory/detail.html",
        {
            "enterprise": enterprise,
            "spec_columns": spec_columns,
            "spec_rows": spec_rows,
            "is_member": is_member,
            "evidence_products": [product for product in products if product.datasets_shown],
            "compositions": compositions_of(list(products)),
        },
    )


# --- accounts ------------------------------------------------------------------------------


def _link_invalid(request: HttpRequest, title: str, error: ValidationError) -> HttpResponse:
    return render(
        request,
        "directory/link_invalid.html",
        {"title": title, "errors": error.messages},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """An SME signs up: its account and its enterprise in one form."""
    if request.user.is_authenticated:
        messages.info(request, _("You are logged in: register your enterprise here."))
        return redirect("directory:register")
    data = posted(request)
    account_form = SignupAccountForm(data, prefix="account")
    enterprise_form = EnterpriseRegistrationForm(data)
    if data is not None and all([account_form.is_valid(), enterprise_form.is_valid()]):
        try:
            account_services.account_signup_with_enterprise(
                username=account_form.cleaned_data["username"],
                email=account_form.cleaned_data["email"],
                password=account_form.cleaned_data["password"],
                enterprise_data=enterprise_form.service_data(),
                categories=enterprise_form.cleaned_data["categories"],
            )
        except ValidationError as error:
            add_service_errors(error, account_form, enterprise_form)
        else:
            request.session["signup_email"] = account_form.cleaned_data["email"]
            return redirect("signup_done")
    return render(
        request,
        "directory/signup.html",
        {"account_form": account_form, "enterprise_form": enterprise_form},
    )


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/signup_done.html",
        {"email": request.session.get("signup_email"), "days": settings.ACCOUNT_ACTIVATION_DAYS},
    )


def account_activate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = account_services.account_activate(token=token)
    except ValidationError as error:
        return _link_invalid(request, _("Account confirmation failed"), error)
    return render(request, "directory/account_activated.html", {"activated_user": user})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Join an enterprise from an emailed invitation, logged in or with a new account."""
    try:
        invitation = member_services.invitation_from_token(token)
    except ValidationError as error:
        return _link_invalid(request, _("Invitation not valid"), error)
    logged_in = request.user.is_authenticated
    form = None if logged_in else NewAccountForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and (logged_in or form.is_valid()):
        try:
            membership = member_services.invitation_accept(
                token=token,
                user=request.user if logged_in else None,
                username="" if logged_in else form.cleaned_data["username"],
                password="" if logged_in else form.cleaned_data["password"],
            )
        except ValidationError as error:
            if form is None:
                errors = error.messages
            else:
                add_service_errors(error, form)
        else:
            if not logged_in:
                login(request, membership.user)
            messages.success(
                request,
                _("Welcome to %(name)s: you are now one of its members.")
                % {"name": membership.enterprise.name_zh},
            )
            return redirect("directory:my_enterprise", uscc=membership.enterprise.uscc)
    return render(
        request,
        "directory/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "errors": errors,
            "login_url": f"{reverse('login')}?{urlencode({'next': request.path}, safe='/')}",
        },
        status=400 if errors else 200,
    )


# --- members' pages ------------------------------------------------------------------------


@login_required
def my_enterprises(request: HttpRequest) -> HttpResponse:
    enterprises = enterprises_of_member(request.user).order_by("name_zh", "pk")
    return render(request, "directory/my_enterprises.html", {"enterprises": enterprises})


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """A logged-in user registers another enterprise and becomes its administrator."""
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = enterprise_services.enterprise_register(
                actor=request.user,
                data=form.service_data(),
                categories=form.cleaned_data["categories"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("%(name)s is registered. The city's officials verify it before it is listed.")
                % {"name": enterprise.name_zh},
            )
            return redirect("directory:my_enterprise", uscc=enterprise.uscc)
    return render(request, "directory/register.html", {"form": form})


def _pending_changes_display(changes: dict | None) -> list[tuple[str, str]]:
    """Pending edits of a profile as (field label, new value) a person can read."""
    if not changes:
        return []
    districts = District.objects.in_bulk([changes["district"]] if "district" in changes else [])
    categories = SupplyCategory.objects.in_bulk(changes.get("categories", []))
    rows = []
    for name, value in changes.items():
        if name == "categories":
            label = Enterprise._meta.get_field("categories").verbose_name
            shown = ", ".join(local_name(categories[pk]) for pk in value if pk in categories)
        elif name == "district":
            label = Enterprise._meta.get_field("district").verbose_name
            shown = local_name(districts[value]) if value in districts else str(value)
        else:
            field = Enterprise._meta.get_field(name)
            label = field.verbose_name
            shown = str(dict(field.choices).get(value, value)) if field.choices else value
        rows.append((str(label), shown if shown not in (None, "") else "—"))
    return rows


def _render_my_enterprise(
    request: HttpRequest, enterprise: Enterprise, profile_form: EnterpriseProfileForm | None = None
) -> HttpResponse:
    members = list(selectors.enterprise_members(enterprise))
    history = list(selectors.enterprise_history(enterprise))
    is_owner = any(
        member.user_id == request.user.pk and member.role == MembershipRole.OWNER
        for member in members
    )
    return_reason = ""
    if enterprise.status == ListingStatus.RETURNED:
        returned = next((c for c in history if c.to_status == ListingStatus.RETURNED), None)
        return_reason = returned.reason if returned else ""
    context = {
        "enterprise": enterprise,
        "profile_form": profile_form
        or EnterpriseProfileForm(initial=enterprise_profile_initial(enterprise), prefix="profile"),
        "pending_changes": _pending_changes_display(enterprise.pending_changes),
        "return_reason": return_reason,
        "products": enterprise.products.select_related("category"),
        "certifications": enterprise.certifications.all(),
        "certification_form": CertificationForm(prefix="certification"),
        "members": members,
        "is_owner": is_owner,
        "invite_form": InviteForm(prefix="invite") if is_owner else None,
        "invitations": (
            enterprise.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
            if is_owner
            else []
        ),
        "history": history,
        "today": timezone.localdate(),
    }
    return render(request, "directory/my_enterprise.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_enterprise(request: HttpRequest, uscc: str) -> HttpResponse:
    """An enterprise's own page: status, profile, products, certifications, members."""
    enterprise = enterprise_for_member(user=request.user, uscc=uscc)
    if request.method == "GET":
        return _render_my_enterprise(request, enterprise)
    form = EnterpriseProfileForm(
        request.POST, initial=enterprise_profile_initial(enterprise), prefix="profile"
    )
    if form.is_valid():
        try:
            updated = enterprise_services.enterprise_update(
                actor=request.user,
                enterprise=enterprise,
                data=form.service_data(),
                categories=form.cleaned_data["categories"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            if updated.updated_at == enterprise.updated_at:
                messages.info(request, _("Nothing changed."))
            elif updated.status == ListingStatus.VERIFIED:
                messages.success(
                    request,
                    _(
                        "Your changes wait for verification by the city's officials. Until "
                        "then the public directory shows the verified profile."
                    ),
                )
            elif enterprise.status == ListingStatus.RETURNED:
                messages.success(
                    request, _("Corrected and sent back to the officials for verification.")
                )
            else:
                messages.success(request, _("Profile saved; it is still awaiting verification."))
            return redirect("directory:my_enterprise", uscc=uscc)
    return _render_my_enterprise(request, enterprise, profile_form=form)


def _confirm(
    request: HttpRequest, *, title: str, question: str, action: str, cancel_url: str
) -> HttpResponse:
    return render(
        request,
        "directory/confirm.html",
        {"title": title, "question": question, "action": action, "cancel_url": cancel_url},
    )


def _mine_url(uscc: str, anchor: str = "") -> str:
    return url_at("directory:my_enterprise", uscc, anchor=anchor)


@login_required
@require_http_methods(["GET", "POST"])
def product_add(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = enterprise_for_member(user=request.user, uscc=uscc)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_services.product_create(
                actor=request.user, enterprise=enterprise, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("%(name)s is added. It is listed publicly once an official verifies it.")
                % {"name": product.name},
            )
            return redirect(_mine_url(uscc, "products"))
    return render(request, "directory/product_form.html", {"enterprise": enterprise, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    product = selectors.product_for_member(user=request.user, uscc=uscc, product_id=product_id)
    form = ProductForm(
        request.POST or None,
        initial=initial_with_pending(product, product_services.PRODUCT_EDITABLE_FIELDS),
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = product_services.product_update(
                actor=request.user, product=product, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            if updated.updated_at == product.updated_at:
                messages.info(request, _("Nothing changed."))
            elif updated.status == ListingStatus.VERIFIED:
                messages.success(
                    request,
                    _(
                        "The changes to %(name)s wait for verification; the public directory "
                        "shows the verified values until then."
                    )
                    % {"name": updated.name},
                )
            else:
                messages.success(request, _("%(name)s is saved.") % {"name": updated.name})
            return redirect(_mine_url(uscc, "products"))
    return render(
        request,
        "directory/product_form.html",
        {
            "enterprise": product.enterprise,
            "product": product,
            "form": form,
            **evidence_context(product, public=False),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_delete(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    product = selectors.product_for_member(user=request.user, uscc=uscc, product_id=product_id)
    if request.method == "POST":
        product_services.product_delete(actor=request.user, product=product)
        messages.success(request, _("%(name)s is removed.") % {"name": product.name})
        return redirect(_mine_url(uscc, "products"))
    return _confirm(
        request,
        title=_("Remove a product"),
        question=_("Remove %(name)s from %(enterprise)s? This cannot be undone.")
        % {"name": product.name, "enterprise": product.enterprise.name_zh},
        action=_("Remove the product"),
        cancel_url=_mine_url(uscc, "products"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def certification_add(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = enterprise_for_member(user=request.user, uscc=uscc)
    form = CertificationForm(request.POST or None, prefix="certification")
    if request.method == "POST" and form.is_valid():
        try:
            certification = product_services.certification_add(
                actor=request.user, enterprise=enterprise, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Certificate %(name)s is added.") % {"name": certification})
            return redirect(_mine_url(uscc, "certifications"))
    return render(
        request, "directory/certification_form.html", {"enterprise": enterprise, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def certification_delete(request: HttpRequest, uscc: str, certification_id: int) -> HttpResponse:
    certification = selectors.certification_for_member(
        user=request.user, uscc=uscc, certification_id=certification_id
    )
    if request.method == "POST":
        product_services.certification_delete(actor=request.user, certification=certification)
        messages.success(request, _("Certificate %(name)s is removed.") % {"name": certification})
        return redirect(_mine_url(uscc, "certifications"))
    return _confirm(
        request,
        title=_("Remove a certificate"),
        question=_("Remove certificate %(name)s from %(enterprise)s?")
        % {"name": certification, "enterprise": certification.enterprise.name_zh},
        action=_("Remove the certificate"),
        cancel_url=_mine_url(uscc, "certifications"),
    )


def _require_owner(request: HttpRequest, enterprise: Enterprise) -> None:
    """Pages only administrators use; the services check the same for every change."""
    if not enterprise.memberships.filter(user=request.user, role=MembershipRole.OWNER).exists():
        raise PermissionDenied(_("Only the enterprise's administrators may manage its members."))


@login_required
@require_http_methods(["GET", "POST"])
def member_invite(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = enterprise_for_member(user=request.user, uscc=uscc)
    _require_owner(request, enterprise)
    form = InviteForm(request.POST or None, prefix="invite")
    if request.method == "POST" and form.is_valid():
        try:
            invitation = member_services.member_invite(
                actor=request.user, enterprise=enterprise, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("An invitation is on its way to %(email)s.") % {"email": invitation}
            )
            return redirect(_mine_url(uscc, "members"))
    return render(request, "directory/invite_form.html", {"enterprise": enterprise, "form": form})


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, uscc: str, invitation_id: int) -> HttpResponse:
    enterprise = enterprise_for_member(user=request.user, uscc=uscc)
    invitation = get_object_or_404(enterprise.invitations, pk=invitation_id)
    member_services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation}
    )
    return redirect(_mine_url(uscc, "members"))


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, uscc: str, membership_id: int) -> HttpResponse:
    membership = selectors.membership_for_owner(
        user=request.user, uscc=uscc, membership_id=membership_id
    )
    enterprise = membership.enterprise
    _require_owner(request, enterprise)
    if request.method == "POST":
        try:
            member_services.member_remove(actor=request.user, membership=membership)
        except ValidationError as error:
            error_messages(request, error)
            return redirect(_mine_url(uscc, "members"))
        messages.success(
            request,
            _("%(user)s is no longer a member of %(enterprise)s.")
            % {"user": membership.user.get_username(), "enterprise": enterprise.name_zh},
        )
        if membership.user_id == request.user.pk:
            return redirect("directory:my_enterprises")
        return redirect(_mine_url(uscc, "members"))
    return _confirm(
        request,
        title=_("Remove a member"),
        question=_("Remove %(user)s from %(enterprise)s? They lose access to its pages.")
        % {"user": membership.user.get_username(), "enterprise": enterprise.name_zh},
        action=_("Remove the member"),
        cancel_url=_mine_url(uscc, "members"),
    )
