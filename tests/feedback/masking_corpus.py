"""Realistic Vietnamese petition and answer texts, with what publication may show.

Each entry: (what it is about, the text as typed, the text as published). The
agency's own contacts are those of PUBLISHED (a Lạng Sơn department).
"""

PUBLISHED_PHONE = "0205 3812 345"
PUBLISHED_EMAIL = "sonnmt@langson.gov.vn"
NAME = "Hoàng Văn Thụ"

# --- identity numbers: 9-digit CMND, 12-digit CCCD, tax codes, passports ----------
IDS = [
    ("CCCD plain", "Số CCCD 001203004567 cấp năm 2021.", "Số CCCD *** cấp năm 2021."),
    ("CCCD dots", "CCCD: 001.234.567.890", "CCCD: ***"),
    (
        "CCCD spaces",
        "căn cước 001 234 567 890, nơi cấp Cục CS",
        "căn cước ***, nơi cấp Cục CS",
    ),
    ("CCCD dashes", "số định danh 001-234-567-890.", "số định danh ***."),
    (
        "CCCD dots, no cue",
        "Tôi gửi kèm 036.095.001.234 để đối chiếu.",
        "Tôi gửi kèm *** để đối chiếu.",
    ),
    (
        "CMND plain",
        "CMND số 121345678 do CA Lạng Sơn cấp",
        "CMND số *** do CA Lạng Sơn cấp",
    ),
    ("CMND spaces", "chứng minh nhân dân 121 345 678", "chứng minh nhân dân ***"),
    ("CMND dots", "CMND 121.345.678 hết hạn", "CMND *** hết hạn"),
    ("tax code", "MST 0101234567 của hộ kinh doanh", "MST *** của hộ kinh doanh"),
    ("tax code branch", "mã số thuế 0101234567-001.", "mã số thuế ***."),
    ("personal tax code 12", "MST cá nhân 079203001234", "MST cá nhân ***"),
    ("passport", "hộ chiếu số B1234567 còn hạn", "hộ chiếu số *** còn hạn"),
    ("BHXH number", "mã số BHXH 0123456789 của tôi", "mã số BHXH *** của tôi"),
]

# --- phones: mobiles and landlines in every usual spelling ------------------------
PHONES = [
    ("mobile spaces", "Gọi 0912 345 678 giúp tôi", "Gọi *** giúp tôi"),
    ("mobile dots", "SĐT: 0912.345.678", "SĐT: ***"),
    ("mobile dashes", "đt 0912-345-678.", "đt ***."),
    ("mobile plain", "liên hệ 0987654321 nhé", "liên hệ *** nhé"),
    ("mobile +84", "hoặc +84 912 345 678", "hoặc ***"),
    ("mobile +84 no space", "zalo +84912345678", "zalo ***"),
    ("mobile 84", "số 84912345678", "số ***"),
    ("mobile 4-3-3", "0912 345678 (Zalo)", "*** (Zalo)"),
    ("landline", "máy bàn 0205 3871 234", "máy bàn ***"),
    ("landline Hà Nội", "ĐT 024 3825 1234 giờ hành chính", "ĐT *** giờ hành chính"),
    ("landline parentheses", "gọi (024) 3825 1234", "gọi ***"),
    ("landline dots", "0206.3852.111 là số nhà tôi", "*** là số nhà tôi"),
    (
        "two phones",
        "0912 345 678, 0912.345.679 hoặc 02053812399.",
        "***, *** hoặc ***.",
    ),
]

# --- e-mail addresses ------------------------------------------------------------
EMAILS = [
    ("email", "Liên hệ an.nguyen+pakn@gmail.com nhé", "Liên hệ ***@*** nhé"),
    ("email work", "thư hoa.le@congty.com.vn", "thư ***@***"),
    ("email upper", "Email: HOA@EXAMPLE.VN.", "Email: ***@***."),
]

# --- house addresses and hamlets --------------------------------------------------
ADDRESSES = [
    (
        "house, alley, street",
        "Nhà tôi ở số 12 ngõ 34 đường Trần Phú bị ngập.",
        "Nhà tôi ở *** bị ngập.",
    ),
    (
        "house number street",
        "số nhà 5, ngách 12/3, phố Lê Lợi, phường Chi Lăng",
        "***, phường Chi Lăng",
    ),
    (
        "alley slash",
        "hẻm 45/12 đường Nguyễn Trãi thường xuyên mất điện",
        "*** thường xuyên mất điện",
    ),
    ("kiệt", "kiệt 7 Hùng Vương ngập nặng", "*** ngập nặng"),
    ("hamlet, commune", "Tôi ở thôn Nà Pài, xã Tân Đoàn.", "Tôi ở ***, xã Tân Đoàn."),
    ("hamlet number", "Cống ở thôn 3 bị tắc.", "Cống ở *** bị tắc."),
    (
        "residence clause",
        "trú tại thôn Bản Chắt, xã Hữu Lũng, tỉnh Lạng Sơn. Đề nghị xem xét.",
        "trú tại ***. Đề nghị xem xét.",
    ),
    (
        "address colon",
        "Địa chỉ: số 8 Lê Lợi, phường Đông Kinh; xin trả lời sớm",
        "Địa chỉ: ***; xin trả lời sớm",
    ),
    ("tổ dân phố", "tổ dân phố 5, phường Vĩnh Trại", "***, phường Vĩnh Trại"),
    ("xóm", "xóm Đồng Mỏ có 30 hộ", "*** có 30 hộ"),
    ("house number, no 'số'", "Tôi ở 18 Hoàng Diệu, Ba Đình", "Tôi ở ***, Ba Đình"),
    (
        "slashed house number",
        "Nhà tôi ở 123/45/6 Nguyễn Trãi bị nứt tường",
        "Nhà tôi ở *** bị nứt tường",
    ),
    ("house letter", "trước nhà 12A phố Hàng Bạc", "trước nhà ***"),
]

# --- vehicles and bank accounts ---------------------------------------------------
VEHICLES_AND_ACCOUNTS = [
    ("car plate", "xe biển 12A-123.45 đỗ trước nhà", "xe biển *** đỗ trước nhà"),
    ("car plate plain", "ô tô 29A 12345 chạy quá tốc độ", "ô tô *** chạy quá tốc độ"),
    ("motorbike plate", "xe máy 12-B1 234.56 bị giữ", "xe máy *** bị giữ"),
    ("motorbike plate joined", "biển 29B1-23456.", "biển ***."),
    ("bank account", "STK 19034567890123 Techcombank", "STK *** Techcombank"),
    ("bank account spaced", "số tài khoản 1903 4567 8901 23", "số tài khoản ***"),
    (
        "short account with cue",
        "tài khoản số 12345678 tại Agribank",
        "tài khoản số *** tại Agribank",
    ),
]

# --- what must stay: money, dates, law, the agency's own contacts -----------------
STAYS = [
    ("money dots", "lệ phí 1.234.567 đồng", "lệ phí 1.234.567 đồng"),
    (
        "money billions",
        "phí 1.500.000.000 đồng năm 2025",
        "phí 1.500.000.000 đồng năm 2025",
    ),
    ("money đ", "đã nộp 150.000.000đ", "đã nộp 150.000.000đ"),
    ("money VNĐ", "số tiền 120.000.000 VNĐ", "số tiền 120.000.000 VNĐ"),
    (
        "money 12 digits",
        "bồi thường 100.000.000.000 đồng",
        "bồi thường 100.000.000.000 đồng",
    ),
    (
        "money plain digits",
        "nộp 2500000000 đồng tiền sử dụng đất",
        "nộp 2500000000 đồng tiền sử dụng đất",
    ),
    ("money cue before", "số tiền: 1.250.000.000", "số tiền: 1.250.000.000"),
    ("decimal money", "2,5 tỷ đồng", "2,5 tỷ đồng"),
    (
        "decision number",
        "Quyết định 1234/QĐ-UBND ngày 12/03/2025",
        "Quyết định 1234/QĐ-UBND ngày 12/03/2025",
    ),
    (
        "decree",
        "Nghị định 20/2008/NĐ-CP và 92/2017/NĐ-CP",
        "Nghị định 20/2008/NĐ-CP và 92/2017/NĐ-CP",
    ),
    ("date dots", "ngày 12.03.2025", "ngày 12.03.2025"),
    (
        "area",
        "diện tích 120,5 m2, thửa số 234, tờ bản đồ số 12",
        "diện tích 120,5 m2, thửa số 234, tờ bản đồ số 12",
    ),
    (
        "hotline short",
        "gọi đường dây nóng 1022 hoặc 113",
        "gọi đường dây nóng 1022 hoặc 113",
    ),
    (
        "service number",
        "tổng đài 1900 1234 hoặc 1800 5678",
        "tổng đài 1900 1234 hoặc 1800 5678",
    ),
    (
        "agency hotline",
        f"Ông/bà liên hệ số {PUBLISHED_PHONE} để được hướng dẫn.",
        f"Ông/bà liên hệ số {PUBLISHED_PHONE} để được hướng dẫn.",
    ),
    ("agency hotline dots", "liên hệ 0205.3812.345", "liên hệ 0205.3812.345"),
    ("agency hotline +84", "gọi +84 205 3812 345", "gọi +84 205 3812 345"),
    (
        "agency e-mail",
        f"Gửi hồ sơ về {PUBLISHED_EMAIL}.",
        f"Gửi hồ sơ về {PUBLISHED_EMAIL}.",
    ),
    (
        "street as subject",
        "Đường Trần Phú bị ngập, đề nghị nạo vét",
        "Đường Trần Phú bị ngập, đề nghị nạo vét",
    ),
    ("commune", "xã Tân Đoàn thiếu trạm y tế", "xã Tân Đoàn thiếu trạm y tế"),
    (
        "common words",
        "văn bản số 5 của tổ chức, bản sao có chứng thực",
        "văn bản số 5 của tổ chức, bản sao có chứng thực",
    ),
    (
        "counts and years",
        "năm 2024 có 3.500 hộ, 12.000 nhân khẩu",
        "năm 2024 có 3.500 hộ, 12.000 nhân khẩu",
    ),
    (
        "article",
        "theo Điều 147 Bộ luật Dân sự 2015",
        "theo Điều 147 Bộ luật Dân sự 2015",
    ),
    ("class and room", "lớp 12A, phòng 305 tầng 3", "lớp 12A, phòng 305 tầng 3"),
]

# --- the submitter's own name ---------------------------------------------------
NAMES = [
    (
        "name any case",
        f"Tôi là {NAME.upper()}, xin trình bày",
        "Tôi là ***, xin trình bày",
    ),
    ("name as typed", f"Người gửi: {NAME}.", "Người gửi: ***."),
]

CORPUS = IDS + PHONES + EMAILS + ADDRESSES + VEHICLES_AND_ACCOUNTS + STAYS + NAMES
