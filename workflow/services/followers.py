"""Following a petition: the contact is told of its answer, through the outbox."""

from django.db import transaction
from django.utils import timezone

from workflow import intake_rules as rules
from workflow.errors import InvalidInput, NotAllowedNow
from workflow.models import Follower, Petition
from workflow.models.petitions import OPEN_STATES


@transaction.atomic
def follow_petition(*, petition_id, email="", phone="", language="vi") -> Follower:
    """Record a follower of an open petition; the same contact twice is one follower.

    The contact follows the same rules as a submitter's (intake_rules); a closed
    petition cannot be followed (its answer, if published, is on /answers/).
    """
    email, phone = rules.clean_email(email), rules.clean_phone(phone)
    rules.require_contact(email=email, phone=phone)
    if language not in ("vi", "en"):
        raise InvalidInput(f"Unknown language {language!r}.", field="language")
    petition = Petition.objects.select_for_update(no_key=True).get(pk=petition_id)
    if petition.state not in OPEN_STATES:
        raise NotAllowedNow("Only an open petition can be followed.")
    follower, _ = Follower.objects.get_or_create(
        petition=petition,
        email=email,
        phone=phone,
        defaults={"language": language, "followed_at": timezone.now()},
    )
    return follower
