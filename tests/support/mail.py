"""E-mails as senders write them, for the mailbox tests."""

import uuid
from email.message import EmailMessage


def letter(
    *,
    subject="Đề nghị sửa đường liên thôn",
    sender="Lò Văn Pá <pa.lo@example.vn>",
    body="Kính gửi Sở,\n\nĐường liên thôn Nà Pàn bị sạt lở sau mưa lớn.",
    message_id=None,
    attachments=(),
    html=None,
) -> bytes:
    """The letter as bytes; with `html`, an HTML-only one (as some webmails send)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "tiepnhan@agency.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@example.vn>"
    if html is None:
        message.set_content(body)
    else:
        message.set_content(html, subtype="html")
    for name, data, maintype, subtype in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()
