from django.db import models


class DailyCount(models.Model):
    """How often one thing happened on one day. Nothing about who made it happen.

    ``kind`` says what was counted (see ``insights.events.KINDS``), ``item`` which guide, node,
    outcome, code or (masked) query, and ``detail`` the rest of the key: a vote's reason, or
    the assistant tree's version, so that a changed tree starts a new funnel.
    """

    day = models.DateField("日期")
    kind = models.CharField("类别", max_length=24)
    item = models.CharField("对象", max_length=200, blank=True)
    detail = models.CharField("细分", max_length=40, blank=True)
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        verbose_name = "每日计数"
        verbose_name_plural = "每日计数"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "item", "detail"], name="insights_one_count_per_key"
            )
        ]
        indexes = [models.Index(fields=["kind", "day"], name="insights_kind_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.item} {self.detail} ×{self.count}"
