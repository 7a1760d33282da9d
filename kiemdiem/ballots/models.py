"""Secret ballots (issue 5; design principle 6).

Two tables that share nothing but the ballot: the voter roll (who may vote, a hash of their
one-time code, whether they have voted) and the ballot box (random ids, the marks, no link
to anyone, no time, no serial number, no order while voting). A vote is one conditional
UPDATE of the roll plus one INSERT into the box in the same transaction, so it counts once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BallotStatus(models.TextChoices):
    DRAFT = "draft", "Chuẩn bị"
    OPEN = "open", "Đang bỏ phiếu"
    CLOSED = "closed", "Đã đóng"


class BallotMode(models.TextChoices):
    ONLINE = "online", "Trực tuyến"
    PAPER = "paper", "Phiếu giấy"


class Ballot(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="ballots"
    )
    title = models.CharField("Tên cuộc bỏ phiếu", max_length=300)
    method = models.CharField("Cách bỏ phiếu", max_length=20)  # counting.CHOOSE_LEVEL / ...
    round = models.PositiveSmallIntegerField("Vòng", default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=BallotStatus.choices, default="draft")
    roll_hash = models.CharField("Mã băm danh sách cử tri", max_length=64, blank=True)
    head = models.CharField("Mã băm cuối chuỗi phiếu", max_length=64, blank=True)
    mode = models.CharField(
        "Hình thức", max_length=8, choices=BallotMode.choices, default=BallotMode.ONLINE
    )
    # The ban kiểm phiếu, head first (minutes_docx.Counter): names typed by the secretary.
    committee = models.JSONField("Ban kiểm phiếu", default=list, blank=True)
    # A paper ballot's counts are final once both entries agree and add up (paper.confirm).
    confirmed_at = models.DateTimeField("Xác nhận kết quả lúc", null=True, blank=True)
    # Annulment (a wrong roll, a disrupted meeting) is the committee's audited act; the
    # annulled ballot and its box stay, only its round is free for a new binding ballot.
    annulled_at = models.DateTimeField("Hủy kết quả lúc", null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    annul_reason = models.CharField("Lý do hủy", max_length=500, blank=True)
    # Sealing (issue 12 §3, sealing.py): the public key and the private key wrapped under a
    # key split k-of-n among the ban kiểm phiếu; the shares are never stored. Nullable so
    # SQLite adds the columns in place (the box's triggers name this table).
    public_key = models.CharField(  # noqa: DJ001 (null: added in place, see above)
        "Khóa công khai", max_length=64, null=True, blank=True
    )
    wrapped_key = models.TextField(null=True, blank=True)  # noqa: DJ001
    key_threshold = models.PositiveSmallIntegerField("Số mã khóa cần để mở", null=True)
    # Who was handed a share at the start, as named then (the committee may be edited
    # later for the biên bản; the shares keep the names they were given). Names only.
    key_holders = models.JSONField("Người giữ mã khóa", null=True, blank=True)
    # The count of a sealed box, written once when k shares opened it: {"returned", "rows"}.
    tally = models.JSONField(null=True, blank=True)
    counted_at = models.DateTimeField("Kiểm phiếu lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Cuộc bỏ phiếu kín"
        verbose_name_plural = "Các cuộc bỏ phiếu kín"
        constraints = [
            # One binding ballot per round of a meeting (issue 12 §1): a second "open" on
            # the same meeting, or a second next round of the same ballot, fails here even
            # if a caller went around the service.
            models.UniqueConstraint(
                fields=["meeting", "round"],
                condition=models.Q(annulled_at__isnull=True),
                name="ballot_one_binding_per_round",
            ),
            models.UniqueConstraint(
                fields=["previous"],
                condition=models.Q(annulled_at__isnull=True, previous__isnull=False),
                name="ballot_one_next_round",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="candidates")
    order = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)  # the rule engine's SubjectFacts.id
    name = models.CharField(max_length=200)
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal = models.CharField("Chi ủy đề xuất", max_length=8, blank=True)

    class Meta:
        ordering = ["ballot", "order"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "key"], name="candidate_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class RollEntry(models.Model):
    """One line of the voter roll. Knows whether the member voted, never what."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="roll")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    may_vote = models.BooleanField(default=False)
    why = models.CharField("Căn cứ", max_length=200)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    has_voted = models.BooleanField(default=False)

    class Meta:
        ordering = ["ballot", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="roll_one_per_member")
        ]

    def __str__(self) -> str:
        return self.name


class BoxEntry(models.Model):
    """One cast ballot. The primary key is 128 random bits; there is deliberately no
    timestamp, no serial id and, while voting, no position. `position` is written at close,
    after the box is re-written in a random order, to chain the hashes."""

    id = models.CharField(primary_key=True, max_length=32, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    marks = models.JSONField()  # {candidate key: choice}; {} on a sealed ballot
    # SealedBox(ballot.public_key).encrypt(marks), base64; the receipt is its SHA-256.
    sealed = models.TextField(null=True, blank=True)  # noqa: DJ001 (null: legacy rows)
    nonce = models.CharField(max_length=32)
    receipt = models.CharField(max_length=64, db_index=True)
    position = models.PositiveIntegerField(null=True)
    link = models.CharField(max_length=64, blank=True)  # the chain's head after this ballot

    class Meta:
        verbose_name = "Phiếu trong hòm phiếu"

    def __str__(self) -> str:
        return f"Phiếu {self.id[:8]}…"


class PaperEntry(models.Model):
    """One of the two independent entries of a paper ballot's tally sheet (number 1 or 2).
    Counts only, never who marked what: {candidate key: {choice: marks}} plus the papers."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveSmallIntegerField()
    issued = models.PositiveIntegerField()
    returned = models.PositiveIntegerField()
    spoiled = models.PositiveIntegerField()
    rows = models.JSONField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Lần nhập kết quả kiểm phiếu"
        constraints = [
            models.UniqueConstraint(fields=["ballot", "number"], name="paper_entry_once"),
            models.CheckConstraint(
                condition=models.Q(number__in=[1, 2]), name="paper_entry_first_or_second"
            ),
        ]

    def __str__(self) -> str:
        return f"Lần nhập {self.number}"
