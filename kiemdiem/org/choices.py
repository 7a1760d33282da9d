"""The kinds of things in the Party tree (domain.md §1), with their Vietnamese names."""

from django.db import models


class OrgKind(models.TextChoices):
    # Above grassroots: never hard-code how many levels there are (districts ended 01/7/2025).
    PROVINCE = "tinh", "Đảng bộ tỉnh, thành phố"
    DISTRICT = "huyen", "Đảng bộ huyện, quận, thị xã"
    BLOC = "khoi", "Đảng bộ khối"
    SUPERIOR = "cap_tren", "Đảng bộ cấp trên cơ sở khác"
    GRASSROOTS_COMMITTEE = "dang_bo_co_so", "Đảng bộ cơ sở"
    GRASSROOTS_CELL = "chi_bo_co_so", "Chi bộ cơ sở"
    PARTIAL_COMMITTEE = "dang_bo_bo_phan", "Đảng bộ bộ phận"
    CELL = "chi_bo", "Chi bộ trực thuộc"
    GROUP = "to_dang", "Tổ đảng"


# A member's official cell is a cell: one under a committee, or a grassroots cell itself.
CELL_KINDS = (OrgKind.CELL, OrgKind.GRASSROOTS_CELL)
GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)
ABOVE_GRASSROOTS_KINDS = (OrgKind.PROVINCE, OrgKind.DISTRICT, OrgKind.BLOC, OrgKind.SUPERIOR)


class CollectiveKind(models.TextChoices):
    PARTY_EXECUTIVE = "bch", "Ban Chấp hành đảng bộ"
    PARTY_STANDING = "btv", "Ban Thường vụ"
    CELL_COMMITTEE = "chi_uy", "Chi ủy"
    PEOPLES_COMMITTEE = "ubnd", "Lãnh đạo Ủy ban nhân dân"
    PEOPLES_COUNCIL = "hdnd", "Thường trực Hội đồng nhân dân"
    FATHERLAND_FRONT = "mttq", "Ban Thường trực Ủy ban MTTQ"
    YOUTH_UNION = "doan_tn", "Ban Thường vụ Đoàn TNCS Hồ Chí Minh"
    WOMEN_UNION = "hoi_phu_nu", "Ban Thường vụ Hội Liên hiệp Phụ nữ"
    FARMERS_UNION = "hoi_nong_dan", "Ban Thường vụ Hội Nông dân"
    VETERANS_UNION = "hoi_ccb", "Ban Thường vụ Hội Cựu chiến binh"
    TRADE_UNION = "cong_doan", "Ban Chấp hành Công đoàn"
    SCHOOL_BOARD = "bgh", "Ban Giám hiệu"
    HEALTH_STATION = "tram_y_te", "Lãnh đạo Trạm Y tế"
    BOARD_OF_DIRECTORS = "hdqt", "Hội đồng quản trị"
    MEMBERS_COUNCIL = "hdtv", "Hội đồng thành viên"
    EXECUTIVE_BOARD = "ban_tgd", "Ban Tổng giám đốc (Ban Giám đốc)"
    AGENCY_LEADERSHIP = "lanh_dao_co_quan", "Lãnh đạo cơ quan, đơn vị"
    OTHER = "khac", "Tập thể khác"


class Category(models.TextChoices):
    # Codes match the rule engine's input (issue 3) so facts pass through unchanged.
    CCVC = "ccvc", "Cán bộ, công chức, viên chức"
    WORKER = "worker", "Công nhân"
    FARMER = "farmer", "Nông dân"
    LABORER = "laborer", "Người lao động"
    STUDENT = "student", "Học sinh, sinh viên"
    RETIRED = "retired", "Hưu trí"
    ARMED_FORCES = "armed_forces", "Lực lượng vũ trang"
    BUSINESS = "business", "Làm kinh tế, chủ doanh nghiệp tư nhân"
    OTHER = "other", "Khác"


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class Suspension(models.TextChoices):
    NONE = "", "Không"
    PARTY = "dang", "Đình chỉ sinh hoạt đảng"
    COMMITTEE = "cap_uy", "Đình chỉ sinh hoạt cấp ủy"


class PositionRank(models.TextChoices):
    HEAD = "head", "Người đứng đầu"
    DEPUTY = "deputy", "Cấp phó"
    MEMBER = "member", "Thành viên"
