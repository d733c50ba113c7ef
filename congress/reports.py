"""The session PDFs: the compilation (提案汇编) and the handling report (提案办理情况报告).

Both are rendered by unionhome.pdf and cached on disk under CONGRESS_PDF_CACHE_DIR, keyed by a
fingerprint of the session's proposals (count, latest change), the language and the day: any service that
changes a proposal saves its `updated_at`, so the next request renders afresh. One request
renders at a time (a lock in the shared cache); a secretary who asks meanwhile gets a
"being prepared" page that reloads itself, instead of a second render or a hanging request.
"""

import hashlib

from django.conf import settings
from django.db.models import Count, Max
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from congress import selectors
from congress.models import Proposal
from unionhome.pdf import cached_pdf, render_pdf

COMPILATION = "proposals"
REPORT = "report"
TEMPLATES = {COMPILATION: "pdf/congress_compilation.html", REPORT: "pdf/congress_report.html"}
LOCK_SECONDS = 300


def fingerprint(session) -> str:
    figures = session.proposals.aggregate(n=Count("pk"), latest=Max("updated_at"), top=Max("pk"))
    votes = session.votes.aggregate(n=Count("pk"), top=Max("pk"))
    # The day is part of it: overdue flags and the report's "as of" date change with it. The
    # session's own figures (opened, delegates) and its votes are part of the handling report.
    parts = (
        figures["n"],
        figures["latest"],
        figures["top"],
        session.opened_at,
        session.delegates_count,
        votes["n"],
        votes["top"],
        session.attendances.count(),
        get_language(),
        session.pk,
        timezone.localdate(),
    )
    raw = "|".join(str(part) for part in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def filename(session, kind: str) -> str:
    label = _("提案汇编") if kind == COMPILATION else _("提案办理情况报告")
    return f"{session.term.number}-{session.number}-{label}.pdf"


def compilation_context(session) -> dict:
    proposals = list(selectors.proposals_for_report(session).exclude(state=Proposal.State.WITHDRAWN))
    return {"session": session, "proposals": proposals, "generated_at": timezone.now()}


def _bar_chart(rows, *, width=440, bar_height=18, gap=8, label_width=120):
    """Geometry for a horizontal bar chart drawn as inline SVG in the template."""
    top = max([row["n"] for row in rows] + [1])
    bars = []
    for index, row in enumerate(rows):
        length = round((width - label_width - 40) * row["n"] / top, 1)
        bars.append(
            {**row, "y": index * (bar_height + gap), "length": length, "value_x": label_width + length + 6}
        )
    return {
        "bars": bars,
        "width": width,
        "height": len(rows) * (bar_height + gap),
        "bar_height": bar_height,
        "label_width": label_width,
        "text_y": bar_height - 5,
    }


def report_context(session) -> dict:
    figures = selectors.session_figures(session)
    proposals = selectors.proposals_for_report(session)
    accepted = [p for p in proposals if p.state in Proposal.ACCEPTED_STATES]
    for proposal in accepted:
        own = [v for v in proposal.all_verdicts if v.member_id == proposal.proposer_id]
        proposal.final_verdict = own[-1] if own else None
    stage_rows = [
        {"label": _("立案"), "n": figures["accepted"]},
        {"label": _("并案"), "n": figures["merged"]},
        {"label": _("转为意见建议"), "n": figures["converted"]},
        {"label": _("不予立案"), "n": figures["rejected"]},
        {"label": _("撤销"), "n": figures["withdrawn"]},
    ]
    return {
        "session": session,
        "figures": figures,
        "accepted": accepted,
        "chart": _bar_chart(stage_rows),
        "satisfaction_chart": _bar_chart([{"label": r["label"], "n": r["n"]} for r in figures["ratings"]]),
        "generated_at": timezone.now(),
    }


def render_session_pdf(session, kind: str) -> bytes:
    context = compilation_context(session) if kind == COMPILATION else report_context(session)
    return render_pdf(TEMPLATES[kind], context)


def pdf_response(request, session, kind: str):
    path = cached_pdf(
        directory=settings.CONGRESS_PDF_CACHE_DIR,
        name=f"session-{session.pk}-{kind}",
        key=fingerprint(session),
        render=lambda: render_session_pdf(session, kind),
        lock=f"congress-pdf-lock:{session.pk}:{kind}",
        lock_seconds=LOCK_SECONDS,
    )
    if path is None:
        response = render(
            request, "congress/pdf_preparing.html", {"session": session, "kind": kind}, status=202
        )
        response["Retry-After"] = "5"
        return response
    return FileResponse(
        open(path, "rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=filename(session, kind),
    )
