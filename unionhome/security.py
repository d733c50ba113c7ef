"""Security plumbing of the core: the cache table, failed-login logging, ending sessions."""

import logging

from django.core.management import call_command
from django.db import transaction

logger = logging.getLogger("unionhome.security")


def create_cache_table(*, using="default", verbosity=0, **kwargs):
    """After `migrate`: the database cache's table (a no-op when it exists or Redis is used)."""
    call_command("createcachetable", database=using, verbosity=verbosity)


def client_ip(request) -> str:
    """The client's address as the rate limits see it (honours UNIONHOME_TRUSTED_PROXY_COUNT)."""
    if request is None:
        return "-"
    from allauth.core.internal.httpkit import get_client_ip

    try:
        return get_client_ip(request) or "-"
    except Exception:  # a malformed X-Forwarded-For must not hide the event being logged
        return "-"


def log_failed_login(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("username") or credentials.get("email") or "")[:80]
    logger.warning("login failed for %r from %s", login, client_ip(request))


def end_sessions_of_deactivated_user(sender, instance, update_fields=None, **kwargs):
    """A user switched from active to inactive loses every session at once."""
    if instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        user_id = instance.pk
        transaction.on_commit(lambda: user_sessions_end(user_id=user_id))


def user_sessions_end(*, user_id) -> int:
    """End every session of the user (deactivation); returns how many were ended."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.filter(user_id=user_id):
        session.end()
        ended += 1
    logger.info("ended %d session(s) of deactivated user %s", ended, user_id)
    return ended
