"""Reading an e-mail as it arrived: sender, subject, text and attachments.

Headers are decoded (RFC 2047: Vietnamese subjects arrive encoded), the text is the
plain part, or what a mail reader shows of the HTML part (mailbox.html_text), and
every attachment is kept with its name and bytes; which of them may join a petition
is decided at confirmation (feedback.files sniffs each one's content).
"""

import hashlib
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr

from feedback.mailbox.html_text import text_of_html
from workflow import intake_rules as rules


@dataclass(frozen=True)
class MailAttachment:
    name: str
    data: bytes


@dataclass(frozen=True)
class ParsedMessage:
    message_key: str
    message_id: str
    sender_name: str
    sender_address: str
    subject: str
    body: str
    attachments: tuple[MailAttachment, ...]


def parse_message(raw: bytes) -> ParsedMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = _header(message, "Message-ID").strip()
    # Message-IDs are case-sensitive on the left, not on the right of the @;
    # servers keep them as sent, so they are compared as they are.
    key_source = message_id.encode() if message_id else raw
    name, address = parseaddr(_header(message, "From"))
    return ParsedMessage(
        message_key=hashlib.sha256(key_source).hexdigest(),
        message_id=message_id[:998],
        sender_name=_text(name)[:200],
        sender_address=address.strip()[:254],
        subject=_text(_header(message, "Subject"))[:300],
        body=_body(message),
        attachments=tuple(_attachments(message)),
    )


def _header(message, name) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError):  # a malformed header decodes to nothing
        return ""
    return str(value or "")


def _text(value: str) -> str:
    value = " ".join(rules.without_forbidden_characters(value).split())
    return rules.composed(value)


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset
        text = part.get_payload(decode=True).decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        text = text_of_html(text)
    text = rules.without_forbidden_characters(text).replace("\r\n", "\n").strip()
    return rules.composed(text)


def _attachments(message):
    for index, part in enumerate(message.iter_attachments(), start=1):
        data = part.get_payload(decode=True)
        if not data:
            continue
        name = _text(part.get_filename() or "") or f"tep-dinh-kem-{index}"
        yield MailAttachment(name=name[:255], data=data)
