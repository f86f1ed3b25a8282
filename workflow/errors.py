"""Errors a workflow service raises; each message is meant for the person who acted."""


class WorkflowError(Exception):
    """Base class: `str(error)` is a complete sentence naming the problem."""

    code = "workflow_error"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(WorkflowError):
    code = "invalid"


class NotPermitted(WorkflowError):
    code = "not_permitted"


class NotAllowedNow(WorkflowError):
    """The action does not apply to the petition in its current state."""

    code = "invalid_state"


class PetitionChanged(WorkflowError):
    code = "changed_meanwhile"


class DuplicateSubmission(WorkflowError):
    """The channel already delivered this petition; `petition` is the existing one."""

    code = "duplicate"

    def __init__(self, message: str, *, petition):
        super().__init__(message, field="channel_ref")
        self.petition = petition
