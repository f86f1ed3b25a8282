"""How far back staff may date the receipt of a petition they enter (one row)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Until an admin says otherwise: a letter entered within a working week of its
# arrival keeps its real receipt day.
DEFAULT_MAX_BACKDATE_WORKING_DAYS = 5


class IntakePolicy(models.Model):
    """The admin's limit on back-dated staff entries (workflow.receipts).

    A single row, edited in the admin; without it the default applies.
    """

    max_backdate_working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc tối đa được ghi lùi thời điểm tiếp nhận"),
        default=DEFAULT_MAX_BACKDATE_WORKING_DAYS,
        help_text=_(
            "0: chỉ trong ngày nhập. Mọi phản ánh ghi lùi đều hiện trong danh sách "
            "của thanh tra, kèm người nhập và thời điểm nhập."
        ),
    )

    class Meta:
        verbose_name = _("quy định tiếp nhận")
        verbose_name_plural = _("quy định tiếp nhận")
        constraints = [
            # One policy: workflow.receipts reads the row with pk 1.
            models.CheckConstraint(condition=Q(pk=1), name="one_intake_policy"),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
