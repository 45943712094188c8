"""Texts of the plan's own view: areas with section II's solutions beside their tasks."""

from __future__ import annotations

PLAN_CLI: dict[str, str] = {
    "area": "{code}. {title}",
    "solutions": "Nhiệm vụ, giải pháp (mục {section}. {section_title}):",
    "tasks": "Nhiệm vụ cụ thể (Phụ lục):",
    "task": "  {stt}. {content} — {lead}; {timeframe}",
    "no_tasks": "  (không có nhiệm vụ)",
}
NARRATIVE_GUIDE = "Viết phần {code} theo nhiệm vụ, giải pháp tại mục {section} của Kế hoạch:"

MESSAGES: dict[str, str] = {
    "area_unknown": "Không có lĩnh vực “{value}”: dùng {areas}.",
}
