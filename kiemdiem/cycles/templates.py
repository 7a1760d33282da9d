"""Step templates: each seed plan's schedule as data (plan_templates/*.yaml).

A template gives month-day windows; applied to a cycle's year they become dates. A step may
fall in the following year (`year_offset`, or `ends_year_offset` for a window that crosses
the new year), as 004's deadlines do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kiemdiem.cycles.models import Level
from kiemdiem.rules.sources import readable

TEMPLATE_DIR = Path(__file__).parent / "plan_templates"


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class StepTemplate:
    code: str
    title: str
    level: str
    starts: str  # "MM-DD"
    ends: str
    year_offset: int
    ends_year_offset: int
    deliverables: tuple[str, ...]
    source: str

    def window(self, year: int) -> tuple[dt.date, dt.date]:
        start = _month_day(self.starts, year + self.year_offset)
        end = _month_day(self.ends, year + self.year_offset + self.ends_year_offset)
        return start, end


@dataclass(frozen=True)
class PlanTemplate:
    id: str
    name: str
    source: str
    steps: tuple[StepTemplate, ...]


def _month_day(text: str, year: int) -> dt.date:
    month, day = (int(x) for x in text.split("-"))
    return dt.date(year, month, day)


def _parse(path: Path) -> PlanTemplate:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        steps = tuple(
            StepTemplate(
                code=s["code"],
                title=s["title"],
                level=Level(s["level"]).value,
                starts=s["starts"],
                ends=s["ends"],
                year_offset=int(s.get("year_offset", 0)),
                ends_year_offset=int(s.get("ends_year_offset", 0)),
                deliverables=tuple(s.get("deliverables", [])),
                source=readable(s["source"]),
            )
            for s in data["steps"]
        )
        template = PlanTemplate(data["id"], data["name"], readable(data["source"]), steps)
        for step in steps:
            start, end = step.window(2000)
            if end < start:
                raise TemplateError(f"{path.name}: bước {step.code} kết thúc trước khi bắt đầu")
    except (KeyError, TypeError, ValueError) as exc:
        raise TemplateError(f"{path.name}: mẫu các bước không hợp lệ ({exc})") from exc
    return template


@lru_cache(maxsize=1)
def plan_templates() -> dict[str, PlanTemplate]:
    templates = (_parse(p) for p in sorted(TEMPLATE_DIR.glob("*.yaml")))
    return {t.id: t for t in templates}


def get_template(template_id: str) -> PlanTemplate:
    try:
        return plan_templates()[template_id]
    except KeyError:
        raise TemplateError(f"Không có mẫu các bước “{template_id}”.") from None
