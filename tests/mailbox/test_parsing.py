"""An e-mail's text as a coordinator reads it: what a mail reader shows, no more."""

from email.message import EmailMessage

from feedback.mailbox.parsing import parse_message
from tests.support.mail import letter


def body_of(html: str) -> str:
    return parse_message(letter(html=html)).body


def test_an_html_letter_keeps_no_script_style_or_comment_as_text():
    html = (
        "<html><head><style>p { color: red }</style></head><body>"
        "<script>alert(1)</script><!-- trình soạn thư -->"
        "<p>Xin chào 😀</p></body></html>"
    )

    # None of them shows in a mail reader, so none is the petition's text.
    assert body_of(html) == "Xin chào 😀"


def test_paragraphs_lines_and_list_items_of_an_html_letter_survive_as_lines():
    html = (
        "<p>Kính gửi Sở,</p>"
        "<p>Đường liên thôn\n   Nà Pàn bị <b>sạt lở</b><br>sau mưa lớn.</p>"
        "<div>Đề nghị:</div><ul><li>khảo sát</li><li>sửa chữa</li></ul>"
        "<table><tr><td>Thôn</td><td>Nà Pàn</td></tr><tr><td>Xã</td><td>X</td></tr>"
        "</table>"
    )

    # A source line break is a space, as a mail reader shows it; a paragraph
    # (and a list, a table) is set apart by a blank line, a line (br, div, li,
    # tr) by a line break.
    assert body_of(html) == (
        "Kính gửi Sở,\n\n"
        "Đường liên thôn Nà Pàn bị sạt lở\nsau mưa lớn.\n\n"
        "Đề nghị:\n\nkhảo sát\nsửa chữa\n\n"
        "Thôn Nà Pàn\nXã X"
    )


def test_entities_of_an_html_letter_are_read_as_the_characters_they_name():
    assert body_of("<p>Giá &lt; 5 &amp; &quot;gấp&quot;&nbsp;!</p>") == (
        'Giá < 5 & "gấp" !'
    )


def test_a_self_closed_script_still_hides_what_follows_it_until_its_end_tag():
    # A browser reads <script/> as an opening tag: what follows is script.
    assert body_of("<script/>alert(1)</script><p>Xin chào</p>") == "Xin chào"


def test_the_plain_part_of_a_letter_with_both_is_its_text():
    message = EmailMessage()
    message["From"] = "Lò Văn Pá <pa.lo@example.vn>"
    message["Subject"] = "Đường"
    message.set_content("Đường sạt lở.\n\nĐề nghị sửa.")
    message.add_alternative("<p>Bản <b>HTML</b></p>", subtype="html")

    assert parse_message(message.as_bytes()).body == "Đường sạt lở.\n\nĐề nghị sửa."
