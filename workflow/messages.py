"""Who hears about what: outbox rows for each event of a petition's life.

Called by the services inside their transaction. The rows name a template
(`templates/notifications/<event>-*.txt`) and carry ids only.
"""

from functools import cache

from django.utils import timezone, translation

from notifications.models import Notification
from notifications.services import (
    Recipient,
    portal_sync_enabled,
    queue_notifications,
)
from workflow import permissions
from workflow.models import Channel, Membership, Petition, Role, State, staff_name
from workflow.reference import reference

EMAIL, SMS = Notification.Channel.EMAIL, Notification.Channel.SMS
WEBHOOK = Notification.Channel.WEBHOOK


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
    """The staff of these agencies in these roles who can be e-mailed."""
    agency_ids, roles = tuple(sorted(agency_ids)), tuple(sorted(roles))

    def load():
        members = (
            Membership.objects.filter(
                agency_id__in=agency_ids, role__in=roles, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user_id", "user__email")
            .distinct()
        )
        return [Recipient(EMAIL, address=e, user_id=u) for u, e in members]

    return reference().get(("staff", agency_ids, roles), load)


def handler_recipients(petition) -> list[Recipient]:
    if petition.handler_id and petition.handler.email:
        return [
            Recipient(
                EMAIL, address=petition.handler.email, user_id=petition.handler_id
            )
        ]
    return staff_recipients([petition.agency_id], [Role.HANDLER, Role.SUPERVISOR])


def petition_facts(petition_id) -> dict:
    """What a message may say about its petition, read when it is sent (read-only;
    given to notifications.rendering at start-up, see workflow.apps)."""
    petition = Petition.objects.select_related("agency").filter(pk=petition_id).first()
    if petition is None:
        return {}
    return {
        "tracking_code": petition.tracking_code,
        "title": petition.title,
        "submitter_name": petition.submitter_name,
        "state": petition.state,
        "state_label": str(petition.get_state_display()),
        "due_at": petition.due_at,
        "answer": petition.answer,
        "rejection_reason": petition.rejection_reason,
        "redirect_hint": petition.redirect_hint,
        "agency_name": petition.agency.name if petition.agency_id else "",
    }


def _to(event, petition, recipients, *, now, dedupe_key=None, **context):
    # Display values are snapshotted now: a message retried later tells what was
    # true when the event happened.
    context = {
        "title": petition.title,
        "state_label": state_label(petition.state),
        "due_at": petition.due_at.isoformat() if petition.due_at else None,
        **context,
    }
    return queue_notifications(
        event=event,
        petition_id=petition.pk,
        recipients=recipients,
        now=now,
        context={"tracking_code": petition.tracking_code, **context},
        dedupe_key=dedupe_key,
    )


@cache
def _state_labels() -> dict[str, str]:
    with translation.override("vi"):
        return {value: str(label) for value, label in State.choices}


def state_label(state) -> str:
    """A state's name in Vietnamese, the language of record (read once)."""
    return _state_labels()[state]


def petition_received(petition, *, now, secret=None):
    """The confirmation. It carries the secret once: by e-mail, or by SMS to a
    submitter who gave a phone only (the receipt page shows it once, and a page
    lost to a bad connection must not leave them without it). The outbox forgets
    it once the message is out (notifications.services.ONCE_ONLY_KEYS)."""
    recipients = submitter_recipients(petition)
    if secret and recipients:
        # submitter_recipients lists the e-mail first.
        carrier, recipients = recipients[0], recipients[1:]
        _to("received", petition, [carrier], now=now, secret=secret)
    _to("received", petition, recipients, now=now)


def secret_reissued(petition, *, now, by_submitter=False):
    """The submitter hears that a new secret was issued (the old one is void)."""
    _to(
        "secret_reissued",
        petition,
        submitter_recipients(petition),
        now=now,
        by_submitter=by_submitter,
    )


def petition_assigned(petition, *, now):
    _to(
        "assigned",
        petition,
        staff_recipients([petition.agency_id], [Role.HANDLER, Role.SUPERVISOR]),
        now=now,
    )


def petition_rejected(petition, *, now):
    _to("rejected", petition, submitter_recipients(petition), now=now)


def information_requested(petition, *, now, question=""):
    """The question, and until when the answer is awaited: after that the
    petition is closed for no reply (workflow.permissions.reply_time_over)."""
    _to(
        "info_requested",
        petition,
        submitter_recipients(petition),
        now=now,
        question=question,
        reply_due_at=petition.info_due_at.isoformat(),
    )


def information_provided(petition, *, now):
    _to("info_provided", petition, handler_recipients(petition), now=now)


def petition_answered(petition, *, now):
    until = permissions.dispute_until(petition)
    _to(
        "answered",
        petition,
        submitter_recipients(petition),
        now=now,
        dispute_due_at=until.isoformat() if until else None,
    )
    # Followers hear that it was answered, and where to read it if it is public;
    # nothing else of the petition (its title may name its submitter).
    followers = [
        Recipient(
            EMAIL if f.email else SMS, address=f.email or f.phone, language=f.language
        )
        for f in petition.followers.all()
    ]
    if followers:
        queue_notifications(
            event="followed_answered",
            petition_id=petition.pk,
            recipients=followers,
            now=now,
            context={
                "tracking_code": petition.tracking_code,
                "publication": _publication_of_answer(petition),
            },
        )


def _publication_of_answer(petition) -> str:
    """Where the answer stands for the public: "published", "after_review" (the
    submitter agreed; a supervisor reads it first: /answers/ has it only then) or
    "none" (no consent: it is never public)."""
    if not petition.publish_consent:
        return "none"
    return "published" if petition.answer_is_public else "after_review"


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


def status_changed(petition, *, now):
    """Status sync: the portal hears of each state change of a petition it sent.

    Call after the petition is saved (its version counts the changes). The payload is
    a snapshot taken now, so that a delivery retried later still tells this change;
    `version` orders changes made at the same moment. docs/notifications.md is the
    contract with the portal team.
    """
    if petition.channel != Channel.PORTAL or not portal_sync_enabled():
        return
    payload = {
        "external_id": petition.channel_ref,
        "tracking_code": petition.tracking_code,
        "state": petition.state,
        "state_label": state_label(petition.state),
        "version": petition.version,
        "at": _vietnam_time(now),
        "due_at": _vietnam_time(petition.due_at) if petition.due_at else None,
    }
    if petition.state == State.ANSWERED:
        payload["answer"] = petition.answer
    queue_notifications(
        event="status_changed",
        petition_id=petition.pk,
        recipients=[Recipient(WEBHOOK)],
        now=now,
        context=payload,
    )


def _vietnam_time(moment) -> str:
    # RFC 3339 in Vietnam's time, like the intake API's answers (+07:00).
    return timezone.localtime(moment, timezone.get_default_timezone()).isoformat(
        timespec="seconds"
    )


def extension_requested(petition, *, now, requested_by):
    """The supervisors who may decide hear of the request: the agency's and its
    parent's, but not whoever asked (permissions.requested_the_extension), so that
    a request by an agency's only supervisor reaches the one above."""
    agencies = [petition.agency_id]
    if petition.agency.parent_id is not None:
        agencies.append(petition.agency.parent_id)
    deciders = [
        r
        for r in staff_recipients(agencies, [Role.SUPERVISOR])
        if requested_by is None or r.user_id != requested_by.pk
    ]
    _to(
        "extension_requested",
        petition,
        deciders,
        now=now,
        requested_by=staff_name(requested_by) if requested_by is not None else "",
    )


def extension_decided(petition, *, now, approved, days):
    _to(
        "extension_decided",
        petition,
        handler_recipients(petition),
        now=now,
        approved=approved,
    )
    if approved:
        # The submitter was told a deadline (the receipt): they hear the new one.
        _to(
            "deadline_extended",
            petition,
            submitter_recipients(petition),
            now=now,
            days=days,
        )


def petition_transferred(petition, *, now):
    """The submitter hears which agency now handles the petition: the receipt
    named the first one."""
    _to(
        "transferred",
        petition,
        submitter_recipients(petition),
        now=now,
        agency_name=petition.agency.name,
    )
