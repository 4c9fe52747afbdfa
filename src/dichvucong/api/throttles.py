"""Throttling per client (address, for everyone) and per token or account. Rates come from
the settings API_RATE_PER_CLIENT and API_RATE_PER_TOKEN ("120/min"), read on each request
so that tests and operators can change them without a restart of the class attributes."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from dichvucong.core.ratelimit import client_address

from .models import ApiToken


class ClientThrottle(SimpleRateThrottle):
    scope = "client"

    def get_rate(self):
        return settings.API_RATE_PER_CLIENT

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class TokenThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_RATE_PER_TOKEN

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"t{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            return None  # anonymous: the client throttle alone
        return self.cache_format % {"scope": self.scope, "ident": ident}
