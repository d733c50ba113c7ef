"""Every state change of the finance disclosures: drafts, four-eyes publication, corrections,
the welfare totals pulled into a draft."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhome.audit import audit_record
from unionhome.errors import DomainError
from unionhome.notices import notice_send


class DisclosureError(DomainError):
    """A change the rules forbid; the message is shown to the user as it is."""


MIN_NAME_LENGTH = 2


def branch_member_names(branch_id) -> list[str]:
    """The names of the branch's members (every status): none may appear in a disclosure."""
    from members.models import Member

    names = Member.objects.filter(branch_id=branch_id).values_list("name", flat=True)
    return sorted(
        {name.strip() for name in names if len(name.strip()) >= MIN_NAME_LENGTH}, key=len, reverse=True
    )


def personal_names_in(text, names) -> list[str]:
    """The members' names that a text contains (aid and benefit lines name no one: counts only)."""
    text = str(text or "")
    return [name for name in names if name in text]


def names_error(found) -> str:
    return _("不能出现个人姓名（%(names)s）：帮扶和慰问只公开人次和金额。") % {"names": _("、").join(found)}


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
    """Attachments are PDF files, checked by their content (not the name), within the size limit."""
    limit = settings.UNIONHOME_DISCLOSURE_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise DisclosureError(
            _("文件太大（%(size)s），上限是 %(limit)s。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head[:1024] or not head.lstrip().startswith(b"%PDF-"):
        raise DisclosureError(_("附件必须是 PDF 文件（按文件内容检查）。"))


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


def disclosure_lines_recorded(*, disclosure, actor, added=0, changed=0, deleted=0):
    """Audit the lines a treasurer changed on a draft (the admin inline and the import)."""
    with transaction.atomic():
        _require_draft(_locked(disclosure))
        audit_record(
            actor=actor,
            action="disclosure.lines_changed",
            target=disclosure,
            added=added,
            changed=changed,
            deleted=deleted,
        )


def disclosure_delete(*, disclosure, actor):
    _require_manager(actor, disclosure)
    with transaction.atomic():
        locked = _locked(disclosure)
        _require_draft(locked)
        audit_record(actor=actor, action="disclosure.deleted", target=locked)
        locked.delete()


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
                message=_("经费公开“%(title)s”等待您复核后公开。") % {"title": locked},
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
        if submitter is not None and submitter.pk != actor.pk:
            from django.urls import reverse

            notice_send(
                user=submitter,
                message=_("经费公开“%(title)s”被退回修改：%(reason)s")
                % {"title": locked, "reason": reason or "—"},
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
                DisclosureAttachment(disclosure=revision, title=attachment.title, file=attachment.file.name)
                for attachment in locked.attachments.all()
            ]
        )
        audit_record(
            actor=actor, action="disclosure.corrected", target=revision, supersedes=locked.pk, reason=reason
        )
    return revision


AID_CATEGORY = ("维权支出", "困难职工帮扶支出")
BENEFIT_CATEGORY = ("职工活动支出", "会员活动支出")
CARE_CATEGORY = ("维权支出", "送温暖支出")


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
