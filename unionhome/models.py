from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed or viewed what, and when: the trail the services leave behind."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    # The branch whose record this is (a plain number: core depends on no app, and the trail
    # outlives what it describes). Officers see only their branch's entries.
    branch_id = models.PositiveIntegerField(_("分工会编号"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    branch_lookup = "branch_id"

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class Notice(models.Model):
    """A short message to one user, shown on their home and /me/ pages until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("通知类型"), max_length=60, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # Shown only for a notice whose kind is unknown (one older than the kinds); otherwise the kind's
    # template is rendered with `params` in the reader's language.
    message = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    settles_on = models.CharField(_("了结于"), max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return str(self.text)

    @property
    def text(self) -> str:
        """The notice in the active language (the reader's, when shown)."""
        from unionhome.notices import notice_text

        return notice_text(self.kind, self.params, fallback=self.message)
