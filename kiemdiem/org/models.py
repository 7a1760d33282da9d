"""Who is who: the Party tree, leadership collectives, members and their positions."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from kiemdiem.org.choices import (
    CELL_KINDS,
    Category,
    CollectiveKind,
    Gender,
    OrgKind,
    PositionRank,
    Suspension,
)
from kiemdiem.vn import name_sort_key

PATH_STEP = 10  # digits per tree level in Organization.path


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_STEP}d}"


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Organization(models.Model):
    """A Party organization. `path` is a materialized path (each ancestor's id, fixed width),
    so a whole subtree is one indexed prefix query however deep the tree is."""

    code = models.CharField("Mã tổ chức", max_length=40, unique=True)
    name = models.CharField("Tên tổ chức", max_length=200)
    kind = models.CharField("Loại tổ chức", max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="Tổ chức cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, default="", db_index=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = "Tổ chức đảng"
        verbose_name_plural = "Tổ chức đảng"
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="org_path_idx", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        creating = self.pk is None
        old_path = self.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        new_path = self.compute_path()
        if new_path != old_path:
            self.path, self.depth = new_path, new_path.count("/") - 1
            Organization.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if not creating and old_path:
                self._move_descendants(old_path)

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "Tổ chức không thể là cấp trên của chính mình."})
        parent = self.parent
        assert parent is not None
        if self.pk and parent.path.startswith(self.path):
            raise ValidationError(
                {"parent": "Không thể chuyển tổ chức vào trong cây của chính nó."}
            )
        if parent.kind == OrgKind.GROUP:
            raise ValidationError({"parent": "Tổ đảng không có tổ chức trực thuộc."})
        if self.kind == OrgKind.GROUP and parent.kind not in CELL_KINDS:
            raise ValidationError({"parent": "Tổ đảng phải thuộc một chi bộ."})

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{path_segment(self.pk)}/"

    def _move_descendants(self, old_path: str) -> None:
        """Rewrite the paths below this node in one statement after a move."""
        from django.db.models.functions import Concat, Substr

        Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (self.depth - old_path.count("/") + 1),
        )

    def subtree(self) -> models.QuerySet[Organization]:
        return Organization.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[Organization]:
        ids = [int(s) for s in self.path.strip("/").split("/")[:-1] if s]
        return Organization.objects.filter(pk__in=ids).order_by("depth")


class Collective(models.Model):
    """A leadership collective (tập thể lãnh đạo, quản lý) attached to an organization."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="Thuộc tổ chức đảng",
        on_delete=models.PROTECT,
        related_name="collectives",
    )
    kind = models.CharField("Loại tập thể", max_length=30, choices=CollectiveKind.choices)
    name = models.CharField("Tên tập thể", max_length=200)

    class Meta:
        verbose_name = "Tập thể lãnh đạo, quản lý"
        verbose_name_plural = "Tập thể lãnh đạo, quản lý"
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="collective_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


def fold(text: str) -> str:
    """Lower-case text without diacritics, so "nguyen van an" finds "Nguyễn Văn An"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class MemberQuerySet(models.QuerySet["Member"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Member]:
        objs = list(objs)
        for obj in objs:
            obj.fill_derived()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs, fields = list(objs), list(fields)
        if "full_name" in fields or "code" in fields:
            for obj in objs:
                obj.fill_derived()
            fields = sorted({*fields, "sort_key", "search_text"})
        return super().bulk_update(objs, fields, *args, **kwargs)

    def in_subtree(self, path: str) -> MemberQuerySet:
        return self.filter(cell__path__startswith=path)

    def vietnamese_order(self) -> MemberQuerySet:
        return self.order_by("sort_key", "code")


class Member(models.Model):
    code = models.CharField("Số thẻ / mã đảng viên", max_length=30, unique=True)
    full_name = models.CharField("Họ và tên", max_length=120)
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)
    search_text = models.CharField(max_length=300, editable=False, default="")
    gender = models.CharField("Giới tính", max_length=3, choices=Gender.choices)
    birth_date = models.DateField("Ngày sinh")
    cell = models.ForeignKey(
        Organization,
        verbose_name="Chi bộ sinh hoạt chính thức",
        on_delete=models.PROTECT,
        related_name="members",
    )
    party_group = models.ForeignKey(
        Organization,
        verbose_name="Tổ đảng",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
    )
    admitted_on = models.DateField("Ngày vào Đảng")
    official_on = models.DateField("Ngày chính thức", null=True, blank=True)
    category = models.CharField("Đối tượng", max_length=20, choices=Category.choices)
    exempt_since = models.DateField(
        "Miễn công tác và sinh hoạt đảng từ ngày", null=True, blank=True
    )
    suspension = models.CharField(
        "Đình chỉ", max_length=10, choices=Suspension.choices, default="", blank=True
    )
    suspended_since = models.DateField("Đình chỉ từ ngày", null=True, blank=True)
    temporary_cell = models.ForeignKey(
        Organization,
        verbose_name="Chi bộ sinh hoạt tạm thời",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="temporary_members",
    )
    temporary_since = models.DateField("Sinh hoạt tạm thời từ ngày", null=True, blank=True)
    transferred_on = models.DateField("Ngày chuyển sinh hoạt đến", null=True, blank=True)
    former_cell = models.ForeignKey(
        Organization,
        verbose_name="Chi bộ trước khi chuyển",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_out",
    )
    former_cell_name = models.CharField(
        "Chi bộ trước khi chuyển (ngoài hệ thống)", max_length=200, blank=True
    )
    residence_cell = models.ForeignKey(
        Organization,
        verbose_name="Chi bộ nơi cư trú",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    residence = models.CharField("Nơi cư trú", max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="Tài khoản",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "Đảng viên"
        verbose_name_plural = "Đảng viên"
        ordering = ["sort_key", "code"]
        indexes = [models.Index(fields=["cell", "sort_key"], name="member_cell_sort_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_on__isnull=True) | Q(official_on__gt=F("admitted_on")),
                name="member_official_after_admission",
            ),
            models.CheckConstraint(
                condition=~Q(temporary_cell=F("cell")), name="member_temporary_not_official"
            ),
            models.CheckConstraint(
                condition=Q(suspension="") | Q(suspended_since__isnull=False),
                name="member_suspension_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def fill_derived(self) -> None:
        """Fields computed from the name; bulk_create/bulk_update call this too."""
        self.full_name = " ".join(self.full_name.split())
        self.sort_key = name_sort_key(self.full_name)
        self.search_text = f"{fold(self.full_name)} {self.code.lower()}"

    @property
    def is_probationary(self) -> bool:
        return self.official_on is None

    def clean(self) -> None:
        errors = member_errors(self)
        if errors:
            raise ValidationError(errors)


def member_errors(m: Member, today: dt.date | None = None) -> dict[str, str]:
    """The member invariants, as {field: Vietnamese message}; shared by forms, admin and import."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    if m.admitted_on and m.admitted_on > today:
        errors["admitted_on"] = "Ngày vào Đảng không được sau ngày hôm nay."
    if m.birth_date and m.admitted_on and add_months(m.birth_date, 18 * 12) > m.admitted_on:
        errors["admitted_on"] = "Người vào Đảng phải đủ 18 tuổi tại ngày kết nạp."
    if m.official_on and m.admitted_on and m.official_on < add_months(m.admitted_on, 12):
        errors["official_on"] = (
            "Ngày chính thức phải sau ngày vào Đảng ít nhất 12 tháng (thời gian dự bị)."
        )
    cell = m.cell if m.cell_id else None
    if cell is not None and cell.kind not in CELL_KINDS:
        errors["cell"] = "Đảng viên phải sinh hoạt chính thức tại một chi bộ."
    if m.party_group_id:
        group = m.party_group
        if group is None or group.kind != OrgKind.GROUP or group.parent_id != m.cell_id:
            errors["party_group"] = "Tổ đảng phải thuộc chi bộ sinh hoạt chính thức."
    if m.temporary_cell_id:
        if m.temporary_cell_id == m.cell_id:
            errors["temporary_cell"] = "Chi bộ sinh hoạt tạm thời phải khác chi bộ chính thức."
        elif m.temporary_cell is not None and m.temporary_cell.kind not in CELL_KINDS:
            errors["temporary_cell"] = "Nơi sinh hoạt tạm thời phải là một chi bộ."
        if not m.temporary_since:
            errors["temporary_since"] = "Cần ghi ngày bắt đầu sinh hoạt tạm thời."
    if m.suspension and not m.suspended_since:
        errors["suspended_since"] = "Cần ghi ngày bắt đầu đình chỉ."
    if m.suspended_since and not m.suspension:
        errors["suspension"] = "Có ngày đình chỉ nhưng chưa chọn hình thức đình chỉ."
    if (m.former_cell_id or m.former_cell_name) and not m.transferred_on:
        errors["transferred_on"] = "Cần ghi ngày chuyển sinh hoạt đến."
    if m.transferred_on and not (m.former_cell_id or m.former_cell_name):
        errors["former_cell"] = "Cần ghi chi bộ trước khi chuyển đến."
    if m.former_cell_id and m.former_cell_id == m.cell_id:
        errors["former_cell"] = "Chi bộ trước khi chuyển phải khác chi bộ hiện tại."
    if m.transferred_on and m.admitted_on and m.transferred_on < m.admitted_on:
        errors["transferred_on"] = "Ngày chuyển sinh hoạt không được trước ngày vào Đảng."
    return errors


class Position(models.Model):
    """A post a member holds in a collective or an organization, over a period."""

    member = models.ForeignKey(
        Member, verbose_name="Đảng viên", on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField("Chức vụ", max_length=120)
    collective = models.ForeignKey(
        Collective,
        verbose_name="Tập thể",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="Tổ chức",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    rank = models.CharField(
        "Vị trí", max_length=10, choices=PositionRank.choices, default=PositionRank.MEMBER
    )
    is_leader = models.BooleanField("Cán bộ lãnh đạo, quản lý", default=False)
    start_on = models.DateField("Từ ngày")
    end_on = models.DateField("Đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "Chức vụ"
        verbose_name_plural = "Chức vụ"
        ordering = ["member", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="position_end_not_before_start",
                violation_error_message="Ngày kết thúc chức vụ không được trước ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=Q(collective__isnull=False, organization__isnull=True)
                | Q(collective__isnull=True, organization__isnull=False),
                name="position_in_one_place",
                violation_error_message="Chức vụ phải thuộc đúng một tập thể hoặc một tổ chức.",
            ),
        ]

    def __str__(self) -> str:
        place = self.collective or self.organization
        return f"{self.title} — {place}"

    def clean(self) -> None:
        if self.end_on and self.start_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": "Ngày kết thúc không được trước ngày bắt đầu."})
        if bool(self.collective_id) == bool(self.organization_id):
            raise ValidationError("Chức vụ phải thuộc đúng một tập thể hoặc một tổ chức.")

    def is_current(self, on: dt.date) -> bool:
        return self.start_on <= on and (self.end_on is None or self.end_on >= on)
