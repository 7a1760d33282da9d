"""Admin: rated units are set up here (villages, branches, departments a committee rates);
proposals, decisions and orders are read-only — changes go through the services, which
check permission and write the audit, and decisions are never changed at all."""

from __future__ import annotations

from django.contrib import admin

from kiemdiem.grading.models import Decision, Proposal, RatedUnit, ReclassificationOrder


@admin.register(RatedUnit)
class RatedUnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "organization", "rated_by"]
    list_filter = ["kind"]
    search_fields = ["name", "organization__name"]
    raw_id_fields = ["organization"]


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ["subject_key", "step", "level", "verdict", "grounds", "body", "made_at"]
    list_filter = ["step", "grounds", "tier"]
    search_fields = ["subject_key"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ["subject_key", "status", "level", "computed_at"]
    list_filter = ["status"]
    search_fields = ["subject_key"]


@admin.register(ReclassificationOrder)
class ReclassificationOrderAdmin(ReadOnly):
    list_display = ["organization", "level", "used", "allowed", "ordered_at", "resolved_at"]
