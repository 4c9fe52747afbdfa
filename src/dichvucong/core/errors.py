"""One error hierarchy for the domain: services raise these, views turn them into messages."""


class ApplicationError(Exception):
    """A rule refused the action; `message` is Vietnamese, shown to the person as is."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class RateLimited(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, code="rate_limited")
