"""Rows the product needs from the start: notices, request deadlines, retention.

Created by migration privacy/0002 and again after every migrate (and the flush of
a transactional test), without touching rows an admin changed.

Figures: Decree 356/2025/NĐ-CP as summarised in shared/research (a first reply in
2 working days; a request carried out within 10 to 20 days, one extension of at
most 15 days). They are rows, to be corrected in the admin against the official
text without a release (docs/privacy.md).
"""

from datetime import UTC, datetime

PROCESSING_VI = (
    "Tôi đồng ý để cơ quan tiếp nhận và cơ quan có thẩm quyền xử lý dữ liệu cá "
    "nhân tôi cung cấp (họ tên, thư điện tử, số điện thoại, mã số thuế, nội dung và "
    "tệp đính kèm) chỉ để giải quyết phản ánh, kiến nghị này và thông báo kết quả "
    "cho tôi, theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15. Dữ liệu được lưu "
    "đến hết thời hạn lưu trữ rồi được ẩn danh hóa. Tôi có quyền xem, chỉnh sửa, "
    "yêu cầu xóa dữ liệu của mình và rút lại sự đồng ý công khai bất cứ lúc nào "
    "trên trang tra cứu."
)
PROCESSING_EN = (
    "I agree that the receiving agency and the competent agencies process the "
    "personal data I give (name, e-mail, phone, tax code, the text and the "
    "attachments) only to handle this petition and to tell me the result, under "
    "the Law on Personal Data Protection 91/2025/QH15. The data is kept until the "
    "end of the retention period, then anonymised. I may see, correct or ask to "
    "erase my data, and withdraw consent to publication, at any time from the "
    "tracking page."
)
# Version 2 (4 December 2026): every kind of data the forms take, who processes
# it, how long it is kept and whom to ask (Law 91/2025 art. 13: what the subject is
# told before processing). Version 1 stays for the consents given under it.
PROCESSING_2_VI = (
    "Tôi đồng ý để cơ quan tiếp nhận và cơ quan có thẩm quyền giải quyết xử lý dữ "
    "liệu cá nhân tôi cung cấp (họ tên, thư điện tử, số điện thoại, mã số thuế, địa "
    "chỉ bưu chính, nơi xảy ra sự việc và vị trí trên bản đồ, nội dung và tệp đính "
    "kèm) chỉ để giải quyết phản ánh, kiến nghị này và thông báo kết quả cho tôi, "
    "theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15. Thư điện tử và tin nhắn được "
    "gửi qua nhà cung cấp dịch vụ thư và tin nhắn của cơ quan. Dữ liệu được lưu đến "
    "5 năm sau khi phản ánh kết thúc (hoặc thời hạn lưu trữ riêng của lĩnh vực), rồi "
    "được ẩn danh hóa. Tôi có quyền xem, chỉnh sửa, yêu cầu xóa dữ liệu của mình và "
    "rút lại sự đồng ý công khai bất cứ lúc nào trên trang tra cứu (mục «Dữ liệu cá "
    "nhân của bạn»); bộ phận bảo vệ dữ liệu cá nhân của cơ quan trả lời yêu cầu "
    "trong 2 ngày làm việc."
)
PROCESSING_2_EN = (
    "I agree that the receiving agency and the agencies competent to handle it "
    "process the personal data I give (name, e-mail, phone, tax code, postal "
    "address, the place of the matter and its point on the map, the text and the "
    "attachments) only to handle this petition and to tell me the result, under the "
    "Law on Personal Data Protection 91/2025/QH15. E-mails and text messages go "
    "through the agency's mail and SMS providers. The data is kept until 5 years "
    "after the petition ends (or the category's own retention period), then "
    "anonymised. I may see, correct or ask to erase my data, and withdraw consent to "
    "publication, at any time from the tracking page (“Your personal data”); the "
    "agency's data protection officer answers a request within 2 working days."
)
NOTICE_2_IN_FORCE = datetime(2026, 12, 4, tzinfo=UTC)
PUBLICATION_VI = (
    "Tôi đồng ý công khai nội dung phản ánh và câu trả lời trên trang «Phản ánh đã "
    "trả lời» và qua Open311, không kèm họ tên, thông tin liên hệ và tệp đính kèm; "
    "số điện thoại, số giấy tờ và địa chỉ thư điện tử viết trong nội dung được che. "
    "Tôi có thể rút lại sự đồng ý này bất cứ lúc nào trên trang tra cứu."
)
PUBLICATION_EN = (
    "I agree that the text of my petition and its answer are published on the "
    "“Answered petitions” page and through Open311, without my name, contact "
    "details or attachments; phone, ID and e-mail numbers written in the text are "
    "masked. I may withdraw this consent at any time from the tracking page."
)
SOURCE = (
    "Nghị định 356/2025/NĐ-CP: phản hồi trong 2 ngày làm việc; thực hiện trong 10–20 "
    "ngày (đối chiếu văn bản gốc)"
)
# The notices were in force from the law's first day.
IN_FORCE = datetime(2026, 1, 1, tzinfo=UTC)


def ensure_defaults(apps) -> None:
    """The first notices, the request deadlines and the default retention."""
    notice = apps.get_model("privacy", "ConsentNotice")
    for purpose, text_vi, text_en in (
        ("processing", PROCESSING_VI, PROCESSING_EN),
        ("publication", PUBLICATION_VI, PUBLICATION_EN),
    ):
        notice.objects.get_or_create(
            purpose=purpose,
            version=1,
            defaults={"text_vi": text_vi, "text_en": text_en, "published_at": IN_FORCE},
        )
    notice.objects.get_or_create(
        purpose="processing",
        version=2,
        defaults={
            "text_vi": PROCESSING_2_VI,
            "text_en": PROCESSING_2_EN,
            "published_at": NOTICE_2_IN_FORCE,
        },
    )
    deadline = apps.get_model("privacy", "RequestDeadline")
    for kind, days in (("see", 10), ("correct", 10), ("erase", 20)):
        deadline.objects.get_or_create(
            kind=kind,
            defaults={
                "first_reply_amount": 2,
                "first_reply_unit": "working_days",
                "completion_amount": days,
                "completion_unit": "days",
                "source": SOURCE,
            },
        )
    # Five years after a petition ends, unless the admin sets a category's own.
    apps.get_model("privacy", "RetentionPolicy").objects.get_or_create(
        category=None, defaults={"keep_days": 5 * 365}
    )
