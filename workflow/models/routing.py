from django.db import models

from workflow.areas.models import Commune, Province
from workflow.models.agencies import Agency, Category


class RoutingRule(models.Model):
    """Sends petitions of a category and area to an agency; blank fields match anything.

    The most specific rule wins (see `workflow.routing.route_petition`); a petition that
    no rule matches waits in the triage queue for a coordinator.
    """

    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE
    )
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.CASCADE
    )
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.CASCADE
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="routing_rules"
    )

    class Meta:
        constraints = [
            # Two rules equally specific for the same case would make routing a coin
            # toss.
            models.UniqueConstraint(
                fields=["category", "province", "commune"],
                nulls_distinct=False,
                name="one_rule_per_match",
            ),
        ]

    def __str__(self):
        parts = [str(p) for p in (self.category, self.commune or self.province) if p]
        return f"{' / '.join(parts) or '*'} → {self.agency}"
