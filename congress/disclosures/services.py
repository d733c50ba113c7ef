"""Every state change of the finance disclosures: drafts, four-eyes publication, corrections,
the welfare totals pulled into a draft."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhome import notices
from unionhome.audit import audit_record
from unionhome.errors import DomainError
from unionhome.notices import notice_send
from unionhome.text import comparable, enumeration
from unionhome.uploads import PDF, UploadRefused, check_upload


class DisclosureError(DomainError):
    """A change the rules forbid; the message is shown to the user as it is."""


MIN_NAME_LENGTH = 2


def branch_member_names(branch_id) -> list[str]:
    """The names of the branch's members (every status): none may appear in a disclosure."""
    from members.models import Member

    names = Member.objects.filter(branch_id=branch_id).values_list("name", flat=True)
    return sorted(
        {name.strip() for name in names if len(comparable(name)) >= MIN_NAME_LENGTH}, key=len, reverse=True
    )


def personal_names_in(text, names) -> list[str]:
    """The members' names that a text contains (aid and benefit lines name no one: counts only).

    Both sides are compared as unionhome.text.comparable sees them, so a zero-width space, a
    full-width letter or a space inside the name does not hide it."""
    text = comparable(text)
    return [name for name in names if comparable(name) in text]


def names_error(found) -> str:
    return _("不能出现个人姓名（%(names)s）：帮扶和慰问只公开人次和金额。") % {"names": enumeration(found)}


def _refuse_names(disclosure, lines):
    names = branch_member_names(disclosure.branch_id)
    for text in (disclosure.title, disclosure.summary):
        found = personal_names_in(text, names)
        if found:
            raise DisclosureError(names_error(found))
    for line in lines:
        found = personal_names_in(f"{line.item}\n{line.note}", names)
        if found:
            raise DisclosureError(names_error(found))


def check_pdf_upload(upload):
    """Attachments are PDF files, checked by their content (unionhome.uploads), within the size limit."""
    try:
        check_upload(upload, max_bytes=settings.UNIONHOME_DISCLOSURE_ATTACHMENT_MAX_BYTES, types=(PDF,))
    except UploadRefused as error:
        raise DisclosureError(error.message, field="file") from None


def _locked(disclosure):
    from congress.disclosures.models import Disclosure

    return Disclosure.objects.select_for_update().get(pk=disclosure.pk)


def _require_manager(actor, disclosure):
    from congress.disclosures.access import can_manage_disclosures

    if not can_manage_disclosures(actor, disclosure.branch_id):
        raise DisclosureError(_("只有本分工会的财务委员可以办理经费公开。"))


def _require_draft(disclosure):
    if not disclosure.is_draft:
        raise DisclosureError(
            _("这份经费公开现在是“%(state)s”，不能修改；已公开的请用“更正”生成新版本。")
            % {"state": disclosure.get_state_display()}
        )


def disclosure_save(*, disclosure, actor, changed=()):
    """Create or change a draft's heading (title, summary, period)."""
    _require_manager(actor, disclosure)
    with transaction.atomic():
        if disclosure.pk:
            _require_draft(_locked(disclosure))
        names = branch_member_names(disclosure.branch_id)
        for text in (disclosure.title, disclosure.summary):
            found = personal_names_in(text, names)
            if found:
                raise DisclosureError(names_error(found))
        created = disclosure.pk is None
        if created:
            disclosure.created_by = actor
        disclosure.save()
        audit_record(
            actor=actor,
            action="disclosure.created" if created else "disclosure.changed",
            target=disclosure,
            fields=sorted(changed),
        )
    return disclosure


def disclosure_lines_change(*, disclosure, actor, saved=(), deleted=()):
    """Add, change and delete a draft's lines (the admin's inline): no member's name in an item or
    a note; one audit entry with the counts."""
    _require_manager(actor, disclosure)
    saved, deleted = list(saved), list(deleted)
    with transaction.atomic():
        locked = _locked(disclosure)
        _require_draft(locked)
        _refuse_names(locked, saved)
        added = sum(1 for line in saved if line.pk is None)
        for line in saved:
            line.disclosure = locked
            line.save()
        for line in deleted:
            if line.pk is not None and line.disclosure_id == locked.pk:
                line.delete()
        audit_record(
            actor=actor,
            action="disclosure.lines_changed",
            target=locked,
            added=added,
            changed=len(saved) - added,
            deleted=len(deleted),
        )


def disclosure_lines_import(*, disclosure, actor, lines):
    """Replace a draft's hand-entered lines by those of a spreadsheet (the rows already checked)."""
    from congress.disclosures.models import DisclosureLine

    _require_manager(actor, disclosure)
    lines = list(lines)
    with transaction.atomic():
        locked = _locked(disclosure)
        _require_draft(locked)
        _refuse_names(locked, lines)
        deleted, _detail = locked.lines.filter(source=DisclosureLine.Source.MANUAL).delete()
        for order, line in enumerate(lines):
            line.disclosure, line.source, line.sort_order = locked, DisclosureLine.Source.MANUAL, order
        DisclosureLine.objects.bulk_create(lines)
        audit_record(
            actor=actor, action="disclosure.lines_imported", target=locked, added=len(lines), deleted=deleted
        )
    return lines


def disclosure_attachment_add(*, disclosure, actor, title: str, upload):
    """Attach a PDF to a draft: checked by content, stored privately under a random name (the
    uploader's file name is kept for the download)."""
    from congress.disclosures.models import DisclosureAttachment

    _require_manager(actor, disclosure)
    check_pdf_upload(upload)
    title = (title or "").strip()
    if not title:
        raise DisclosureError(_("请填写附件名称。"), field="title")
    with transaction.atomic():
        locked = _locked(disclosure)
        _require_draft(locked)
        found = personal_names_in(f"{title}\n{upload.name}", branch_member_names(locked.branch_id))
        if found:
            raise DisclosureError(names_error(found), field="title")
        attachment = DisclosureAttachment(disclosure=locked, title=title, original_name=upload.name[-200:])
        upload.seek(0)
        attachment.file.save("attachment.pdf", upload, save=False)
        name = attachment.file.name
        try:
            attachment.save()
            details = {"attachment": attachment.pk, "title": title, "size": upload.size}
            audit_record(actor=actor, action="disclosure.attachment_added", target=locked, **details)
        except BaseException:
            attachment.file.storage.delete(name)
            raise
    return attachment


def disclosure_attachment_remove(*, attachment, actor):
    """Remove an attachment of a draft; its file goes too unless another revision still shares it."""
    from congress.disclosures.models import DisclosureAttachment

    disclosure = attachment.disclosure
    _require_manager(actor, disclosure)
    with transaction.atomic():
        locked = _locked(disclosure)
        _require_draft(locked)
        attachment = DisclosureAttachment.objects.select_for_update().get(pk=attachment.pk, disclosure=locked)
        name, storage = attachment.file.name, attachment.file.storage
        details = {"attachment": attachment.pk, "title": attachment.title}
        audit_record(actor=actor, action="disclosure.attachment_removed", target=locked, **details)
        attachment.delete()
        if not DisclosureAttachment.objects.filter(file=name).exists():
            transaction.on_commit(lambda: storage.delete(name))


def disclosure_delete(*, disclosure, actor):
    _require_manager(actor, disclosure)
    with transaction.atomic():
        locked = _locked(disclosure)
        _require_draft(locked)
        audit_record(actor=actor, action="disclosure.deleted", target=locked)
        locked.delete()


def _disclosure_name(disclosure) -> dict:
    """The disclosure's name as a notice parameter: its period is translated when shown."""
    period = notices.tr(
        "%(year)s年%(period)s", year=disclosure.year, period=disclosure.Period(disclosure.period).label
    )
    return notices.tr("%(period)s %(title)s", period=period, title=disclosure.title)


def _other_confirmers(disclosure, actor):
    """Who can confirm: the branch's other treasurers, and holders of the confirm permission."""
    from members.models import Member
    from unionhome import roles

    users = (
        get_user_model()
        .objects.filter(is_active=True, member__branch_id=disclosure.branch_id)
        .filter(
            Q(groups__name=roles.TREASURER)
            | Q(
                user_permissions__codename="confirm_disclosure",
                user_permissions__content_type__app_label="congress",
            )
            | Q(groups__permissions__codename="confirm_disclosure")
        )
    )
    users = users.exclude(pk=actor.pk).exclude(
        member__status__in=[Member.Status.TRANSFERRED, Member.Status.LEFT]
    )
    return users.distinct()


def disclosure_submit(*, disclosure, actor):
    """A treasurer asks for publication; a second person must confirm (four eyes)."""
    from django.urls import reverse

    _require_manager(actor, disclosure)
    with transaction.atomic():
        locked = _locked(disclosure)
        _require_draft(locked)
        lines = list(locked.lines.all())
        if not lines:
            raise DisclosureError(_("没有明细，不能提交公开。"))
        _refuse_names(locked, lines)
        locked.state = locked.State.PENDING
        locked.submitted_by = actor
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_by", "submitted_at"])
        audit_record(actor=actor, action="disclosure.submitted", target=locked)
        url = reverse("admin:congress_disclosure_confirm", args=[locked.pk])
        for user in _other_confirmers(locked, actor):
            notice_send(
                user=user,
                kind=notices.DISCLOSURE_PENDING,
                params={"title": _disclosure_name(locked)},
                settles_on=notices.settles_key(locked, notices.DISCLOSURE_PENDING),
                url=url,
            )
    return locked


def confirm_refusal(disclosure, actor) -> str | None:
    """Why the actor may not confirm the disclosure now (None when she may): the admin step shows
    it instead of the button, the service raises it."""
    from congress.disclosures.access import can_confirm_disclosure

    if disclosure.state != disclosure.State.PENDING:
        return _("只有“待复核”的经费公开可以确认公开。")
    if disclosure.submitted_by_id == getattr(actor, "pk", None):
        return _("提交人不能自己复核：需要另一位财务委员或分工会主席确认。")
    if not can_confirm_disclosure(actor, disclosure):
        return _("只有本分工会的另一位财务委员或分工会主席可以复核。")
    return None


def disclosure_confirm(*, disclosure, actor):
    """The second person confirms: the revision is published and never changes again."""
    with transaction.atomic():
        locked = _locked(disclosure)
        refusal = confirm_refusal(locked, actor)
        if refusal:
            raise DisclosureError(refusal)
        _refuse_names(locked, list(locked.lines.all()))
        locked.state = locked.State.PUBLISHED
        locked.confirmed_by = actor
        locked.published_at = timezone.now()
        locked.save(update_fields=["state", "confirmed_by", "published_at"])
        transaction.on_commit(_new_cache_generation)
        notices.notices_settle(obj=locked, kind=notices.DISCLOSURE_PENDING)  # whoever confirmed
        audit_record(
            actor=actor,
            action="disclosure.published",
            target=locked,
            revision=locked.revision,
            submitted_by=locked.submitted_by_id,
        )
    return locked


def _new_cache_generation():
    import time

    from django.core.cache import cache

    from congress.disclosures.selectors import GENERATION_KEY

    cache.set(GENERATION_KEY, time.time_ns(), None)


def disclosure_return(*, disclosure, actor, reason: str = ""):
    """Send a pending disclosure back to draft (the confirmer declines, or the submitter withdraws)."""
    from congress.disclosures.access import can_confirm_disclosure

    with transaction.atomic():
        locked = _locked(disclosure)
        if locked.state != locked.State.PENDING:
            raise DisclosureError(_("只有“待复核”的经费公开可以退回。"))
        if locked.submitted_by_id != actor.pk and not can_confirm_disclosure(actor, locked):
            raise DisclosureError(_("只有提交人或复核人可以退回。"))
        submitter = locked.submitted_by
        locked.state = locked.State.DRAFT
        locked.submitted_by = None
        locked.submitted_at = None
        locked.save(update_fields=["state", "submitted_by", "submitted_at"])
        audit_record(actor=actor, action="disclosure.returned", target=locked, reason=reason)
        notices.notices_settle(obj=locked, kind=notices.DISCLOSURE_PENDING)
        if submitter is not None and submitter.pk != actor.pk:
            from django.urls import reverse

            notice_send(
                user=submitter,
                kind=notices.DISCLOSURE_RETURNED,
                params={"title": _disclosure_name(locked), "reason": reason or "—"},
                url=reverse("admin:congress_disclosure_change", args=[locked.pk]),
            )
    return locked


def disclosure_correct(*, disclosure, actor, reason: str):
    """Correct a published disclosure: a new draft revision with the reason; the old one stays."""
    from congress.disclosures.models import Disclosure, DisclosureAttachment, DisclosureLine

    _require_manager(actor, disclosure)
    reason = (reason or "").strip()
    if not reason:
        raise DisclosureError(_("请写明更正原因：它会和新版本一起公开。"))
    with transaction.atomic():
        locked = _locked(disclosure)
        if not locked.is_published:
            raise DisclosureError(_("只有已公开的经费公开可以更正；草稿直接修改即可。"))
        if Disclosure.objects.filter(supersedes=locked).exists():
            raise DisclosureError(_("这个版本已经有更正版本了，请在最新版本上更正。"))
        names = branch_member_names(locked.branch_id)
        found = personal_names_in(reason, names)
        if found:
            raise DisclosureError(names_error(found))
        latest = locked.chain().aggregate(latest=Max("revision"))["latest"] or locked.revision
        revision = Disclosure.objects.create(
            branch_id=locked.branch_id,
            year=locked.year,
            period=locked.period,
            title=locked.title,
            summary=locked.summary,
            revision=latest + 1,
            supersedes=locked,
            reason=reason,
            created_by=actor,
        )
        DisclosureLine.objects.bulk_create(
            [
                DisclosureLine(
                    disclosure=revision,
                    category_id=line.category_id,
                    item=line.item,
                    budget=line.budget,
                    actual=line.actual,
                    headcount=line.headcount,
                    note=line.note,
                    source=line.source,
                    sort_order=line.sort_order,
                )
                for line in locked.lines.all()
            ]
        )
        DisclosureAttachment.objects.bulk_create(
            [
                DisclosureAttachment(
                    disclosure=revision,
                    title=attachment.title,
                    file=attachment.file.name,
                    original_name=attachment.original_name,
                )
                for attachment in locked.attachments.all()
            ]
        )
        audit_record(
            actor=actor, action="disclosure.corrected", target=revision, supersedes=locked.pk, reason=reason
        )
    return revision


AID_CATEGORY = ("维权支出", "困难职工帮扶费")
BENEFIT_CATEGORY = ("职工活动支出", "职工集体福利支出")
CARE_CATEGORY = ("维权支出", "送温暖费")


def _category(path):
    from congress.disclosures.models import FinanceCategory

    parent, name = path
    category = FinanceCategory.objects.filter(
        kind=FinanceCategory.Kind.EXPENDITURE, parent__name=parent, name=name
    ).first()
    if category is None:
        raise DisclosureError(
            _("找不到类别“%(parent)s / %(name)s”，请先在经费类别中恢复它。")
            % {"parent": parent, "name": name}
        )
    return category


def disclosure_pull_welfare(*, disclosure, actor) -> int:
    """Replace the draft's aid, benefit and care-visit lines with the welfare totals of its year:
    counts and amounts per ground, kind or occasion, never a name. Returns the lines written."""
    from congress.disclosures import selectors
    from congress.disclosures.models import DisclosureLine

    _require_manager(actor, disclosure)
    with transaction.atomic():
        locked = _locked(disclosure)
        _require_draft(locked)
        aid = selectors.welfare_aid_totals(branch=locked.branch, year=locked.year)
        benefits = selectors.welfare_benefit_totals(branch=locked.branch, year=locked.year)
        care = selectors.welfare_care_visit_totals(branch=locked.branch, year=locked.year)
        names = branch_member_names(locked.branch_id)
        note = _("%(year)s年全年累计，来自帮扶与慰问记录") % {"year": locked.year}
        new_lines = []
        for source, totals, path in (
            (DisclosureLine.Source.AID, aid, AID_CATEGORY),
            (DisclosureLine.Source.BENEFIT, benefits, BENEFIT_CATEGORY),
            (DisclosureLine.Source.CARE, care, CARE_CATEGORY),
        ):
            if not totals:
                continue
            category = _category(path)
            for order, total in enumerate(totals):
                if not total["count"] and not total["amount"]:
                    continue  # the selectors list every ground and kind, most with nothing paid
                found = personal_names_in(total["label"], names)
                if found:
                    raise DisclosureError(names_error(found))
                new_lines.append(
                    DisclosureLine(
                        disclosure=locked,
                        category=category,
                        item=total["label"][:120],
                        actual=total["amount"],
                        headcount=total["count"],
                        note=note,
                        source=source,
                        sort_order=100 + order,
                    )
                )
        deleted, _detail = locked.lines.exclude(source=DisclosureLine.Source.MANUAL).delete()
        DisclosureLine.objects.bulk_create(new_lines)
        audit_record(
            actor=actor,
            action="disclosure.welfare_pulled",
            target=locked,
            added=len(new_lines),
            deleted=deleted,
        )
    return len(new_lines)


# The category tree (shared by every branch): only a superuser changes it.


def _require_superuser(actor):
    if not getattr(actor, "is_superuser", False):
        raise DisclosureError(_("经费类别由各分工会共用，只有系统管理员可以修改。"))


def finance_category_save(*, category, actor, changed=()):
    """Add or change a category. A category that published disclosures show keeps its name, kind
    and place (retire it instead)."""
    from django.core.exceptions import ValidationError

    from congress.disclosures.models import Disclosure, FinanceCategory

    _require_superuser(actor)
    changed = sorted(changed)
    with transaction.atomic():
        created = category.pk is None
        if not created:
            current = FinanceCategory.objects.select_for_update().get(pk=category.pk)
            moved = (current.kind, current.parent_id, current.name) != (
                category.kind,
                category.parent_id,
                category.name,
            )
            published = current.lines.filter(disclosure__state=Disclosure.State.PUBLISHED)
            if moved and published.exists():
                raise DisclosureError(_("已公开的经费公开用了这个类别：名称、收支和上级不能再改，请停用。"))
        try:
            category.clean()
        except ValidationError as error:
            field = next(iter(error.message_dict), None) if hasattr(error, "error_dict") else None
            raise DisclosureError(" ".join(error.messages), field=field) from None
        category.save()
        audit_record(
            actor=actor,
            action="finance_category.created" if created else "finance_category.changed",
            target=category,
            fields=changed,
        )
    return category


def finance_category_delete(*, category, actor):
    """Delete a category no line uses (a used one is retired instead: `is_active` off)."""
    from congress.disclosures.models import FinanceCategory

    _require_superuser(actor)
    with transaction.atomic():
        locked = FinanceCategory.objects.select_for_update().get(pk=category.pk)
        if locked.lines.exists() or locked.children.exists():
            raise DisclosureError(_("这个类别已有明细或子类别，不能删除；请停用它。"))
        audit_record(actor=actor, action="finance_category.deleted", target=locked, name=str(locked))
        locked.delete()
