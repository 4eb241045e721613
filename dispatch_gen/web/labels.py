"""Vietnamese words of the interface: field labels, statuses, and the common validation messages.

A field the model gains later and that is not listed here is labelled with its key, so it still
shows up in the form; adding its Vietnamese name here is the only edit it needs.
"""
from __future__ import annotations

import re

LABELS = {
    "id": "Mã văn bản",
    "template": "Mẫu văn bản",
    "profile": "Thể thức",
    "type_code": "Chữ viết tắt tên loại",
    "issuers": "Cơ quan ban hành",
    "name": "Tên",
    "code": "Chữ viết tắt",
    "parent": "Cơ quan chủ quản",
    "header_name": "Tên in ở phần tiêu đề",
    "drafting_unit": "Đơn vị soạn thảo",
    "series": "Sổ đánh số",
    "number": "Số",
    "place": "Địa danh",
    "date": "Ngày ban hành",
    "year": "Năm",
    "title": "Tên loại",
    "subtitle": "Trích yếu",
    "subject": "Trích yếu công văn (V/v)",
    "addressees": "Kính gửi",
    "urgency": "Độ khẩn",
    "legal_basis": "Căn cứ",
    "opening": "Đoạn mở đầu",
    "sections": "Các mục",
    "heading": "Tiêu đề mục",
    "paragraphs": "Đoạn văn",
    "bullets": "Dòng gạch đầu dòng",
    "items": "Các khoản",
    "points": "Các điểm a), b), c)",
    "numbering": "Kiểu đánh số",
    "text": "Nội dung",
    "targets": "Chỉ tiêu",
    "share": "Tỷ lệ",
    "base": "Đối tượng",
    "measure": "Cách đo cuối năm",
    "of": "Đo theo",
    "titles": "Danh hiệu",
    "activity": "Hoạt động",
    "of_which": "Trong đó",
    "closing": "Đoạn kết",
    "signers": "Người ký",
    "issuer": "Ký cho cơ quan (chữ viết tắt)",
    "authority": "Quyền hạn ký",
    "for": "Ký thay cho",
    "then_authority": "Quyền hạn ký (dòng 2)",
    "then_for": "Ký thay cho (dòng 2)",
    "position": "Chức vụ",
    "lead_signs_on": "Cơ quan chủ trì ký bên",
    "recipients": "Nơi nhận",
    "purpose": "Mục đích gửi",
    "archive": "Lưu",
    "anniversaries": "Ngày kỷ niệm",
    "author": "Người soạn thảo",
    "drafter_mark": "Ký hiệu người soạn thảo, số bản",
    "unsorted": "Dòng nhập vào chưa xếp được",
    "founded": "Ngày thành lập",
}

KINDS = {
    "PĐTĐ": "Phát động thi đua",
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "QĐ": "Quyết định",
    "CV": "Công văn",
    "TB": "Thông báo",
    "NQ": "Nghị quyết",
    "TTr": "Tờ trình",
    "CT": "Chỉ thị",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "BB": "Biên bản",
    "CĐ": "Công điện",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "phat-dong": "Phát động thi đua",
    "ke-hoach": "Kế hoạch",
    "bao-cao": "Báo cáo",
    "bao-cao-tong-ket": "Báo cáo tổng kết",
    "quyet-dinh": "Quyết định",
    "quyet-dinh-khen-thuong": "Quyết định khen thưởng",
    "cong-van": "Công văn",
    "thong-bao": "Thông báo",
    "nghi-quyet": "Nghị quyết",
    "to-trinh": "Tờ trình",
    "giay-khen": "Giấy khen",
    "results": "Kết quả thi đua",
}

STATUSES = {
    "draft": "Dự thảo",
    "issued": "Đã ban hành",
    "invalid": "Dữ liệu có lỗi",
    "results": "Kết quả thi đua",
}

OUTCOMES = {
    "draft": "Đã tạo bản dự thảo (chưa dùng số).",
    "registered": "Đã đăng ký số vào sổ.",
    "issued": "Đã cấp số và ban hành.",
    "revised": "Nội dung thay đổi: đã ghi bản sửa đổi {rev}.",
    "unchanged": "Không có thay đổi: không ghi gì.",
    "restored": "Đã khôi phục tệp từ sổ (nội dung không đổi).",
    "renumbered": "Đã chuyển số.",
}

_MESSAGES = [
    (r"required field is missing", "bắt buộc phải điền"),
    (r"must not be empty", "không được để trống"),
    (r"input should be a valid string", "phải điền chữ vào đây (không được để trống)"),
    (r"unknown key(.*)", r"khóa không có trong mẫu dữ liệu\1"),
    (r"'(.*)' is not a valid date \(YYYY-MM-DD\).*", r"“\1” không phải ngày hợp lệ (năm-tháng-ngày, ví dụ 2025-01-10)"),
    (r"(.*) is not one of (.*)", r"\1 không thuộc các giá trị \2"),
    (r"input should be a valid integer[^(]*(\(found .*\))?", r"phải là số nguyên \1"),
    (r"input should be greater than or equal to (\d+).*", r"phải từ \1 trở lên"),
    (r"input should be less than or equal to (\d+).*", r"phải không quá \1"),
    (r"YAML syntax error: (.*)", r"lỗi cú pháp YAML: \1"),
    (r"changed by someone else since you opened it; nothing was written",
     "đã được người khác sửa sau khi bạn mở; chưa ghi gì"),
]


def label_of(key: str) -> str:
    return LABELS.get(key, key)


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)


def message_vi(message: str) -> str:
    """The common validation messages in Vietnamese; any other stays as the library wrote it.

    A whole line (`file:12: field: message`) keeps its location and has its message translated.
    """
    starts = [0] + [m.end() for m in re.finditer(": ", message)]
    for start in starts:
        tail = message[start:]
        for pattern, replacement in _MESSAGES:
            if re.fullmatch(pattern, tail, flags=re.S):
                return message[:start] + re.sub(pattern, replacement, tail, count=1, flags=re.S)
    return message
