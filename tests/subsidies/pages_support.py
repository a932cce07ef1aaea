"""What the page tests of the support programmes share: page addresses and the page's text."""

import re

from django.urls import reverse

from subsidies.models import ApplicationStatus

S = ApplicationStatus


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def url(name: str, *args) -> str:
    return reverse(f"subsidies:{name}", args=args)
