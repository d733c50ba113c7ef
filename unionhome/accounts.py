"""allauth's account adapter: accounts from the roster, and failed-login limits fit for a campus.

A failed login counts twice: against the account at this client address (`login_failed`), and
against the account from everywhere (`login_failed_account`, a higher cap). A stranger who keeps
typing a member's staff number wrong locks out only his own address, never her at hers; a guess
spread over many addresses still stops at the account-wide cap. No limit counts the failures of
one address across accounts, so a campus NAT where one client fails again and again never
refuses a colleague's correct password (the `login` flood limit per address still answers 429).
"""

import logging
import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from unionhome.security import client_ip

logger = logging.getLogger("unionhome.security")

APP = "allauth.account"
AT_ADDRESS = "login_failed"  # the account at one client address
ANYWHERE = "login_failed_account"  # the account from every address


def _account_key(credentials) -> str:
    """The account a login names (by staff number or e-mail), or the login itself if none."""
    login = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    field = "email__iexact" if "@" in login else "username__iexact"
    users = get_user_model().objects.filter(**{field: login}).values_list("pk", flat=True)[:2]
    return f"user:{users[0]}" if len(users) == 1 else f"login:{login}"


def _limits(request, credentials) -> list[tuple[str, str]]:
    """(rate-limit action, key) of each failed-login limit this attempt is counted against."""
    account = _account_key(credentials)
    return [(AT_ADDRESS, f"{account}@{ratelimit.get_ip(request)}"), (ANYWHERE, account)]


class UnionAccountAdapter(DefaultAccountAdapter):
    """Accounts come from the union roster; nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """Count the attempt against each limit (rolled back by allauth if it succeeds), or refuse
        it, telling the member how long to wait."""
        limits = _limits(request, credentials)
        usages = []
        for action, key in limits:
            usage = ratelimit.consume(request, app=APP, action=action, key=key)
            if usage is None:
                for taken in usages:
                    taken.rollback()
                self._refuse(request, credentials, limits)
            usages.append(usage)
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(
            usage=[single for usage in usages for single in usage.usage]
        )

    def _refuse(self, request, credentials, limits):
        minutes = max(1, math.ceil(login_wait_seconds(request, limits=limits) / 60))
        login = str(credentials.get("username") or credentials.get("email") or "")[:80]
        logger.warning("login refused for %r from %s: too many attempts", login, client_ip(request))
        message = _(
            "登录失败次数过多。为保护账号安全，请 %(minutes)s 分钟后再试；忘记密码可点“忘记密码”重新设置。"
        )
        raise ValidationError(message % {"minutes": minutes}, code="too_many_login_attempts")

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """After a password reset (which proved the mailbox): the account's failures are forgotten."""
        for action, key in _limits(request, credentials):
            ratelimit.clear(request, app=APP, action=action, key=key)


def login_wait_seconds(request, *, limits) -> float:
    """Seconds until every failed-login limit of these (action, key) admits one more attempt."""
    wait = 0.0
    now = time.time()
    for action, key in limits:
        for rate in ratelimit.get_rates(app=APP, action=action):
            cache_key = ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
            history = [stamp for stamp in cache.get(cache_key, []) if stamp > now - rate.duration]
            if len(history) >= rate.amount:
                # Newest first: the attempt that must expire before one more is admitted.
                wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return wait
