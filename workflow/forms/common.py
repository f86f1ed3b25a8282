"""What the staff forms of several pages share."""


def person_label(user) -> str:
    """How a staff member is named in a choice list: full name, else the login."""
    return user.get_full_name() or user.get_username()
