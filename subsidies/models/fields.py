"""Field helpers every table of the app shares: money in CNY (two places, never
negative) and percentages.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

NOT_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def money_field(verbose_name, **kwargs):
    """An amount in CNY: two places, never negative."""
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=NOT_NEGATIVE, **kwargs
    )
