class DomainError(Exception):
    """An action not allowed in the current state. Views show ``message`` to the user
    (form error or HTTP 409); it is never a 500."""

    status = 409

    def __init__(self, message):
        super().__init__(message)
        self.message = message
