"""The admin pages of ssb_portal's own records (found by Django's admin autodiscovery)."""

from ssb_portal.outgoing_mail import admin as outgoing_mail_admin  # noqa: F401
