"""Audit entries written for proposals still unsubmitted named their title: name none.

A draft is its proposer's until submitted; the services now write "提案草稿 #<id>" as the
target of such entries. This rewrites the entries recorded before, for proposals that are still
drafts (or were withdrawn before being submitted).
"""

from django.db import migrations
from django.db.models import Q


def forwards(apps, schema_editor):
    Proposal = apps.get_model("congress", "Proposal")
    AuditEntry = apps.get_model("unionhome", "AuditEntry")
    unsubmitted = Proposal.objects.filter(
        Q(state="draft") | Q(state="withdrawn", submitted_at__isnull=True)
    ).values_list("pk", flat=True)
    for pk in unsubmitted.iterator():
        AuditEntry.objects.filter(target_type="congress.proposal", target_id=str(pk)).update(
            target_repr=f"提案草稿 #{pk}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0005_disclosure_attachments_private"),
        ("unionhome", "0003_audit_branch"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
