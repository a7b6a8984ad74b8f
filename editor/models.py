from django.conf import settings
from django.db import models


class Revision(models.Model):
    """One published version of one content file, as an editor published it in the browser.

    ``base`` is the digest of the text the editor started from (the file as it was, "" for a
    new file) and ``previous`` that text itself, so a diff and an undo never need the file.
    ``number`` counts versions per file; two publishes from the same version race for the same
    number and the unique constraint lets one win.
    """

    path = models.CharField("文件", max_length=200)  # relative to CONTENT_DIR: guides/x.md
    number = models.PositiveIntegerField("版本")
    text = models.TextField("内容")
    digest = models.CharField(max_length=64)
    base = models.CharField(max_length=64, blank=True)
    previous = models.TextField(blank=True)
    message = models.CharField("说明", max_length=200, blank=True)
    reverts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="编辑"
    )
    created = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "内容版本"
        verbose_name_plural = "内容版本"
        constraints = [
            models.UniqueConstraint(fields=["path", "number"], name="editor_one_version_number")
        ]
        indexes = [models.Index(fields=["path", "-number"], name="editor_path_number")]
        permissions = [("publish_content", "可以在浏览器里修改并发布内容")]

    def __str__(self) -> str:
        return f"{self.path} #{self.number}"
