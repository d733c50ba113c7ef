from django.db import models

from unionhome.models import AuditEntry


def audit_record(
    *, actor, action: str, target: models.Model, branch_id: int | None = None, **details
) -> AuditEntry:
    """Record one audit entry; call it inside the service's transaction so both commit or neither.

    The branch is the target's own (`target.branch_id`) unless the service names it.
    """
    if branch_id is None:
        branch_id = getattr(target, "branch_id", None)
    return AuditEntry.objects.create(
        branch_id=branch_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:200],
        details=details,
    )
