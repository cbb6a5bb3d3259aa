"""Drawing of the LSTM cell diagram of :func:`~sklstm.plotting.plot_lstm_cell`.

``_draw_lstm_cell`` draws the gates, the element-wise operations and the flows
between them with matplotlib patches, sized to the axes. The public function
and its docstring are in :mod:`sklstm.plotting`; matplotlib is imported only
when the cell is drawn.
"""

# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numpy as np


def _draw_lstm_cell(ax=None):
    """Draw the LSTM cell on ``ax`` (None: a new figure) and return the axes."""
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch
    from matplotlib.path import Path

    # The drawing spans these data limits, with an equal aspect.
    xlim, ylim = (-1.6, 13.9), (-2.5, 7.0)
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9.0, 5.6))
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.94)
    # Font sizes and line widths are in points: scale them to the size of a
    # data unit in ax (40 points in the figure above), so that a small ax
    # gets a small drawing rather than overlapping labels.
    box = ax.get_position()
    width, height = ax.figure.get_size_inches()
    unit = 72 * min(
        box.width * width / (xlim[1] - xlim[0]),
        box.height * height / (ylim[1] - ylim[0]),
    )
    scale = float(np.clip(unit / 40.0, 0.25, 2.5))
    layer_color, op_color, line_color = "#fbe7a1", "#f7c6d0", "0.15"
    gate_w, gate_h, r = 1.5, 1.0, 0.3

    def flow(points, *, head=True, color=line_color):
        ax.add_patch(
            FancyArrowPatch(
                path=Path(points),
                arrowstyle=(
                    f"-|>,head_length={6 * scale},head_width={3 * scale}"
                    if head
                    else "-"
                ),
                color=color,
                linewidth=1.6 * scale,
                shrinkA=0,
                shrinkB=0,
                joinstyle="miter",
                zorder=2,
            )
        )

    def layer(xc, yc, symbol, name):
        ax.add_patch(
            FancyBboxPatch(
                (xc - gate_w / 2, yc - gate_h / 2), gate_w, gate_h,
                boxstyle="round,pad=0,rounding_size=0.15", facecolor=layer_color,
                edgecolor="0.35", linewidth=1.2 * scale, zorder=3,
            )
        )  # fmt: skip
        text = {"ha": "center", "va": "center", "zorder": 4}
        ax.text(xc, yc + 0.15, symbol, fontsize=15 * scale, **text)
        ax.text(xc, yc - 0.28, name, fontsize=8.5 * scale, **text)

    def op(xc, yc, symbol, *, width=2 * r):
        if symbol == r"$\tanh$":
            patch = FancyBboxPatch(
                (xc - width / 2, yc - r), width, 2 * r,
                boxstyle=f"round,pad=0,rounding_size={r}", facecolor=op_color,
                edgecolor="0.35", linewidth=1.2 * scale, zorder=3,
            )  # fmt: skip
        else:
            patch = Circle(
                (xc, yc), r, facecolor=op_color, edgecolor="0.35",
                linewidth=1.2 * scale, zorder=3,
            )  # fmt: skip
        ax.add_patch(patch)
        label(xc, yc, symbol, zorder=4)

    def label(xc, yc, text, **kwargs):
        kwargs = {"ha": "center", "va": "center", **kwargs}
        ax.text(xc, yc, text, fontsize=kwargs.pop("fontsize", 13) * scale, **kwargs)

    # Geometry: the cell box, the cell-state line at the top, the bus of
    # [h_{t-1}, x_t] at the bottom, the gates in between.
    left, right, bottom, top = 0.0, 11.0, 0.0, 6.6
    y_c, y_bus, y_gate, y_mid = 5.6, 0.9, 2.4, 4.0
    x_f, x_i, x_g, x_o, x_h = 2.0, 4.0, 5.9, 7.8, 9.6
    ax.add_patch(
        FancyBboxPatch(
            (left, bottom), right - left, top - bottom,
            boxstyle="round,pad=0,rounding_size=0.5", facecolor="#eef3f8",
            edgecolor="0.55", linewidth=1.5 * scale, zorder=0,
        )
    )  # fmt: skip

    # Cell state: c_{t-1} -> x f_t -> + i_t g_t -> c_t.
    flow([(-1.2, y_c), (x_f - r, y_c)])
    op(x_f, y_c, r"$\times$")
    flow([(x_f + r, y_c), (x_g - r, y_c)])
    op(x_g, y_c, r"$+$")
    flow([(x_g + r, y_c), (right + 1.2, y_c)])
    label(-1.2, y_c + 0.4, r"$c_{t-1}$", ha="left")
    label(right + 1.2, y_c + 0.4, r"$c_t$", ha="right")

    # Inputs: h_{t-1} from the left and x_t from below join into one bus.
    x_join = 0.9
    flow([(-1.2, y_bus), (x_o, y_bus)], head=False)
    flow([(x_join, -0.7), (x_join, y_bus)], head=False)
    ax.add_patch(Circle((x_join, y_bus), 0.07, color=line_color, zorder=3))
    label(-1.2, y_bus + 0.4, r"$h_{t-1}$", ha="left")
    label(x_join, -1.0, r"$x_t$")
    label(
        (x_join + x_f) / 2 + 0.55, y_bus - 0.45, r"$[h_{t-1}, x_t]$", fontsize=10,
        color="0.3",
    )  # fmt: skip

    # The four gates, fed from the bus.
    gates = [
        (x_f, r"$\sigma$", r"forget $f_t$"),
        (x_i, r"$\sigma$", r"input $i_t$"),
        (x_g, r"$\tanh$", r"candidate $g_t$"),
        (x_o, r"$\sigma$", r"output $o_t$"),
    ]
    for xc, symbol, name in gates:
        flow([(xc, y_bus), (xc, y_gate - gate_h / 2)])
        if xc != x_o:  # the bus ends in a corner at the output gate
            ax.add_patch(Circle((xc, y_bus), 0.07, color=line_color, zorder=3))
        layer(xc, y_gate, symbol, name)

    # f_t up to the forget product.
    flow([(x_f, y_gate + gate_h / 2), (x_f, y_c - r)])
    # i_t and g_t meet in a product, which goes up to the sum.
    flow([(x_i, y_gate + gate_h / 2), (x_i, y_mid), (x_g - r, y_mid)])
    flow([(x_g, y_gate + gate_h / 2), (x_g, y_mid - r)])
    op(x_g, y_mid, r"$\times$")
    flow([(x_g, y_mid + r), (x_g, y_c - r)])

    # h_t = o_t * tanh(c_t): c_t branches down through tanh.
    ax.add_patch(Circle((x_h, y_c), 0.07, color=line_color, zorder=3))
    flow([(x_h, y_c), (x_h, y_mid + r)])
    op(x_h, y_mid, r"$\tanh$", width=1.0)
    flow([(x_h, y_mid - r), (x_h, y_gate + r)])
    flow([(x_o + gate_w / 2, y_gate), (x_h - r, y_gate)])
    op(x_h, y_gate, r"$\times$")
    # h_t leaves at the bottom right, to the next step and up as the output.
    x_out = right + 0.6
    flow([(x_h, y_gate - r), (x_h, y_bus), (right + 1.2, y_bus)])
    ax.add_patch(Circle((x_out, y_bus), 0.07, color=line_color, zorder=3))
    flow([(x_out, y_bus), (x_out, y_c - 0.8)])
    label(right + 1.2, y_bus - 0.4, r"$h_t$", ha="right")
    label(x_out + 0.15, y_c - 1.1, r"$h_t$ (output)", ha="left", fontsize=11)

    # The equations, below the diagram.
    equations = (
        r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$" + "      "
        r"$h_t = o_t \odot \tanh(c_t)$"
    )
    label(3.6, -1.9, equations, fontsize=11, color="0.2")
    ax.legend(
        handles=[
            Patch(facecolor=layer_color, edgecolor="0.35", label="layer (weights)"),
            Patch(facecolor=op_color, edgecolor="0.35", label="element-wise"),
        ],
        loc="lower right", frameon=False, fontsize=9 * scale,
    )  # fmt: skip

    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("The LSTM cell")
    return ax
