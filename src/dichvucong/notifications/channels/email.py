"""Email through Django's email backend (SMTP when EMAIL_URL is set).

The Message-ID is built from the message's reference, so a message re-sent after a crashed
worker carries the same id and mail stores and clients show it once.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from .base import PermanentError, RetryableError


class EmailChannel:
    name = "email"

    def send(self, *, to: str, subject: str, body: str, reference: str) -> str:
        message_id = f"<{reference}@{settings.PORTAL_BASE_URL.split('//')[-1].split(':')[0]}>"
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"Message-ID": message_id},
        )
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentError(f"recipient refused: {exc}") from exc
        except smtplib.SMTPDataError as exc:
            # 5xx after DATA: the server rejected this message for good (policy, size).
            if 500 <= exc.smtp_code < 600:
                raise PermanentError(f"message refused: {exc}") from exc
            raise RetryableError(f"SMTPDataError: {exc}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise RetryableError(f"{exc.__class__.__name__}: {exc}") from exc
        return message_id
