"""Fixtures for the real SMTP server and SMS gateway, imported by tests/conftest.py.

The servers live for the whole session (starting them is cheap, but there is no need to do it
per test); each test gets them emptied, with no pending failures.
"""

from collections.abc import Iterator

import pytest

from .sms_gateway import SmsGateway
from .smtp import SmtpServer

SMS_GATEWAY_TOKEN = "e2e-sms-gateway-token"


@pytest.fixture(scope="session")
def _smtp_server_session() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _sms_gateway_session() -> Iterator[SmsGateway]:
    gateway = SmsGateway(token=SMS_GATEWAY_TOKEN).start()
    yield gateway
    gateway.stop()


@pytest.fixture
def smtp_server(_smtp_server_session: SmtpServer) -> SmtpServer:
    """A real SMTP server on 127.0.0.1 holding only this test's messages."""
    _smtp_server_session.clear()
    return _smtp_server_session


@pytest.fixture
def sms_gateway(_sms_gateway_session: SmsGateway) -> SmsGateway:
    """A real HTTP SMS gateway on 127.0.0.1 holding only this test's messages."""
    _sms_gateway_session.reset()
    return _sms_gateway_session


@pytest.fixture
def real_messaging(settings, smtp_server: SmtpServer, sms_gateway: SmsGateway):
    """Point the app's email and SMS channels at the real local servers for this test.

    pytest-django switches EMAIL_BACKEND to locmem for the session; the `settings` fixture
    puts it back to SMTP here and restores everything after the test.
    """
    settings.EMAIL_URL = smtp_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.SMS_GATEWAY_URL = sms_gateway.url
    settings.SMS_GATEWAY_TOKEN = sms_gateway.token
    settings.SMS_GATEWAY_TIMEOUT = 10
    return settings
