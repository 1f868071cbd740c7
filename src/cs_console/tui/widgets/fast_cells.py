"""DataTable cells of one line drawn with one Rich render instead of three.

Textual draws each cell as ``Styled(Padding(cell))`` through ``console.render_lines``: the
padding and the styles are rendered, split and cropped around the cell's own render. For a
one-line row the result is always the cell's line between two padding segments, all styled
with the cell's pre- and post-styles; built directly, the queue's first screen (44 rows of 8
cells) is drawn in less CPU. Everything else (headers, labels, fixed rows or columns, taller
rows, cells not yet in the cache's key space) is Textual's own path. The cache and its keys
are DataTable's, so whatever clears them clears these cells too.
tests/console/test_fast_cells.py renders every cell both ways and compares the segments.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.widgets import DataTable

_NO_STYLE = Style.null()


class SingleLineCells(DataTable[Any]):
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
        options = self.app.console_options.update_dimensions(width - 2 * pad, 1).update(
            no_wrap=True
        )
        # the cell rendered exactly as Padding renders its content: one line, padded to width
        (line,) = self.app.console.render_lines(
            cells[column_index], options, style=_NO_STYLE, pad=True
        )
        if pad:
            side = Segment(" " * pad, _NO_STYLE)
            line = [side, *line, side]
        lines = [list(Segment.apply_style(line, pre_style, post_style))]
        cache[cache_key] = lines
        return lines
