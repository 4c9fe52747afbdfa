"""Fixtures shared by every test under tests/: the real SMTP server and SMS gateway."""

from support.fixtures import (  # noqa: F401 - fixtures
    _sms_gateway_session,
    _smtp_server_session,
    real_messaging,
    sms_gateway,
    smtp_server,
)
