"""Who hears about what: outbox rows for each event of a petition's life.

Called by the services inside their transaction. The rows name a template
(`templates/notifications/<event>-*.txt`) and carry ids only.
"""

from notifications.models import Notification
from notifications.services import Recipient, queue_notifications
from workflow.models import Membership, Role

EMAIL, SMS = Notification.Channel.EMAIL, Notification.Channel.SMS


def submitter_recipients(petition) -> list[Recipient]:
    recipients = []
    if petition.email:
        recipients.append(
            Recipient(EMAIL, address=petition.email, language=petition.language)
        )
    if petition.phone:
        recipients.append(
            Recipient(SMS, address=petition.phone, language=petition.language)
        )
    return recipients


def staff_recipients(agency_ids, roles) -> list[Recipient]:
    members = (
        Membership.objects.filter(
            agency_id__in=agency_ids, role__in=roles, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user_id", "user__email")
        .distinct()
    )
    return [
        Recipient(EMAIL, address=email, user_id=user_id) for user_id, email in members
    ]


def handler_recipients(petition) -> list[Recipient]:
    if petition.handler_id and petition.handler.email:
        return [
            Recipient(
                EMAIL, address=petition.handler.email, user_id=petition.handler_id
            )
        ]
    return staff_recipients([petition.agency_id], [Role.HANDLER, Role.SUPERVISOR])


def _to(event, petition, recipients, *, now, dedupe_key=None, **context):
    return queue_notifications(
        event=event,
        petition_id=petition.pk,
        recipients=recipients,
        now=now,
        context={"tracking_code": petition.tracking_code, **context},
        dedupe_key=dedupe_key,
    )


def petition_received(petition, *, now):
    _to("received", petition, submitter_recipients(petition), now=now)


def petition_assigned(petition, *, now):
    _to(
        "assigned",
        petition,
        staff_recipients([petition.agency_id], [Role.HANDLER, Role.SUPERVISOR]),
        now=now,
    )


def petition_rejected(petition, *, now):
    _to("rejected", petition, submitter_recipients(petition), now=now)


def information_requested(petition, *, now):
    _to("info_requested", petition, submitter_recipients(petition), now=now)


def information_provided(petition, *, now):
    _to("info_provided", petition, handler_recipients(petition), now=now)


def petition_answered(petition, *, now):
    _to("answered", petition, submitter_recipients(petition), now=now)


def petition_expired(petition, *, now):
    _to("expired", petition, submitter_recipients(petition), now=now)


def petition_reopened(petition, *, now):
    _to("reopened", petition, handler_recipients(petition), now=now)


def petition_merged(petition, *, now):
    _to(
        "merged",
        petition,
        submitter_recipients(petition),
        now=now,
        into=petition.merged_into.tracking_code,
    )


def extension_requested(petition, *, now):
    _to(
        "extension_requested",
        petition,
        staff_recipients([petition.agency_id], [Role.SUPERVISOR]),
        now=now,
    )


def extension_decided(petition, *, now, approved):
    _to(
        "extension_decided",
        petition,
        handler_recipients(petition),
        now=now,
        approved=approved,
    )
