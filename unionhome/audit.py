from django.db import models

from unionhome.models import AuditEntry


def branch_id_of(target: models.Model) -> int | None:
    """The branch of a record, by its `branch_lookup` path ("branch" when it declares none)."""
    parts = (getattr(target, "branch_lookup", None) or "branch").split("__")
    obj = target
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    last = parts[-1]
    if last == "pk":
        return obj.pk
    return getattr(obj, last if last.endswith("_id") else f"{last}_id", None)


def audit_record(
    *, actor, action: str, target: models.Model, branch_id: int | None = None, **details
) -> AuditEntry:
    """Record one audit entry; call it inside the service's transaction so both commit or neither.

    The branch is the target's own (followed along the model's `branch_lookup` path, e.g.
    "activity__branch") unless the service names it.
    """
    entry = audit_entry(actor=actor, action=action, target=target, branch_id=branch_id, **details)
    entry.save()
    return entry


def audit_entry(
    *, actor, action: str, target: models.Model, branch_id: int | None = None, **details
) -> AuditEntry:
    """An unsaved audit entry, for services that record many at once with `bulk_create`."""
    if branch_id is None:
        branch_id = branch_id_of(target)
    return AuditEntry(
        branch_id=branch_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:200],
        details=details,
    )
