"""The report document: A4, DejaVu Sans shipped in the repository (no font is fetched at run time), a
running footer with page numbers, and small drawing helpers (headings, tables, a radar chart in vectors)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from evaluation.i18n import t

FONTS = Path(__file__).resolve().parent / "fonts"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
HEAD_FILL = (31, 78, 121)
ZEBRA = (243, 245, 248)
Column = tuple[str, float, str]  # a table column: its heading's catalogue key, width in mm, alignment


def hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def tint(colour: str, share: float = 0.35) -> tuple[int, int, int]:
    """The colour mixed with white: `share` of the colour, the rest white (readable under dark text)."""
    return tuple(round(255 - (255 - c) * share) for c in hex_rgb(colour))  # type: ignore[return-value]


def radar_points(
    values: Sequence[float], cx: float, cy: float, radius: float, top: float = 5.0
) -> list[tuple[float, float]]:
    """Polygon corners for `values` on axes spread evenly clockwise from 12 o'clock (0 at the centre,
    `top` on the rim); PDF y grows downwards."""
    n = len(values)
    points = []
    for i, value in enumerate(values):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        share = max(0.0, min(value, top)) / top
        points.append((cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)))
    return points


class ReportPDF(FPDF):
    def __init__(self, footer_text: str, page_label: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.page_label = page_label  # "Halaman {page} dari {pages}"
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_font("DejaVu", size=9)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(15, 14, 15)
        self.alias_nb_pages("{nb}")
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font("DejaVu", size=7)
        self.set_text_color(*MUTED)
        page = self.page_label.format(page=self.page_no(), pages="{nb}")
        self.cell(0, 5, f"{self.footer_text} · {page}", align="C")
        self.set_text_color(*INK)

    def title_block(self, kicker: str, title: str, subtitle: str) -> None:
        self.set_font("DejaVu", size=9)
        self.set_text_color(*MUTED)
        self.cell(0, 5, kicker, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.set_font("DejaVu", "B", 17)
        self.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", size=9)
        self.multi_cell(0, 5, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font("DejaVu", "B", 11)
        self.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_font("DejaVu", size=9)

    def subheading(self, text: str) -> None:
        self.set_font("DejaVu", "B", 9)
        self.cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", size=9)

    def paragraph(self, text: str, *, muted: bool = False, size: float = 9) -> None:
        self.set_font("DejaVu", size=size)
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(0, 4.6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def figure_box(
        self, x: float, y: float, w: float, label: str, value: str, fill: str | None = None
    ) -> None:
        """A boxed key figure: a small label over a large value, optionally on a coloured band."""
        if fill:
            self.set_fill_color(*hex_rgb(fill))
            self.rect(x, y, w, 3, style="F")
        self.set_draw_color(*RULE)
        self.rect(x, y, w, 20)
        self.set_xy(x + 2, y + 4)
        self.set_font("DejaVu", size=8)
        self.set_text_color(*MUTED)
        self.cell(w - 4, 4, label)
        self.set_text_color(*INK)
        self.set_xy(x + 2, y + 9)
        self.set_font("DejaVu", "B", 15)
        self.cell(w - 4, 8, value)
        self.set_font("DejaVu", size=9)

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        align: Sequence[str] | None = None,
        fills: Sequence[str | None] | None = None,
        size: float = 8,
    ) -> None:
        """A ruled table with a repeated heading row; `fills` colours a row's last cell (e.g. a predicate)."""
        self.set_font("DejaVu", size=size)
        self.set_fill_color(*ZEBRA)
        heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=HEAD_FILL)
        with self.table(
            col_widths=tuple(widths),
            text_align=tuple(align or ["LEFT"] * len(headings)),
            headings_style=heading_style,
            line_height=size * 0.55,
            borders_layout="HORIZONTAL_LINES",
            width=sum(widths),
            align="LEFT",
            cell_fill_color=ZEBRA,
            cell_fill_mode=TableCellFillMode.ROWS,
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(text)
            for n, values in enumerate(rows):
                row = table.row()
                for i, text in enumerate(values):
                    fill = fills[n] if fills and i == len(values) - 1 else None
                    if fill:
                        row.cell(text, style=FontFace(fill_color=tint(fill)))
                    else:
                        row.cell(text)
        self.set_font("DejaVu", size=9)

    def columns_grid(
        self, columns: Sequence[Column], rows: Sequence[Sequence[str]], lang: str, *, size: float = 8
    ) -> None:
        """`grid` with each column given as one (heading key, width in mm, alignment) spec; the headings are
        written in `lang`."""
        headings = [t(key, lang) for key, _, _ in columns]
        widths = [width for _, width, _ in columns]
        self.grid(headings, rows, widths, align=[align for _, _, align in columns], size=size)

    def radar(
        self,
        cx: float,
        cy: float,
        radius: float,
        labels: Sequence[str],
        series: Sequence[tuple[str, Sequence[float], str]],
    ) -> None:
        """A radar of 0-5 values: rings at each level, one polygon per (name, values, colour) series, and a
        legend under the chart."""
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        for level in range(1, 6):
            self.polygon(radar_points([level] * len(labels), cx, cy, radius), style="D")
        for (x, y), label in zip(radar_points([5.0] * len(labels), cx, cy, radius), labels, strict=True):
            self.line(cx, cy, x, y)
            self.set_font("DejaVu", size=7)
            width = self.get_string_width(label)
            dx = 1.5 if x > cx + 1 else (-width - 1.5 if x < cx - 1 else -width / 2)
            dy = 3 if y > cy + 1 else (-1 if y < cy - 1 else 1)
            self.text(x + dx, y + dy, label)
        for _name, values, colour in series:
            rgb = hex_rgb(colour)
            self.set_draw_color(*rgb)
            self.set_fill_color(*rgb)
            self.set_line_width(0.6)
            with self.local_context(fill_opacity=0.18):
                self.polygon(radar_points(values, cx, cy, radius), style="DF")
        self.set_line_width(0.2)
        y = cy + radius + 7
        x = cx - radius
        for name, _values, colour in series:
            self.set_fill_color(*hex_rgb(colour))
            self.rect(x, y - 2.5, 3, 3, style="F")
            self.set_font("DejaVu", size=7)
            self.text(x + 4.5, y, name)
            x += 8 + self.get_string_width(name)
        self.set_font("DejaVu", size=9)
