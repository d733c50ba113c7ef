"""Secretaries' screens for the congress.

Proposals change state only through congress.services (admin actions and the staff forms on
the proposal page); their text and history are read-only here. Attendance and votes are
recorded on the session page, through the services; admin shows them.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin

from congress import services
from congress.models import (
    Attendance,
    CoSign,
    Delegate,
    Delegation,
    Proposal,
    ProposalCategory,
    ProposalEvent,
    Reply,
    Session,
    Suggestion,
    Term,
    Unit,
    Verdict,
    Vote,
)
from congress.resources import DelegateResource
from members.admin import RosterImportExportMixin
from members.admin_scope import BranchScopedAdminMixin, BranchScopedInlineMixin
from unionhome.admin_refusals import ServiceRefusalAdminMixin


def _nobody(self, request, obj=None):
    return False


def _superusers(self, request, obj=None):
    return request.user.is_superuser


class ReadOnlyInline(BranchScopedInlineMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False
    has_add_permission = has_change_permission = has_delete_permission = _nobody


class ServiceAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """Saves and deletes go through the congress services `<noun>_save` / `<noun>_delete`
    (checked and audited there); each admin puts ServiceRefusalAdminMixin first to show a refusal."""

    noun = ""

    def _service(self, verb):
        return getattr(services, f"{self.noun}_{verb}")

    def save_model(self, request, obj, form, change):
        self._service("save")(actor=request.user, **{self.service_argument: obj}, changed=form.changed_data)

    def delete_model(self, request, obj):
        self._service("delete")(actor=request.user, **{self.service_argument: obj})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or none: one refusal rolls the whole selection back
            for obj in queryset:
                self.delete_model(request, obj)

    @property
    def service_argument(self):
        return self.noun.rsplit("_", 1)[-1]


class ReadOnlyAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """A record that changes only through the services' own steps (pages and actions)."""

    has_add_permission = has_change_permission = has_delete_permission = _nobody


@admin.register(Term)
class TermAdmin(ServiceRefusalAdminMixin, ServiceAdmin):
    noun = "term"
    list_display = ["__str__", "branch", "mode", "starts_on", "ends_on"]
    list_filter = ["mode"]


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["member", "recorded_at"]
    readonly_fields = fields


class VoteInline(ReadOnlyInline):
    model = Vote
    fields = ["item", "present", "yes", "no", "abstain", "created_at"]
    readonly_fields = fields


@admin.register(Session)
class SessionAdmin(ServiceRefusalAdminMixin, ServiceAdmin):
    """Sessions; attendance and votes are recorded on the session page (services), shown here."""

    noun = "session"
    list_display = [
        "__str__",
        "term",
        "starts_on",
        "collect_from",
        "collect_until",
        "reply_days",
        "opened_at",
    ]
    list_select_related = ["term"]
    readonly_fields = ["opened_at", "delegates_count", "quorum_required", "majority_required"]
    inlines = [AttendanceInline, VoteInline]
    actions = ["open_selected"]

    def save_formset(self, request, form, formset, change):
        """The inlines are read-only: attendance and votes change only through their services."""

    @admin.action(description=gettext_lazy("开会（确定应到代表人数）"), permissions=["change"])
    def open_selected(self, request, queryset):
        with transaction.atomic():
            for session in queryset:
                services.session_open(user=request.user, session=session)
        self.message_user(request, _("已开会 %(n)s 次。") % {"n": len(queryset)}, messages.SUCCESS)


@admin.register(Delegation)
class DelegationAdmin(ServiceRefusalAdminMixin, ServiceAdmin):
    noun = "delegation"
    list_display = ["name", "term"]
    list_select_related = ["term"]
    search_fields = ["name"]


@admin.register(Delegate)
class DelegateAdmin(ServiceRefusalAdminMixin, RosterImportExportMixin, ImportExportMixin, ServiceAdmin):
    """Delegates, also imported from a spreadsheet (工号, 届次, 代表团, 提案工作委员会委员):
    each imported row is saved by delegate_save, like a seat entered here."""

    noun = "delegate"
    resource_classes = [DelegateResource]
    list_display = ["member", "term", "delegation", "on_committee"]
    list_filter = ["term", "delegation", "on_committee"]
    list_select_related = ["member", "term", "delegation"]
    search_fields = ["member__name", "member__staff_number"]
    autocomplete_fields = ["member"]

    def get_import_resource_kwargs(self, request, **kwargs):
        from members.access import branch_for

        return {"branch": branch_for(request.user), "actor": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        from members.access import branch_for

        return {"branch": branch_for(request.user)}


@admin.register(Unit)
class UnitAdmin(ServiceRefusalAdminMixin, ServiceAdmin):
    noun = "unit"
    list_display = ["name", "branch"]
    search_fields = ["name"]
    autocomplete_fields = ["contacts"]

    def save_model(self, request, obj, form, change):
        services.unit_save(
            actor=request.user,
            unit=obj,
            contacts=form.cleaned_data.get("contacts"),
            changed=form.changed_data,
        )

    def save_related(self, request, form, formsets, change):
        """The contacts were set by unit_save (audited there); the unit has no inlines."""


@admin.register(ProposalCategory)
class ProposalCategoryAdmin(ServiceRefusalAdminMixin, ServiceAdmin):
    """One category list for the installation: only a superuser edits it (it is no branch's)."""

    noun = "proposal_category"
    list_display = ["name", "sort_order", "is_active"]

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)

    has_module_permission = has_view_permission = _superusers
    has_add_permission = has_change_permission = has_delete_permission = _superusers


class CoSignInline(ReadOnlyInline):
    model = CoSign
    fields = ["member", "status", "invited", "responded_at"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ProposalEvent
    fields = ["created_at", "kind", "actor_name", "note", "is_public"]
    readonly_fields = fields


class ReplyInline(ReadOnlyInline):
    model = Reply
    fields = ["created_at", "unit", "kind", "handling_round", "grade", "body", "on_time"]
    readonly_fields = fields


class VerdictInline(ReadOnlyInline):
    model = Verdict
    fields = ["created_at", "member", "handling_round", "rating", "reason"]
    readonly_fields = fields


class ProposalWaitingFilter(admin.SimpleListFilter):
    """ "Mine to do" (the secretary's queue) and "overdue" (congress.selectors.proposal_waiting)."""

    title = gettext_lazy("待办")
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [("mine", _("我的待办")), ("overdue", _("已逾期"))]

    def queryset(self, request, queryset):
        from congress.selectors import secretary_queue

        if self.value() not in ("mine", "overdue"):
            return queryset
        rows = secretary_queue(request.user)
        if self.value() == "overdue":
            rows = [row for row in rows if row["overdue"]]
        return queryset.filter(pk__in={row["proposal"].pk for row in rows})


@admin.register(Proposal)
class ProposalAdmin(ServiceRefusalAdminMixin, ReadOnlyAdmin):
    """Read-only record; decisions and assignment through the action and the proposal page."""

    list_display = [
        "number",
        "title",
        "proposer",
        "category",
        "state",
        "lead_unit",
        "deadline",
        "next_step",
        "waiting_since",
        "due",
    ]
    list_filter = [ProposalWaitingFilter, "session", "state", "category"]
    list_select_related = ["proposer", "category", "lead_unit"]
    search_fields = ["number", "title", "proposer__name"]
    inlines = [CoSignInline, EventInline, ReplyInline, VerdictInline]
    actions = ["accept_selected"]
    readonly_fields = [
        "session",
        "number",
        "title",
        "reasons",
        "measures",
        "category",
        "suggested_unit",
        "proposer",
        "delegation",
        "is_collective",
        "state",
        "decision_reasons",
        "decided_at",
        "merged_into",
        "follower",
        "lead_unit",
        "deadline",
        "handling_round",
        "submitted_at",
        "closed_at",
        "from_suggestion",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        # A draft is its proposer's until submitted: not in the list, the change page or autocomplete.
        from congress.selectors import with_waiting

        return with_waiting(super().get_queryset(request).submitted())

    def _waiting(self, proposal):
        from congress.selectors import proposal_waiting

        return proposal_waiting(proposal)

    @admin.display(description=gettext_lazy("下一步"))
    def next_step(self, proposal):
        row = self._waiting(proposal)
        return row["next_step"] if row else "—"

    @admin.display(description=gettext_lazy("等待自"))
    def waiting_since(self, proposal):
        row = self._waiting(proposal)
        return row["since"].isoformat() if row and row["since"] else "—"

    @admin.display(description=gettext_lazy("期限"))
    def due(self, proposal):
        row = self._waiting(proposal)
        if not row or not row["due"]:
            return "—"
        if row["overdue"]:
            return format_html(
                '{} <span class="queue-overdue-label">{}</span>', row["due"].isoformat(), _("已逾期")
            )
        return row["due"].isoformat()

    def has_manage_permission(self, request):
        return request.user.has_perm("congress.manage_proposal")

    @admin.action(description=gettext_lazy("立案（所选待审查提案）"), permissions=["manage"])
    def accept_selected(self, request, queryset):
        """All or none: a refusal (say, no follower named) rolls the batch back and is shown."""
        with transaction.atomic():
            for proposal in queryset:
                try:
                    services.proposal_accept(user=request.user, proposal=proposal)
                except services.CongressError as error:
                    raise services.CongressError(f"{proposal.number}：{error.message}") from error
        self.message_user(request, _("已立案 %(n)s 件。") % {"n": len(queryset)}, messages.SUCCESS)


@admin.register(Suggestion)
class SuggestionAdmin(ServiceRefusalAdminMixin, ReadOnlyAdmin):
    """Answer and route on the suggestion's page (services); admin lists them."""

    list_display = ["title", "author", "state", "unit", "created_at"]
    list_filter = ["state"]
    list_select_related = ["author", "unit"]
    search_fields = ["title", "author__name"]
    readonly_fields = [
        "branch",
        "author",
        "title",
        "body",
        "state",
        "unit",
        "answer",
        "answered_at",
        "from_proposal",
        "created_at",
    ]
    fields = readonly_fields


# The finance disclosures' admin registers itself (congress/disclosures/admin.py).
import congress.disclosures.admin  # noqa: E402, F401
