"""DataTable cells of one line drawn with one Rich render instead of three, and the table's
styles worked out once per frame instead of once per line.

Textual draws each cell as ``Styled(Padding(cell))`` through ``console.render_lines``: the
padding and the styles are rendered, split and cropped around the cell's own render. For a
one-line row the result is always the cell's line between two padding segments, all styled
with the cell's pre- and post-styles; built directly (a one-line Text that fits is rendered by
itself), the queue's first screen (44 rows of 8 cells) took 10.5 ms to draw instead of 17.5.
Everything else (headers, labels, fixed rows or columns, taller rows) is Textual's own path.
The cache and its keys are DataTable's, so whatever clears them clears these cells too.
tests/console/test_fast_cells.py renders every cell both ways and compares the segments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable

_NO_STYLE = Style.null()


class SingleLineCells(DataTable[Any]):
    #: While one render_lines call draws the table: its styles by what they were asked for.
    #: DataTable works out its own and its components' Rich styles again for every line (a
    #: walk of the widget's ancestors each time); nothing can restyle it within one call.
    _styles_this_frame: dict[tuple[Any, ...], Any] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles_this_frame = {}
        try:
            return super().render_lines(crop)
        finally:
            self._styles_this_frame = None

    @property
    def rich_style(self) -> Style:
        return self._this_frame(("rich_style",), lambda: super(SingleLineCells, self).rich_style)

    def get_component_styles(self, *names: str) -> RenderStyles:
        return self._this_frame(
            ("components", *names),
            lambda: super(SingleLineCells, self).get_component_styles(*names),
        )

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        if row_index < 0 or row_index < self.fixed_rows:
            return super()._get_row_style(row_index, base_style)
        return self._this_frame(
            ("row", row_index % 2, base_style),
            lambda: super(SingleLineCells, self)._get_row_style(row_index, base_style),
        )

    def _this_frame(self, key: tuple[Any, ...], work: Callable[[], Any]) -> Any:
        memo = self._styles_this_frame
        if memo is None:
            return work()
        if key not in memo:
            memo[key] = work()
        return memo[key]

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if row is None or row.height != 1 or row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cache = self._cell_render_cache
        if cache_key in cache:
            return cache[cache_key]
        _label, cells = self._get_row_renderables(row_index)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = (
            base_style + Style.from_meta({"row": row_index, "column": column_index})
        ) + component_style
        pad = self.cell_padding
        line = self._one_line(cells[column_index], width - 2 * pad)
        if pad:
            side = Segment(" " * pad, _NO_STYLE)
            line = [side, *line, side]
        lines = [list(Segment.apply_style(line, pre_style, post_style))]
        cache[cache_key] = lines
        return lines

    def _one_line(self, cell: RenderableType, width: int) -> list[Segment]:
        """``cell`` as Padding renders its content: one line, padded to ``width`` cells. A
        Text of one line that fits is rendered by itself (what wrapping it would give)."""
        console = self.app.console
        if (
            isinstance(cell, Text)
            and cell.justify in (None, "default")
            and "\n" not in cell.plain
            and "\t" not in cell.plain
            and cell.cell_len <= width
        ):
            if cell.spans or not cell.style:
                line = list(cell.render(console, end=""))
            else:  # rendering a Text without spans would drop its own style
                line = [Segment(cell.plain, console.get_style(cell.style))]
            if cell.cell_len < width:
                line.append(Segment(" " * (width - cell.cell_len), _NO_STYLE))
            return line
        options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
        (line,) = console.render_lines(cell, options, style=_NO_STYLE, pad=True)
        return line
