"""Screen sizes of the browser tests, and a screenshot at each."""

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def both_sizes(page, name):
    """A screenshot on the desktop and one on a phone, back to the desktop after."""
    page.shot(f"{name}-desktop")
    page.set_viewport_size(PHONE)
    page.shot(f"{name}-phone")
    page.set_viewport_size(DESKTOP)
