"""The dev outbox: the message stays in the table and the dev outbox page shows it.

Used when EMAIL_URL or SMS_GATEWAY_URL is not set (the embedded profile)."""


class DevOutboxChannel:
    name = "dev_outbox"

    def send(self, *, to: str, subject: str, body: str, reference: str) -> str:
        return reference
