"""Delivery channels. Each provider is one module with a `send(notification) -> str` that
returns the provider's message id, raising RetryableError or PermanentError on failure."""
