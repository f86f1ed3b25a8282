"""The only writers of petitions: one function per lifecycle step.

`intake` receives petitions from every channel; `lifecycle` holds one service per
transition after that; `extensions` the deadline extension; `steps` the shared
shape of a step (lock, check, transition, history, outbox). Callers import the
services from here.
"""

from workflow.services.extensions import (
    MAX_EXTENSION_DAYS,
    decide_extension,
    request_extension,
)
from workflow.services.intake import (
    INTAKE_FIELDS,
    Submission,
    submit_petition,
    submit_petitions,
)
from workflow.services.lifecycle import (
    accept_petition,
    answer_petition,
    approve_answer,
    assign_handler,
    claim_petition,
    close_petition,
    expire_petition,
    merge_petition,
    provide_information,
    record_rating,
    reject_petition,
    reopen_petition,
    request_information,
    return_answer,
    return_to_triage,
    transfer_petition,
    triage_petition,
    withdraw_petition,
)
from workflow.services.steps import Step

__all__ = [
    "INTAKE_FIELDS",
    "MAX_EXTENSION_DAYS",
    "Step",
    "Submission",
    "accept_petition",
    "answer_petition",
    "approve_answer",
    "assign_handler",
    "claim_petition",
    "close_petition",
    "decide_extension",
    "expire_petition",
    "merge_petition",
    "provide_information",
    "record_rating",
    "reject_petition",
    "reopen_petition",
    "request_extension",
    "request_information",
    "return_answer",
    "return_to_triage",
    "submit_petition",
    "submit_petitions",
    "transfer_petition",
    "triage_petition",
    "withdraw_petition",
]
