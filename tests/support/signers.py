"""A signer backend of the tests' own: one certificate per agency, as a remote
signing service or a token per agency would hold (settings.TEST_AGENCY_KEYS)."""

from django.conf import settings
from pyhanko.sign import signers

from tests.support.certificates import PASSWORD
from workflow.signing import AnswerSigner, SigningRefused


class PerAgencySigner(AnswerSigner):
    def pyhanko_signer(self, agency):
        path = settings.TEST_AGENCY_KEYS.get(agency.code)
        if path is None:
            raise SigningRefused(f"No certificate for {agency.code}.")
        return signers.SimpleSigner.load_pkcs12(path, passphrase=PASSWORD)
