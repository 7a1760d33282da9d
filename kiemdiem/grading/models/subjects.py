"""What is classified: a member, a leadership collective, a party organization, or a unit
outside the party tree (a village, a youth branch...). One abstract shape for proposals,
decisions and score sheets, so a committee's page reads all of them with one query each."""

from __future__ import annotations

from typing import Any

from django.db import models


class SubjectType(models.TextChoices):
    MEMBER = "m", "Đảng viên"
    COLLECTIVE = "c", "Tập thể lãnh đạo, quản lý"
    ORGANIZATION = "o", "Tổ chức đảng"
    UNIT = "u", "Đơn vị, đoàn thể"


def subject_key(kind: str, pk: int) -> str:
    """ "m:12", "c:3"...: one indexed column names the subject whatever its kind."""
    return f"{kind}:{pk}"


class SubjectFields(models.Model):
    """The subject (exactly one of the four foreign keys, by `subject_type`) and its `place`:
    the organization whose subtree it belongs to, so one path prefix scopes every row."""

    subject_type = models.CharField("Loại đối tượng", max_length=1, choices=SubjectType.choices)
    subject_key = models.CharField(max_length=24, editable=False)
    member = models.ForeignKey(
        "org.Member",
        verbose_name="Đảng viên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    collective = models.ForeignKey(
        "org.Collective",
        verbose_name="Tập thể",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "org.Organization",
        verbose_name="Tổ chức đảng được xếp loại",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "grading.RatedUnit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.ForeignKey(
        "org.Organization",
        verbose_name="Thuộc tổ chức",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The grassroots organization the subject belongs to (null above grassroots): a
    # superior counts levels per grassroots organization with one GROUP BY.
    grassroots = models.ForeignKey(
        "org.Organization",
        verbose_name="Tổ chức cơ sở đảng",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def fill_key(self) -> None:
        pk = {
            SubjectType.MEMBER: self.member_id,
            SubjectType.COLLECTIVE: self.collective_id,
            SubjectType.ORGANIZATION: self.organization_id,
            SubjectType.UNIT: self.unit_id,
        }[SubjectType(self.subject_type)]
        if pk is None:
            raise ValueError(f"subject {self.subject_type} without its foreign key")
        self.subject_key = subject_key(self.subject_type, pk)

    @property
    def subject(self) -> Any:
        return {
            SubjectType.MEMBER: self.member,
            SubjectType.COLLECTIVE: self.collective,
            SubjectType.ORGANIZATION: self.organization,
            SubjectType.UNIT: self.unit,
        }[SubjectType(self.subject_type)]


def subject_fields(kind: str, obj: Any, place: Any, grassroots_id: int | None) -> dict[str, Any]:
    """The keyword arguments that name `obj` as a subject of `kind` at `place`."""
    field = {
        SubjectType.MEMBER: "member",
        SubjectType.COLLECTIVE: "collective",
        SubjectType.ORGANIZATION: "organization",
        SubjectType.UNIT: "unit",
    }[SubjectType(kind)]
    return {
        "subject_type": kind,
        field: obj,
        "place": place,
        "grassroots_id": grassroots_id,
        "subject_key": subject_key(kind, obj.pk),
    }
