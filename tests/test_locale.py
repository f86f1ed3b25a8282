"""The English catalogue: the .po compiles, the committed .mo is what it compiles
to, and every entry is translated.

Several people append to locale/en/LC_MESSAGES/django.po at once; a rebase can
leave a repeated entry (msgfmt refuses the file) or a .mo compiled before the
last entries (the site shows them in Vietnamese). gettext's msgfmt and msgattrib
check the .po (.ci/run installs gettext); the two .mo files are compared by their
messages, since msgfmt versions lay the bytes out differently.
"""

import gettext
import shutil
import subprocess

import pytest
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PO, MO = CATALOGUE / "django.po", CATALOGUE / "django.mo"
RECOMPILE = ".venv/bin/python manage.py compilemessages -l en --ignore=.venv"


def gettext_tool(name, *args):
    if shutil.which(name) is None:
        pytest.fail(f"{name} is missing: install gettext (apt-get install gettext)")
    return subprocess.run(
        [name, *args], capture_output=True, text=True, env={"LC_ALL": "C"}
    )


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """The .po compiled now with msgfmt's checks (format strings, header, repeated
    entries): the .mo's path and msgfmt's counts of translated, fuzzy and
    untranslated entries."""
    path = tmp_path_factory.mktemp("catalogue") / "django.mo"
    done = gettext_tool("msgfmt", "--check", "--statistics", "-o", str(path), str(PO))
    assert done.returncode == 0, f"{PO} does not compile:\n{done.stderr}"
    counts = [line for line in done.stderr.splitlines() if "translated" in line]
    return path, counts[-1]


def messages(path) -> dict:
    with open(path, "rb") as file:
        # GNUTranslations keeps every message, plural forms as (msgid, n), in _catalog.
        return dict(gettext.GNUTranslations(file)._catalog)


def test_the_po_compiles_without_errors(compiled):
    path, _counts = compiled
    assert messages(path)


def test_the_committed_mo_is_what_the_po_compiles_to(compiled):
    path, _counts = compiled
    committed, expected = messages(MO), messages(path)
    stale = sorted(
        str(key)
        for key in committed.keys() | expected.keys()
        if committed.get(key) != expected.get(key)
    )
    assert not stale, (
        f"{MO.name} differs from {PO.name} in {len(stale)} messages (recompile: "
        f"{RECOMPILE}), e.g. {stale[:5]}"
    )


def test_no_entry_is_fuzzy_or_untranslated(compiled):
    path, counts = compiled
    if "fuzzy" in counts or "untranslated" in counts:
        entries = [
            gettext_tool("msgattrib", kind, "--no-obsolete", str(PO)).stdout
            for kind in ("--only-fuzzy", "--untranslated")
        ]
        pytest.fail(f"{PO.name}: {counts}\n" + "\n".join(entries))
    # A plural entry may have its first form and not its second.
    empty = [key for key, text in messages(path).items() if key and not text]
    assert not empty, f"entries without an English text in {PO.name}: {empty}"
