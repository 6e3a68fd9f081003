"""The printable A4 notice (公示) for the notice board: the notice text, its period,
a summary of the plan and a QR code that opens the online notice, where residents
read the plan in full and raise objections."""

from dataclasses import dataclass
from datetime import date

import segno
from django.utils.safestring import SafeString, mark_safe

from .models import PlanningProcess, PublicNotice

SUMMARY_MAX = 600


@dataclass(frozen=True)
class PrintableNotice:
    process: PlanningProcess
    notice: PublicNotice
    url: str
    qr_svg: SafeString
    summary: str

    @property
    def starts_on(self) -> date:
        return self.notice.starts_on

    @property
    def ends_on(self) -> date:
        return self.notice.ends_on


def qr_svg(url: str) -> SafeString:
    """An inline SVG QR code of ``url`` (no external image, nothing inline-styled, so
    it prints sharply and passes the page's content security policy)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=2, svgclass="notice-qr", omitsize=True
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup of a URL we built


def summary_of(notice: PublicNotice) -> str:
    text = notice.draft.description.strip()
    if len(text) > SUMMARY_MAX:
        text = text[: SUMMARY_MAX - 1] + "…"
    return text


def printable(notice: PublicNotice, *, url: str) -> PrintableNotice:
    """What the A4 page shows; ``url`` is the absolute address of the online notice."""
    return PrintableNotice(
        process=notice.run.process,
        notice=notice,
        url=url,
        qr_svg=qr_svg(url),
        summary=summary_of(notice),
    )
