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
from workflow.services.followers import follow_petition
from workflow.services.intake import (
    INTAKE_FIELDS,
    MAIL_SERVER,
    STATED_BY_STAFF,
    Submission,
    receive_petition,
    submit_petition,
    submit_petitions,
)
from workflow.services.letters import record_posting
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
from workflow.services.publication import decline_publication, publish_answer
from workflow.services.receipts import reissue_secret, send_receipt_by_sms
from workflow.services.signed_answers import sign_answer, signed_answer_of
from workflow.services.steps import Step

__all__ = [
    "INTAKE_FIELDS",
    "MAIL_SERVER",
    "MAX_EXTENSION_DAYS",
    "STATED_BY_STAFF",
    "Step",
    "Submission",
    "accept_petition",
    "answer_petition",
    "approve_answer",
    "assign_handler",
    "claim_petition",
    "close_petition",
    "decide_extension",
    "decline_publication",
    "expire_petition",
    "merge_petition",
    "provide_information",
    "publish_answer",
    "receive_petition",
    "record_posting",
    "record_rating",
    "reject_petition",
    "follow_petition",
    "reissue_secret",
    "reopen_petition",
    "request_extension",
    "request_information",
    "return_answer",
    "return_to_triage",
    "send_receipt_by_sms",
    "sign_answer",
    "signed_answer_of",
    "submit_petition",
    "submit_petitions",
    "transfer_petition",
    "triage_petition",
    "withdraw_petition",
]
