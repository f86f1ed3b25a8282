from workflow.models.agencies import (
    Agency,
    AnswerTemplate,
    Category,
    Membership,
    Role,
    SlaTarget,
    staff_name,
)
from workflow.models.checkpoints import Checkpoint, CheckpointChunk
from workflow.models.followers import Follower
from workflow.models.history import HistoryEntry
from workflow.models.intake import IntakePolicy
from workflow.models.integrations import Integration
from workflow.models.letters import AnswerLetter, SignedAnswer
from workflow.models.petitions import (
    Action,
    Channel,
    Petition,
    Priority,
    Publication,
    State,
    SubmitterKind,
)
from workflow.models.reports import (
    ClosedPeriod,
    PendingFigures,
    ReportFigures,
    WorkingDay,
)
from workflow.models.routing import RoutingRule
from workflow.models.sla import (
    Calendar,
    CalendarException,
    Clock,
    ClockEvent,
    Extension,
    SlaAlert,
)

__all__ = [
    "Action",
    "AnswerLetter",
    "AnswerTemplate",
    "SignedAnswer",
    "IntakePolicy",
    "Calendar",
    "CalendarException",
    "Clock",
    "ClosedPeriod",
    "ClockEvent",
    "Extension",
    "SlaAlert",
    "Agency",
    "Category",
    "Checkpoint",
    "CheckpointChunk",
    "Channel",
    "Follower",
    "HistoryEntry",
    "Integration",
    "Membership",
    "PendingFigures",
    "Petition",
    "Publication",
    "Priority",
    "ReportFigures",
    "Role",
    "RoutingRule",
    "SlaTarget",
    "State",
    "SubmitterKind",
    "WorkingDay",
    "staff_name",
]
