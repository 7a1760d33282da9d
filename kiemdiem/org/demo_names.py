"""Vietnamese names for the demo, with family names weighted by how common they are."""

FAMILY_WEIGHTED = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Phan", 5),
    ("Vũ", 4), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 3), ("Ngô", 2), ("Dương", 2),
    ("Lý", 1), ("Đinh", 2), ("Cao", 1), ("Thái", 1), ("Võ", 2),
]  # fmt: skip

MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Công", "Xuân", "Đình",
               "Thanh", "Ngọc", "Trọng", "Bá", "Viết"]  # fmt: skip
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Minh", "Kim",
                 "Phương", "Hải"]  # fmt: skip

GIVEN_MALE = [
    "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Hưng", "Khánh", "Long", "Minh",
    "Nam", "Phong", "Quang", "Sơn", "Thắng", "Thành", "Tiến", "Trung", "Tuấn", "Việt",
    "Vinh", "Hoàng", "Hiếu", "Lợi", "Toàn", "Thịnh", "Kiên", "Lâm", "Phúc", "Chung", "Giang",
    "Ngọc", "Nghĩa", "Nhân", "Ánh", "Ân", "Tùng",
]  # fmt: skip
GIVEN_FEMALE = [
    "An", "Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng",
    "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh",
    "Phương", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Vân", "Yến", "Ánh", "Ngân",
]  # fmt: skip
