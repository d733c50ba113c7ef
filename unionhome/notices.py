from django.db import transaction
from django.utils import timezone

from unionhome.models import Notice


def notice_send(*, user, message: str, url: str = "") -> Notice:
    """Leave a notice for a user (call inside the service's transaction)."""
    return Notice.objects.create(user=user, message=str(message)[:300], url=url)


def notices_send(*, user_ids, message: str, url: str = "") -> int:
    """The same notice for many users in one INSERT (call inside the service's transaction)."""
    text = str(message)[:300]
    notices = [Notice(user_id=user_id, message=text, url=url) for user_id in dict.fromkeys(user_ids)]
    Notice.objects.bulk_create(notices)
    return len(notices)


def notices_mark_read(*, user) -> int:
    with transaction.atomic():
        return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def unread_notices(user, limit: int = 10):
    return list(Notice.objects.filter(user=user, read_at__isnull=True)[:limit])
