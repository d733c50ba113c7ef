"""Secretaries' screens for the congress.

Proposals change state only through congress.services (admin actions and the staff forms on
the proposal page); their text and history are read-only here. Attendance and votes are
recorded on the session page, through the services; admin shows them.
"""

from django.contrib import admin, messages
from django.db import transaction
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


class ReadOnlyInline(BranchScopedInlineMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Term)
class TermAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "branch", "mode", "starts_on", "ends_on"]
    list_filter = ["mode"]


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["member", "recorded_at"]
    readonly_fields = fields


class VoteInline(ReadOnlyInline):
    model = Vote
    fields = ["item", "yes", "no", "abstain", "created_at"]
    readonly_fields = fields


@admin.register(Session)
class SessionAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "term", "starts_on", "collect_from", "collect_until", "reply_days"]
    list_select_related = ["term"]
    inlines = [AttendanceInline, VoteInline]


@admin.register(Delegation)
class DelegationAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "term"]
    list_select_related = ["term"]
    search_fields = ["name"]


@admin.register(Delegate)
class DelegateAdmin(RosterImportExportMixin, ImportExportMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    """Delegates, also imported from a spreadsheet (工号, 届次, 代表团, 提案工作委员会委员)."""

    resource_classes = [DelegateResource]
    list_display = ["member", "term", "delegation", "on_committee"]
    list_filter = ["term", "delegation", "on_committee"]
    list_select_related = ["member", "term", "delegation"]
    search_fields = ["member__name", "member__staff_number"]
    autocomplete_fields = ["member"]

    def get_import_resource_kwargs(self, request, **kwargs):
        from members.access import branch_for

        return {"branch": branch_for(request.user)}

    def get_export_resource_kwargs(self, request, **kwargs):
        from members.access import branch_for

        return {"branch": branch_for(request.user)}


@admin.register(Unit)
class UnitAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "branch"]
    search_fields = ["name"]
    autocomplete_fields = ["contacts"]


@admin.register(ProposalCategory)
class ProposalCategoryAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """One category list for the installation: only a superuser edits it (it is no branch's)."""

    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


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


@admin.register(Proposal)
class ProposalAdmin(ServiceRefusalAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    """Read-only record; decisions and assignment through the actions and the proposal page."""

    list_display = ["number", "title", "proposer", "category", "state", "lead_unit", "deadline"]
    list_filter = ["session", "state", "category"]
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
        return super().get_queryset(request).submitted()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("立案（所选待审查提案）"), permissions=["change"])
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
class SuggestionAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The finance disclosures' admin registers itself (congress/disclosures/admin.py).
import congress.disclosures.admin  # noqa: E402, F401
