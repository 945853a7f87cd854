"""Project-wide error type raised by services for rule violations users can fix."""


class DomainError(Exception):
    """A business rule refused the action; the message is shown to the user as is (Chinese)."""

    def __init__(self, message: str, *, code: str = "domain_error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
