"""A session with 150 proposals exports its compilation in under 20 seconds.

The limit is checked on the CPU time of the rendering process: the wall time depends on how
many other jobs share the machine's two cores (it is printed too).
"""

import time

from django.utils import timezone

from congress import reports
from congress.models import CoSign, Proposal


def test_it_compiles_150_proposals_in_under_20_seconds(session, proposer, cosigners, category, unit, capsys):
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                session=session,
                sequence=n,
                number=f"2026-{n:03d}",
                title=f"关于改善教学与生活条件的第{n}号提案",
                reasons="教职工反映：" + "教学楼设施老化，午休和饮水条件不足，影响教学与身体健康。" * 8,
                measures="建议：" + "学院统筹经费，分批更新设施，并建立定期检查和反馈制度。" * 8,
                category=category,
                suggested_unit=unit,
                proposer=proposer,
                state=Proposal.State.REVIEW,
                submitted_at=timezone.now(),
            )
            for n in range(1, 151)
        ]
    )
    CoSign.objects.bulk_create(
        [CoSign(proposal=p, member=c, status=CoSign.Status.ACCEPTED) for p in proposals for c in cosigners]
    )
    started, cpu = time.monotonic(), time.process_time()
    data = reports.render_session_pdf(session, reports.COMPILATION)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    with capsys.disabled():
        print(
            f"\ncompilation of 150 proposals: {cpu:.1f} s CPU, {elapsed:.1f} s wall, {len(data) // 1024} KiB"
        )
    assert cpu < 20
    started = time.monotonic()
    reports.render_session_pdf(session, reports.REPORT)
    with capsys.disabled():
        print(f"handling report of 150 proposals: {time.monotonic() - started:.1f} s")
