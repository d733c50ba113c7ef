"""Finance disclosures' pages (/disclosures/): list, detail, PDF, lines download, compare, attachments."""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from congress.disclosures import access as congress_access
from congress.disclosures import selectors
from congress.disclosures.models import Disclosure, DisclosureAttachment, FinanceCategory
from congress.disclosures.resources import DisclosureLineResource
from unionhome.exports import spreadsheet_response

PUBLIC_BASE = "congress/disclosures/base_public.html"
CACHE_SECONDS = 7 * 24 * 3600
REPORT_VERSION = 5  # part of the cache key: bump it when report.html or pdf.html change


def disclosure_reader(view):
    """Readers of disclosures: signed-in users, or anyone when the setting makes them public.

    The pages are exempt from the portal's login requirement and ask for a login themselves
    when the disclosures are for members only.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and not congress_access.disclosures_are_public():
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return login_not_required(require_safe(wrapped))


def _base_template(request):
    """Visitors without a login see pages that link to nothing else of the portal."""
    return "base.html" if request.user.is_authenticated else PUBLIC_BASE


def disclosure_visible_or_404(request, pk) -> Disclosure:
    queryset = Disclosure.objects.visible_to(request.user).select_related(
        "branch", "submitted_by__member", "confirmed_by__member"
    )
    return get_object_or_404(queryset, pk=pk)


def _money_sum(kind):
    return Coalesce(
        Sum("lines__actual", filter=Q(lines__category__kind=kind)),
        Value(0),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


@disclosure_reader
def disclosure_list(request):
    """Current published disclosures, newest period first, with their income and spending."""
    disclosures = (
        Disclosure.objects.visible_to(request.user)
        .current()
        .select_related("branch")
        .annotate(
            income=_money_sum(FinanceCategory.Kind.INCOME),
            expenditure=_money_sum(FinanceCategory.Kind.EXPENDITURE),
        )
        .in_period_order()
    )
    years = {}
    for disclosure in disclosures:
        years.setdefault(disclosure.year, []).append(disclosure)
    branch_id = None
    if request.user.is_authenticated:
        from members.access import branch_id_for

        branch_id = branch_id_for(request.user)
    context = {
        "base_template": _base_template(request),
        "years": sorted(years.items(), reverse=True),
        "several_branches": len({d.branch_id for d in disclosures}) > 1,
        "can_manage": branch_id is not None
        and congress_access.can_manage_disclosures(request.user, branch_id),
    }
    return render(request, "congress/disclosures/list.html", context)


def _chain(disclosure, user):
    """The revisions of the disclosure's period the user may see, newest first."""
    return list(
        Disclosure.objects.visible_to(user)
        .filter(branch_id=disclosure.branch_id, year=disclosure.year, period=disclosure.period)
        .order_by("-revision")
    )


def _latest_published(chain):
    return next((revision for revision in chain if revision.is_published), None)


def _cache_key(kind, disclosure):
    """A published revision never changes; the generation moves on whenever any revision is
    published, which refreshes the "corrected by" notice and last year's comparison."""
    generation = selectors.cache_generation()
    return f"disclosure:{kind}:{disclosure.pk}:{generation}:{get_language()}:v{REPORT_VERSION}"


def disclosure_report(disclosure) -> dict:
    """Everything the page and the PDF show about one revision (a fixed number of queries)."""
    lines = selectors.disclosure_lines(disclosure)
    sides = selectors.disclosure_summary(lines)
    previous = selectors.previous_year_revision(disclosure)
    previous_sides = selectors.disclosure_summary(selectors.disclosure_lines(previous)) if previous else {}
    report_sides = []
    for kind, side in sides.items():
        report_sides.append(
            {
                "side": side,
                "chart": selectors.budget_actual_chart(side),
                "yoy": selectors.year_over_year(side, previous_sides.get(kind), year=disclosure.year),
            }
        )
    return {
        "disclosure": disclosure,
        "lines": lines,
        "sides": report_sides,
        "previous": previous,
        "per_head": selectors.per_head_against_caps(branch=disclosure.branch, year=disclosure.year),
        "attachments": list(disclosure.attachments.all()),
        "has_headcount": any(line.headcount is not None for line in lines),
    }


@disclosure_reader
def disclosure_detail(request, pk):
    disclosure = disclosure_visible_or_404(request, pk)
    chain = _chain(disclosure, request.user)
    latest = _latest_published(chain)
    body = None
    key = _cache_key("page", disclosure) if disclosure.is_published else None
    if key is not None:
        body = cache.get(key)
    if body is None:
        body = render_to_string(
            "congress/disclosures/report.html", disclosure_report(disclosure), request=None
        )
        if key is not None:
            cache.set(key, body, CACHE_SECONDS)
    context = {
        "base_template": _base_template(request),
        "disclosure": disclosure,
        "chain": chain,
        "latest": latest,
        "body": mark_safe(body),  # rendered by our template, user text escaped there
        "can_manage": congress_access.can_manage_disclosures(request.user, disclosure.branch_id),
    }
    return render(request, "congress/disclosures/detail.html", context)


def _render_disclosure_pdf(disclosure, chain) -> bytes:
    from unionhome.pdf import render_pdf

    context = {**disclosure_report(disclosure), "chain": chain, "latest": _latest_published(chain)}
    return render_pdf("congress/disclosures/pdf.html", context)


@disclosure_reader
def disclosure_pdf(request, pk):
    """A published revision's PDF is rendered once (per language and cache generation) and kept on
    disk, by one request at a time (unionhome.pdf.cached_pdf); a draft's is rendered each time."""
    from unionhome.pdf import PdfError, cached_pdf

    disclosure = disclosure_visible_or_404(request, pk)
    chain = _chain(disclosure, request.user)
    filename = f"disclosure-{disclosure.pk}-r{disclosure.revision}.pdf"
    try:
        if not disclosure.is_published:
            response = HttpResponse(_render_disclosure_pdf(disclosure, chain), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{filename}"'
            return response
        path = cached_pdf(
            directory=Path(settings.CONGRESS_PDF_CACHE_DIR) / "disclosures",
            name=f"disclosure-{disclosure.pk}-{get_language()}",
            key=f"{selectors.cache_generation()}-v{REPORT_VERSION}",
            render=lambda: _render_disclosure_pdf(disclosure, chain),
            lock=f"disclosure-pdf-lock:{disclosure.pk}:{get_language()}",
        )
    except PdfError as error:
        messages.error(request, str(error))
        return redirect(disclosure)
    if path is None:
        context = {"base_template": _base_template(request), "disclosure": disclosure}
        response = render(request, "congress/disclosures/pdf_preparing.html", context, status=202)
        response["Retry-After"] = "5"
        return response
    return FileResponse(
        open(path, "rb"), content_type="application/pdf", as_attachment=False, filename=filename
    )


@disclosure_reader
def disclosure_lines_download(request, pk, fmt):
    """The lines as CSV or xlsx (unionhome.exports: every cell formula-safe)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    disclosure = disclosure_visible_or_404(request, pk)
    dataset = DisclosureLineResource().export(
        queryset=disclosure.lines.order_by("category__kind", "category__sort_order", "sort_order", "pk")
    )
    return spreadsheet_response(
        dataset, fmt=fmt, filename=f"disclosure-{disclosure.pk}-r{disclosure.revision}"
    )


@disclosure_reader
def disclosure_compare(request, pk):
    """The line-by-line difference between two revisions of the same disclosure."""
    disclosure = disclosure_visible_or_404(request, pk)
    chain = _chain(disclosure, request.user)
    by_pk = {str(revision.pk): revision for revision in chain}
    newer = by_pk.get(request.GET.get("to", ""), disclosure)
    default_older = next((r for r in chain if r.revision < newer.revision), None)
    older = by_pk.get(request.GET.get("from", ""), default_older)
    if older is not None and older.revision > newer.revision:
        older, newer = newer, older
    rows = []
    if older is not None and older.pk != newer.pk:
        rows = selectors.revision_diff(selectors.disclosure_lines(older), selectors.disclosure_lines(newer))
    context = {
        "base_template": _base_template(request),
        "disclosure": disclosure,
        "chain": chain,
        "older": older,
        "newer": newer,
        "rows": rows,
        "between": [r for r in chain if older is not None and older.revision < r.revision <= newer.revision],
    }
    return render(request, "congress/disclosures/compare.html", context)


@disclosure_reader
def disclosure_attachment(request, pk, attachment_pk):
    disclosure = disclosure_visible_or_404(request, pk)
    attachment = get_object_or_404(DisclosureAttachment, disclosure=disclosure, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        content_type="application/pdf",
        filename=attachment.original_name or f"disclosure-{disclosure.pk}-{attachment.pk}.pdf",
    )
