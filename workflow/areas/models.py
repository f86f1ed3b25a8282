"""Administrative units (provinces, communes and wards), dated: they keep changing.

Since 1 July 2025 Vietnam has 34 provinces and 3,321 communes, wards and special
zones, with no district level. A later reform adds rows with a new `valid_from` and
closes the old ones with `valid_to`; petitions keep pointing at the unit that was
valid when they came in.
"""

from django.db import models
from django.db.models import Q

REFORM_2025_07_01 = "2025-07-01"


class UnitQuerySet(models.QuerySet):
    def current(self, on=None):
        """Units valid on the given date (today's units when `on` is None)."""
        if on is None:
            return self.filter(valid_to__isnull=True)
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on
        )


class Province(models.Model):
    code = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    division_type = models.CharField(max_length=40)
    codename = models.SlugField(max_length=100)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # The same code may return in a later reform, but once per start date.
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="province_code_dated"
            ),
        ]

    def __str__(self):
        return self.name


class Commune(models.Model):
    code = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    division_type = models.CharField(max_length=40)
    codename = models.SlugField(max_length=100)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="commune_code_dated"
            ),
        ]

    def __str__(self):
        return self.name
