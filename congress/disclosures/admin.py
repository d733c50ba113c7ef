"""Treasurers' screens for the finance disclosures: drafts, the four-eyes steps, line import."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from congress.disclosures import access as congress_access
from congress.disclosures import selectors, services
from congress.disclosures.forms import (
    DisclosureAdminForm,
    DisclosureAttachmentForm,
    DisclosureLineFormSet,
    DisclosureReasonForm,
    LineConfirmImportForm,
    LineImportForm,
    OptionalReasonForm,
)
from congress.disclosures.models import Disclosure, DisclosureAttachment, DisclosureLine, FinanceCategory
from congress.disclosures.resources import DisclosureLineResource
from members.admin import SpreadsheetImportMixin
from members.admin_scope import BranchScopedAdminMixin, BranchScopedInlineMixin, SuperuserWritesAdminMixin
from unionhome.admin_refusals import ServiceRefusalAdminMixin


class FinanceCategoryChildInline(SuperuserWritesAdminMixin, BranchScopedInlineMixin, admin.TabularInline):
    model = FinanceCategory
    fk_name = "parent"
    extra = 0
    fields = ["name", "kind", "sort_order", "is_active", "source"]
    verbose_name = gettext_lazy("子类别")
    verbose_name_plural = gettext_lazy("子类别")

    def get_queryset(self, request):  # a global list (branch_lookup = False): the same for every branch
        return admin.TabularInline.get_queryset(self, request)


@admin.register(FinanceCategory)
class FinanceCategoryAdmin(
    ServiceRefusalAdminMixin, SuperuserWritesAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin
):
    """The two-level income/expenditure tree, shared by every branch.

    Treasurers see it; only a superuser adds, renames or retires a category, since a change here
    changes every branch's disclosures.
    """

    list_display = ["__str__", "kind", "sort_order", "is_active", "source"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent"]
    fields = ["kind", "parent", "name", "sort_order", "is_active", "source"]
    inlines = [FinanceCategoryChildInline]

    def get_queryset(self, request):  # branch_lookup = False: every branch sees the one list
        return admin.ModelAdmin.get_queryset(self, request)

    def get_readonly_fields(self, request, obj=None):
        # A name that published disclosures show stays as they showed it; retire it instead.
        if obj is not None and obj.lines.filter(disclosure__state=Disclosure.State.PUBLISHED).exists():
            return ["kind", "parent", "name"]
        return []

    def save_model(self, request, obj, form, change):
        services.finance_category_save(category=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        children = formset.save(commit=False)
        for child in children:
            child.parent = form.instance
            changed = next((f.changed_data for f in formset.forms if f.instance is child), ())
            services.finance_category_save(category=child, actor=request.user, changed=changed)
        for child in formset.deleted_objects:
            services.finance_category_delete(category=child, actor=request.user)

    def delete_model(self, request, obj):
        services.finance_category_delete(category=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for category in queryset:
            services.finance_category_delete(category=category, actor=request.user)


class _DraftOnlyInline:
    """Lines and attachments change only while their disclosure is a draft."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.is_draft)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)


class DisclosureLineInline(_DraftOnlyInline, BranchScopedInlineMixin, admin.TabularInline):
    model = DisclosureLine
    formset = DisclosureLineFormSet
    extra = 0
    fields = ["category", "item", "budget", "actual", "headcount", "note", "source", "sort_order"]
    readonly_fields = ["source"]
    # Labelled inputs, a table that fits 1280px (issue 16).
    template = "admin/congress/disclosure/lines_inline.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category__parent")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "category":
            field.queryset = FinanceCategory.objects.filter(is_active=True).select_related("parent")
            field.choices = category_choices(field.queryset)
        return field


def category_choices(categories):
    """The category select: grouped by income and expenditure, each in the tree's order (a top
    category, then its children, indented), as the published disclosure lists them."""
    by_parent = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)
    choices = [("", "---------")]
    for kind, label in FinanceCategory.Kind.choices:
        options = []
        tops = sorted(
            (c for c in by_parent.get(None, []) if c.kind == kind), key=lambda c: (c.sort_order, c.pk)
        )
        for top in tops:
            options.append((top.pk, top.name))
            for child in sorted(by_parent.get(top.pk, []), key=lambda c: (c.sort_order, c.pk)):
                options.append((child.pk, f"\u3000{child.name}"))  # an ideographic space: the indent
        if options:
            choices.append((label, options))
    return choices


class DisclosureAttachmentInline(_DraftOnlyInline, BranchScopedInlineMixin, admin.TabularInline):
    """New attachments are added and old ones removed (DisclosureAdmin.save_formset, through the
    services); an attachment is never changed in place: its row is read-only."""

    model = DisclosureAttachment
    form = DisclosureAttachmentForm
    extra = 0
    fields = ["title", "upload", "download"]
    readonly_fields = ["download"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("下载"))
    def download(self, attachment):
        # Attachments are never served from a media URL: only through the access-checked view.
        if not attachment.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.title)


class DisclosureWaitingFilter(admin.SimpleListFilter):
    """ "Mine to do": the revisions waiting for this person's confirmation (four eyes)."""

    title = gettext_lazy("待办")
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [("mine", _("我的待办"))]

    def queryset(self, request, queryset):
        from congress.disclosures.selectors import confirm_queue

        if self.value() != "mine":
            return queryset
        return queryset.filter(pk__in={row["disclosure"].pk for row in confirm_queue(request.user)})


@admin.register(Disclosure)
class DisclosureAdmin(ServiceRefusalAdminMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    form = DisclosureAdminForm
    list_display = [
        "period_display",
        "title",
        "branch",
        "revision",
        "state",
        "published_at",
        "is_current",
        "next_step",
        "waiting_since",
    ]
    list_filter = [DisclosureWaitingFilter, "state", "year", "period"]
    search_fields = ["title"]
    list_select_related = ["branch"]
    inlines = [DisclosureLineInline, DisclosureAttachmentInline]
    workflow_fields = [
        "workflow",
        "totals",
        "state",
        "revision",
        "reason",
        "submitted_by",
        "confirmed_by",
        "published_at",
    ]

    def get_queryset(self, request):
        successor = Disclosure.objects.filter(supersedes=OuterRef("pk"), state=Disclosure.State.PUBLISHED)
        return super().get_queryset(request).annotate(has_published_successor=Exists(successor))

    @admin.display(description=gettext_lazy("下一步"))
    def next_step(self, disclosure):
        if disclosure.state == Disclosure.State.PENDING:
            return _("复核并公开，或退回修改（须由提交人以外的人）")
        if disclosure.state == Disclosure.State.DRAFT:
            return _("填写收支后提交复核")
        return "—"

    @admin.display(description=gettext_lazy("等待自"))
    def waiting_since(self, disclosure):
        if disclosure.state == Disclosure.State.PENDING and disclosure.submitted_at:
            return timezone.localtime(disclosure.submitted_at).date().isoformat()
        if disclosure.state == Disclosure.State.DRAFT:
            return timezone.localtime(disclosure.created_at).date().isoformat()
        return "—"

    def get_fieldsets(self, request, obj=None):
        heading = ["branch", "year", "period", "title", "summary"]
        if obj is None:
            return [(None, {"fields": heading})]
        return [(None, {"fields": heading}), (gettext_lazy("公开流程"), {"fields": self.workflow_fields})]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = ["branch", "year", "period"] if obj.revision > 1 or not obj.is_draft else []
        if not obj.is_draft:
            fixed += ["title", "summary"]
        return fixed + self.workflow_fields

    def has_change_permission(self, request, obj=None):
        # Submitted and published revisions are shown read-only: they change only through the steps.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def get_changeform_initial_data(self, request):
        from django.utils import timezone

        from members.access import branch_id_for

        initial = super().get_changeform_initial_data(request)
        initial.setdefault("branch", branch_id_for(request.user))
        initial.setdefault("year", timezone.localdate().year)
        return initial

    @admin.display(description=gettext_lazy("期间"), ordering="year")
    def period_display(self, disclosure):
        return disclosure.period_label

    @admin.display(description=gettext_lazy("现行版本"), boolean=True)
    def is_current(self, disclosure):
        return disclosure.is_published and not disclosure.has_published_successor

    @admin.display(description=gettext_lazy("合计与差异"))
    def totals(self, disclosure):
        return totals_html(disclosure)

    @admin.display(description=gettext_lazy("下一步"))
    def workflow(self, disclosure):
        links = []
        if disclosure.is_draft:
            links.append(
                (reverse("admin:congress_disclosure_submit", args=[disclosure.pk]), _("核对合计并提交复核"))
            )
            links.append(
                (
                    reverse("admin:congress_disclosureline_import") + f"?disclosure={disclosure.pk}",
                    _("从表格导入明细"),
                )
            )
            links.append(
                (
                    reverse("admin:congress_disclosure_pull_welfare", args=[disclosure.pk]),
                    _("汇入帮扶与慰问汇总"),
                )
            )
        elif disclosure.state == Disclosure.State.PENDING:
            viewer = getattr(disclosure, "viewer", None)
            if viewer is not None and congress_access.can_confirm_disclosure(viewer, disclosure):
                links.append(
                    (reverse("admin:congress_disclosure_confirm", args=[disclosure.pk]), _("复核并公开"))
                )
            links.append((reverse("admin:congress_disclosure_return", args=[disclosure.pk]), _("退回修改")))
        else:
            links.append(
                (reverse("admin:congress_disclosure_correct", args=[disclosure.pk]), _("更正（生成新版本）"))
            )
        links.append((reverse("disclosures:detail", args=[disclosure.pk]), _("查看公开页面")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def get_object(self, request, object_id, from_field=None):
        disclosure = super().get_object(request, object_id, from_field)
        if disclosure is not None:
            disclosure.viewer = request.user  # the workflow column offers only the steps she may take
        return disclosure

    def save_model(self, request, obj, form, change):
        services.disclosure_save(disclosure=obj, actor=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        disclosure = form.instance
        if formset.model is DisclosureLine:
            saved = formset.save(commit=False)
            if saved or formset.deleted_objects:
                services.disclosure_lines_change(
                    disclosure=disclosure, actor=request.user, saved=saved, deleted=formset.deleted_objects
                )
        elif formset.model is DisclosureAttachment:
            # the admin's change message reads these, as after formset.save()
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.forms:
                attachment = inline_form.instance
                if inline_form in formset.deleted_forms:
                    if attachment.pk is not None:
                        services.disclosure_attachment_remove(attachment=attachment, actor=request.user)
                        formset.deleted_objects.append(attachment)
                elif attachment.pk is None and inline_form.has_changed():
                    added = services.disclosure_attachment_add(
                        disclosure=disclosure,
                        actor=request.user,
                        title=inline_form.cleaned_data["title"],
                        upload=inline_form.cleaned_data["upload"],
                    )
                    formset.new_objects.append(added)

    def delete_model(self, request, obj):
        services.disclosure_delete(disclosure=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for disclosure in queryset:
            services.disclosure_delete(disclosure=disclosure, actor=request.user)

    def get_urls(self):
        views = [
            ("submit", self.submit_view),
            ("confirm", self.confirm_view),
            ("return", self.return_view),
            ("correct", self.correct_view),
            ("pull_welfare", self.pull_welfare_view),
        ]
        return [
            *[
                path(
                    f"<int:object_id>/{name}/",
                    self.admin_site.admin_view(view),
                    name=f"congress_disclosure_{name}",
                )
                for name, view in views
            ],
            *super().get_urls(),
        ]

    # Each step: GET shows the totals and what will happen; POST calls the service.

    def _step(
        self,
        request,
        object_id,
        *,
        title,
        button,
        explain,
        run,
        form_class=None,
        allowed,
        refusal=None,
        lands_on_public_page=False,
    ):
        """`refusal(disclosure)`: a reason she may not take the step, shown instead of the button.
        A step that publishes lands on the public page, which every confirmer may read (the chair
        holds only the confirm permission, not the admin's view of disclosures)."""
        disclosure = get_object_or_404(self.get_queryset(request).select_related("branch"), pk=object_id)
        if not allowed(disclosure):
            raise PermissionDenied
        refused = refusal(disclosure) if refusal else None
        form = form_class(request.POST or None) if form_class else None
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                message, target = run(disclosure, form.cleaned_data if form else {})
            except services.DisclosureError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, message)
                if lands_on_public_page:
                    return redirect(target)
                return redirect(reverse("admin:congress_disclosure_change", args=[target.pk]))
        if self.has_view_permission(request, disclosure):
            back = reverse("admin:congress_disclosure_change", args=[disclosure.pk])
        else:
            back = disclosure.get_absolute_url()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "original": disclosure,
            "disclosure": disclosure,
            "form": form,
            "button": None if refused else button,
            "refused": refused,
            "back": back,
            "explain": explain,
            "totals": totals_html(disclosure),
            "lines": selectors.disclosure_lines(disclosure),
        }
        return TemplateResponse(request, "admin/congress/disclosure_step.html", context)

    def _manages(self, request):
        return lambda disclosure: congress_access.can_manage_disclosures(request.user, disclosure.branch_id)

    def submit_view(self, request, object_id):
        return self._step(
            request,
            object_id,
            title=_("核对合计并提交复核"),
            button=_("提交复核"),
            explain=_(
                "提交后，需要另一位财务委员或分工会主席复核确认才会公开（双人复核）；复核前明细不能修改。"
            ),
            allowed=self._manages(request),
            run=lambda d, _data: (
                _("已提交复核，等待另一位财务委员或分工会主席确认。"),
                services.disclosure_submit(disclosure=d, actor=request.user),
            ),
        )

    def confirm_view(self, request, object_id):
        return self._step(
            request,
            object_id,
            title=_("复核并公开"),
            button=_("确认公开"),
            explain=_("请核对下面的合计与明细。确认后这个版本即公开，此后不能修改，只能更正为新版本。"),
            allowed=lambda d: (
                congress_access.can_confirm_disclosure(request.user, d)
                or congress_access.can_manage_disclosures(request.user, d.branch_id)
            ),
            refusal=lambda d: services.confirm_refusal(d, request.user),
            lands_on_public_page=True,
            run=lambda d, _data: (
                _("已公开。"),
                services.disclosure_confirm(disclosure=d, actor=request.user),
            ),
        )

    def return_view(self, request, object_id):
        return self._step(
            request,
            object_id,
            title=_("退回修改"),
            button=_("退回为草稿"),
            explain=_("退回后回到草稿，可以修改后重新提交复核。"),
            form_class=OptionalReasonForm,
            allowed=lambda d: (
                congress_access.can_confirm_disclosure(request.user, d)
                or congress_access.can_manage_disclosures(request.user, d.branch_id)
            ),
            run=lambda d, data: (
                _("已退回为草稿。"),
                services.disclosure_return(disclosure=d, actor=request.user, reason=data.get("reason", "")),
            ),
        )

    def correct_view(self, request, object_id):
        return self._step(
            request,
            object_id,
            title=_("更正（生成新版本）"),
            button=_("生成更正草稿"),
            explain=_(
                "已公开的版本不会被修改：更正会复制出一个新版本草稿，写明原因，复核公开后替代当前版本，旧版本仍可查看。"
            ),
            form_class=DisclosureReasonForm,
            allowed=self._manages(request),
            run=lambda d, data: (
                _("已生成更正草稿，请修改后提交复核。"),
                services.disclosure_correct(disclosure=d, actor=request.user, reason=data["reason"]),
            ),
        )

    def pull_welfare_view(self, request, object_id):
        def run(disclosure, _data):
            count = services.disclosure_pull_welfare(disclosure=disclosure, actor=request.user)
            if count:
                return _("已汇入 %(count)s 行帮扶与慰问汇总（只有人次和金额）。") % {
                    "count": count
                }, disclosure
            return _("帮扶与慰问记录里还没有这一年的汇总。"), disclosure

        return self._step(
            request,
            object_id,
            title=_("汇入帮扶与慰问汇总"),
            button=_("汇入"),
            explain=_(
                "按困难补助类别、慰问种类和送温暖走访汇入全年的人次和金额，替换之前汇入的行；不含任何个人姓名。"
            ),
            allowed=self._manages(request),
            run=run,
        )


def totals_html(disclosure):
    if disclosure.pk is None:
        return "—"
    summary = selectors.disclosure_summary(selectors.disclosure_lines(disclosure))
    return render_to_string("admin/congress/disclosure_totals.html", {"sides": summary.values()})


@admin.register(DisclosureLine)
class DisclosureLineAdmin(
    SpreadsheetImportMixin, ImportExportMixin, BranchScopedAdminMixin, admin.ModelAdmin
):
    """All lines, for import into a draft and export; lines are edited on their disclosure."""

    resource_classes = [DisclosureLineResource]
    formats = [XLSX, CSV]
    import_form_class = LineImportForm
    confirm_form_class = LineConfirmImportForm
    list_display = ["disclosure", "category", "item", "budget", "actual", "headcount"]
    list_filter = ["disclosure__year", "category__kind"]
    list_select_related = ["disclosure", "category__parent"]
    search_fields = ["item", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_import_form_kwargs(self, request):
        kwargs = super().get_import_form_kwargs(request)
        kwargs["request"] = request
        return kwargs

    def get_import_form_initial(self, request):
        return {"disclosure": request.GET.get("disclosure")}

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["request"] = request
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["disclosure"] = import_form.cleaned_data["disclosure"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        disclosure = None
        if form is not None and form.is_bound and form.is_valid():
            disclosure = form.cleaned_data.get("disclosure")
            if disclosure is not None and not congress_access.can_manage_disclosures(
                request.user, disclosure.branch_id
            ):
                raise PermissionDenied
        return {"disclosure": disclosure, "actor": request.user}

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def process_dataset(self, dataset, form, request, **kwargs):
        result = super().process_dataset(dataset, form, request, **kwargs)
        if not result.has_errors() and not result.has_validation_errors():
            # the lines were written by services.disclosure_lines_import (the resource's after_import)
            request.confirmed_disclosure = form.cleaned_data["disclosure"]
        return result

    def process_result(self, result, request):
        response = super().process_result(result, request)
        disclosure = getattr(request, "confirmed_disclosure", None)
        if disclosure is not None:
            return redirect(reverse("admin:congress_disclosure_change", args=[disclosure.pk]))
        return response
