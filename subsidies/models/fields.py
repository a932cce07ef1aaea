"""Field helpers every table of the app shares: money in CNY (two places, never
negative) and percentages.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

NOT_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=NOT_NEGATIVE, **kwargs
    )
