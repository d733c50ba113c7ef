"""What nothing used is gone: the case's `internal_notes` (notes are timeline events, kind
"note") and the access shims no view, admin or service called."""

from welfare import access
from welfare.models import AidCase


def test_it_has_no_internal_notes_field():
    assert "internal_notes" not in {field.name for field in AidCase._meta.get_fields()}


def test_it_has_no_unused_access_shims():
    assert not hasattr(access, "visible_cases")
    assert not hasattr(AidCase.objects, "visible_to") and not hasattr(AidCase.objects, "handled_by")
