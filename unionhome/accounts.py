import logging
import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from unionhome.security import client_ip

logger = logging.getLogger("unionhome.security")


class UnionAccountAdapter(DefaultAccountAdapter):
    """Accounts come from the union roster; nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """Refuse a login attempt over the limits, telling the member how long to wait."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            key = self._get_login_attempts_cache_key(request, **credentials)
            minutes = max(1, math.ceil(login_wait_seconds(request, key=key) / 60))
            login = str(credentials.get("username") or credentials.get("email") or "")[:80]
            logger.warning("login refused for %r from %s: too many attempts", login, client_ip(request))
            message = _(
                "登录失败次数过多。为保护账号安全，请 %(minutes)s 分钟后再试；"
                "忘记密码可点“忘记密码”重新设置。"
            )
            raise ValidationError(
                message % {"minutes": minutes},
                code="too_many_login_attempts",
            ) from None


def login_wait_seconds(request, *, key: str) -> float:
    """Seconds until the failed-login limits (per address and per account) admit an attempt."""
    wait = 0.0
    now = time.time()
    for rate in ratelimit.get_rates(app="allauth.account", action="login_failed"):
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action="login_failed", rate=rate, key=key
        )
        history = [stamp for stamp in cache.get(cache_key, []) if stamp > now - rate.duration]
        if len(history) >= rate.amount:
            # Newest first: the attempt that must expire before one more is admitted.
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return wait
