from django.db import models
from django.utils import timezone


class SearchGap(models.Model):
    """A search that found nothing: what editors should write next.

    Only the normalised query text is kept, never who asked or from where.
    """

    query = models.CharField("查询", max_length=200, unique=True)
    count = models.PositiveIntegerField("次数", default=1)
    first_seen = models.DateTimeField("首次出现", default=timezone.now)
    last_seen = models.DateTimeField("最近出现", default=timezone.now)

    class Meta:
        verbose_name = "无结果的搜索"
        verbose_name_plural = "无结果的搜索"

    def __str__(self) -> str:
        return f"{self.query} ×{self.count}"


class GuideFeedback(models.Model):
    """One answer to "这篇指南有帮助吗？": which guide, yes or no, and when. Nothing else."""

    slug = models.CharField("指南", max_length=100, db_index=True)
    helpful = models.BooleanField("有帮助")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "指南反馈"
        verbose_name_plural = "指南反馈"

    def __str__(self) -> str:
        return f"{self.slug} {'有帮助' if self.helpful else '没解决'}"
