"""Pages of the admin with one form: `form_page` for a form of the admin's own (a review's
scores, an enterprise's group, a figure to publish): the workbench's layout, breadcrumbs to
the model's list, the form, its button and a way back. `page_context` is what every such page
(the action page too) gives its template."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise

FORM_PAGE_TEMPLATE = "admin/form_page.html"


def page_context(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    title: str | Promise,
    form: forms.BaseForm,
) -> dict:
    """The admin's context of a page with one form, under the model's breadcrumbs."""
    opts = modeladmin.model._meta
    request.current_app = modeladmin.admin_site.name
    return {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "app_label": opts.app_label,
        "form": form,
        "media": modeladmin.media + form.media,
    }


def form_page(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    title: str | Promise,
    form: forms.BaseForm,
    intro: str = "",
    back_url: str = "",
    submit_label: str | Promise = "",
) -> TemplateResponse:
    """The page; `submit_label` is "Save" unless given, `back_url` the model's list."""
    opts = modeladmin.model._meta
    context = {
        **page_context(modeladmin, request, title=title, form=form),
        "intro": intro,
        "submit_label": submit_label,
        "back_url": back_url or reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
    }
    return TemplateResponse(request, FORM_PAGE_TEMPLATE, context)
