"""Charts of the IRDE analysis results: one function per chart, one house style, PNG and SVG output.

Boundary: the only module of the package that imports matplotlib. Chart functions take results of
`irde.analysis` (already computed; no analysis happens here) and return a Figure with a title
stating the finding (passed in by the caller, who computes it from the data), labelled axes with
units, the colour-blind-safe Okabe–Ito palette and a source line naming the dataset version.
`save` writes `<out>/figures/<name>.png` and `.svg`. With no data a chart says so instead of failing.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from irde.analysis.common import INVASION_DATE

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies.
OKABE_ITO = {
    "blue": "#0072B2", "orange": "#E69F00", "bluish_green": "#009E73", "vermillion": "#D55E00",
    "sky_blue": "#56B4E9", "reddish_purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
PALETTE = list(OKABE_ITO.values())
GREY = "#8C8C8C"
STANCE_STYLE = {  # stance group -> (colour, marker)
    "claim": (OKABE_ITO["blue"], "o"),
    "corroboration": (OKABE_ITO["bluish_green"], "D"),
    "denial": (OKABE_ITO["vermillion"], "X"),
    "admission": (OKABE_ITO["orange"], "^"),
    "other": (GREY, "s"),
}
MODE_LABELS = {"in_person": "in person", "video": "video", "phone": "phone"}
STYLE = {
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "irde",  # stable element ids, so SVGs only change when the chart does
    "svg.fonttype": "none",  # text stays text in SVGs: searchable, selectable, smaller
    "font.family": "DejaVu Sans",
    "text.parse_math": False,  # a "$" in a title or label from the data is text, never mathtext
}
DATASET = "IRDE — Iran–Russia Diplomatic Events"


def apply_style() -> None:
    """Use the house style for every chart drawn from now on."""
    matplotlib.rcParams.update(STYLE)


def source_line(version: str, note: str | None = None) -> str:
    line = f"Source: {DATASET}, version {version} (CC BY 4.0)."
    return f"{line} {note}" if note else line


def _figure(title: str, version: str, note: str | None = None, nrows: int = 1, ncols: int = 1,
            size: tuple[float, float] = (10, 5.5), **kwargs):
    apply_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=size, layout="constrained", **kwargs)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.text(0.01, 0.005, source_line(version, note), ha="left", va="bottom", fontsize=8, color="#555555")
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    return fig, axes


def empty_chart(title: str, version: str, message: str) -> Figure:
    """A chart that states there is nothing to show yet (e.g. no allegations in this version)."""
    fig, ax = _figure(title, version, size=(10, 3))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555555", transform=ax.transAxes)
    return fig


def save(fig: Figure, name: str, out_dir: str | Path, small: bool = False) -> list[Path]:
    """Write `<out_dir>/figures/<name>.png` and `.svg` (and a small `<name>-small.png` for the README)."""
    folder = Path(out_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.svg"]
    title = fig.get_suptitle() or name
    fig.savefig(paths[0], metadata={"Title": title, "Software": None})
    fig.savefig(paths[1], metadata={"Title": title, "Date": None, "Creator": None})
    if small:
        paths.append(folder / f"{name}-small.png")
        fig.savefig(paths[2], dpi=64, metadata={"Title": title, "Software": None})
    return paths


def _mark_turning_points(ax, points: pd.DataFrame, label: bool = True) -> None:
    """Dashed vertical lines at the turning points; labels stepped down the top of the axes so they never collide."""
    if label and len(points):
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom, top + (top - bottom) * 0.14 * len(points))
    left, right = ax.get_xlim()
    for step, (_, point) in enumerate(points.iterrows()):
        x = point["date"]
        ax.axvline(x, color=OKABE_ITO["black"], linestyle="--", linewidth=0.9, alpha=0.7, zorder=0)
        if label:
            # Labels near the right edge hang to the left of their line, so they stay inside the chart.
            flip = (mdates.date2num(x) - left) / ((right - left) or 1) > 0.72
            ax.annotate(f"{point['label']}, {point['date']:%-d %b %Y}", xy=(x, 1 - 0.09 * step),
                        xycoords=("data", "axes fraction"), xytext=(-3 if flip else 3, -2), textcoords="offset points",
                        ha="right" if flip else "left", va="top", fontsize=8,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})


def _stacked_bars(ax, table: pd.DataFrame, x, width: float, colours=None, labels=None) -> None:
    bottom = np.zeros(len(table))
    colours = colours or PALETTE
    for i, column in enumerate(table.columns):
        values = table[column].to_numpy(dtype=float)
        ax.bar(x, values, width=width, bottom=bottom, color=colours[i % len(colours)],
               label=(labels or {}).get(column, str(column)), linewidth=0)
        bottom += values


# ---------------------------------------------------------------------------------------- overview

def yearly_levels_chart(table: pd.DataFrame, title: str, version: str) -> Figure:
    """Meetings per year stacked by level (`irde.analysis.over_time.meetings_by_level(freq="Y")`)."""
    if table.empty:
        return empty_chart(title, version, "No meetings recorded yet.")
    fig, ax = _figure(title, version)
    years = [p.year for p in table.index]
    _stacked_bars(ax, table, years, 0.8)
    ax.set_xlabel("Year (of the meeting)")
    ax.set_ylabel("Meetings per year")
    ax.set_xticks(years)
    ax.legend(title="Highest level present", loc="upper left")
    return fig


def source_mix_chart(mixes: dict[str, pd.DataFrame], title: str, version: str) -> Figure:
    """One panel per source attribute: share of citations per year (`irde.analysis.overview.source_mix`)."""
    if all(m.empty for m in mixes.values()):
        return empty_chart(title, version, "No cited sources yet.")
    fig, axes = _figure(title, version, ncols=len(mixes), size=(13, 5.5), sharey=True)
    for ax, (name, mix) in zip(np.atleast_1d(axes), mixes.items()):
        shares = mix.div(mix.sum(axis=1).replace(0, np.nan), axis=0).fillna(0) * 100
        colours = PALETTE[:len(shares.columns)]
        colours = [GREY if c == "other" else "#D9D9D9" if c == "unknown" else colours[i]
                   for i, c in enumerate(shares.columns)]
        _stacked_bars(ax, shares, [str(y) for y in shares.index], 0.8, colours=colours)
        ax.set_title(name)
        ax.legend(handles=ax.get_legend_handles_labels()[0],
                  labels=[str(c).replace("_", " ") for c in shares.columns],
                  loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=3)
        ax.set_xlabel("Year of the event the source supports")
        ax.tick_params(axis="x", rotation=90)
    np.atleast_1d(axes)[0].set_ylabel("Share of citations (%)")
    return fig


def multi_source_chart(share: pd.DataFrame, title: str, version: str, minimum: int = 2) -> Figure:
    """Share of records with at least `minimum` independent sources, per year and record type."""
    if share.empty:
        return empty_chart(title, version, "No dated records yet.")
    fig, ax = _figure(title, version)
    for i, (kind, rows) in enumerate(share.groupby("record_type")):
        ax.plot(rows["year"], rows["share"] * 100, marker="o", color=PALETTE[i], label=f"{kind}s")
    ax.set_ylim(0, 105)
    ax.set_xlabel("Year (of the event)")
    ax.set_ylabel(f"Records with ≥ {minimum} independent sources (%)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right")
    return fig


# ---------------------------------------------------------------------------------------- meetings

def quarterly_levels_chart(table: pd.DataFrame, points: pd.DataFrame, title: str, version: str) -> Figure:
    """Meetings per quarter stacked by level, with turning points (`irde.analysis.over_time.meetings_by_level`)."""
    if table.empty:
        return empty_chart(title, version, "No meetings recorded yet.")
    fig, ax = _figure(title, version)
    starts = table.index.to_timestamp()
    _stacked_bars(ax, table, starts, 80)
    _mark_turning_points(ax, points)
    ax.set_xlabel("Quarter")
    ax.set_ylabel("Meetings per quarter")
    ax.legend(title="Highest level present", loc="upper left", bbox_to_anchor=(0, 0.85))
    return fig


def head_of_state_chart(contacts: pd.DataFrame, points: pd.DataFrame, title: str, version: str) -> Figure:
    """Every head-of-state contact on a timeline: one row per mode, marker by format."""
    if contacts.empty:
        return empty_chart(title, version, "No head-of-state contacts recorded yet.")
    fig, ax = _figure(title, version, size=(10, 4))
    lanes = {mode: i for i, mode in enumerate(("phone", "video", "in_person"))}
    for fmt, marker, fill in (("bilateral", "o", True), ("multilateral", "s", False)):
        rows = contacts[contacts["format"] == fmt]
        colour = OKABE_ITO["blue"] if fmt == "bilateral" else OKABE_ITO["orange"]
        ax.scatter(rows["date"], rows["mode"].map(lanes), marker=marker, s=60, alpha=0.8,
                   facecolors=colour if fill else "none", edgecolors=colour, linewidths=1.5, label=fmt)
    _mark_turning_points(ax, points)
    ax.set_yticks(list(lanes.values()), [MODE_LABELS[m] for m in lanes])
    ax.set_ylim(-0.6, len(lanes) - 0.2)
    ax.set_xlabel("Date of the contact")
    ax.set_ylabel("Mode")
    ax.legend(title="Format", loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    return fig


def modes_chart(table: pd.DataFrame, title: str, version: str) -> Figure:
    """Meetings per year by mode (stacked), with the remote share (`irde.analysis.over_time.meetings_by_mode`)."""
    if table.empty:
        return empty_chart(title, version, "No meetings recorded yet.")
    fig, (ax, share_ax) = _figure(title, version, nrows=2, height_ratios=(3, 1.3), sharex=True)
    years = [p.year for p in table.index]
    counts = table[["in_person", "video", "phone"]]
    _stacked_bars(ax, counts, years, 0.8, colours=[OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"]],
                  labels=MODE_LABELS)
    ax.set_ylabel("Meetings per year")
    ax.legend(loc="upper left")
    share_ax.plot(years, table["remote_share"] * 100, marker="o", color=OKABE_ITO["vermillion"])
    share_ax.set_ylim(0, 100)
    share_ax.set_ylabel("Remote (%)")
    share_ax.set_xlabel("Year")
    share_ax.set_xticks(years)
    return fig


# ----------------------------------------------------------------------------------------- network

def _bipartite(ax, edges: pd.DataFrame, names: dict[str, str], top: int) -> None:
    cross = edges[edges["cross"]]
    left = cross.assign(iran=np.where(cross["side_a"] == "IRN", cross["person_id_a"], cross["person_id_b"]),
                        russia=np.where(cross["side_a"] == "IRN", cross["person_id_b"], cross["person_id_a"]))
    totals = {side: left.groupby(side)["meetings"].sum().sort_values(ascending=False, kind="stable")
              for side in ("iran", "russia")}
    keep = {side: totals[side].index[:top] for side in totals}
    shown = left[left["iran"].isin(keep["iran"]) & left["russia"].isin(keep["russia"])]
    y = {side: {p: -i for i, p in enumerate(keep[side])} for side in keep}
    widest = max(shown["meetings"].max(), 1) if len(shown) else 1
    for _, edge in shown.iterrows():
        ax.plot([0, 1], [y["iran"][edge["iran"]], y["russia"][edge["russia"]]], color=OKABE_ITO["blue"],
                alpha=0.55, linewidth=0.6 + 5 * edge["meetings"] / widest, solid_capstyle="round")
    for side, x, ha, colour in (("iran", 0, "right", OKABE_ITO["bluish_green"]),
                                ("russia", 1, "left", OKABE_ITO["vermillion"])):
        for person, yy in y[side].items():
            ax.scatter([x], [yy], color=colour, s=30, zorder=3)
            ax.annotate(f"{names.get(person, person)} ({totals[side][person]})", (x, yy), xytext=(-6 if ha == "right" else 6, 0),
                        textcoords="offset points", ha=ha, va="center", fontsize=8)
    ax.set_xlim(-0.9, 1.9)
    ax.set_ylim(-max(top, 1) + 0.3, 0.7)
    ax.axis("off")
    ax.text(0, 0.9, "Iran", ha="center", fontweight="bold", color=OKABE_ITO["bluish_green"])
    ax.text(1, 0.9, "Russia", ha="center", fontweight="bold", color=OKABE_ITO["vermillion"])


def network_chart(by_period: dict[str, pd.DataFrame], names: dict[str, str], title: str, version: str,
                  top: int = 12, cutoff: pd.Timestamp = INVASION_DATE) -> Figure:
    """Who met whom across the table, one panel per period; line width ∝ shared meetings."""
    if all(edges.empty for edges in by_period.values()):
        return empty_chart(title, version, "No participants recorded yet.")
    fig, axes = _figure(title, version, ncols=len(by_period), size=(13, 7),
                        note=f"Top {top} officials per side in each period; (n) = meetings shared, summed over counterparts; "
                             "line width ∝ meetings shared.")
    for ax, (label, edges) in zip(np.atleast_1d(axes), by_period.items()):
        _bipartite(ax, edges, names, top)
        ax.set_title(f"{label.capitalize()} {cutoff:%d %B %Y}", pad=18)
    return fig


def matrix_chart(matrix: pd.DataFrame, title: str, version: str, xlabel: str, ylabel: str,
                 value_label: str) -> Figure:
    """A labelled heatmap of counts (e.g. `irde.analysis.networks.country_forum_matrix`)."""
    if matrix.empty:
        return empty_chart(title, version, "Nothing to show yet.")
    fig, ax = _figure(title, version, size=(10, max(4.0, 0.35 * len(matrix) + 2)))
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="Blues", aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), [str(c).replace("_", " ") for c in matrix.columns], rotation=35,
                  ha="right")
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index])
    high = matrix.to_numpy().max()
    for (i, j), value in np.ndenumerate(matrix.to_numpy()):
        if value:
            ax.text(j, i, f"{value:g}", ha="center", va="center", fontsize=8,
                    color="white" if value > high * 0.6 else "black")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.spines[:].set_visible(False)
    fig.colorbar(image, ax=ax, label=value_label, shrink=0.8)
    return fig


# ------------------------------------------------------------------------------------- allegations

def swimlane_chart(timeline: pd.DataFrame, points: pd.DataFrame, title: str, version: str) -> Figure:
    """One lane per allegation; every statement on one time axis, marker by stance group."""
    if timeline.empty:
        return empty_chart(title, version, "No allegations recorded in this version yet.")
    lanes = timeline.drop_duplicates("lane").set_index("lane")["title"].sort_index()
    marked = "; ".join(f"{p['label']} ({p['date']:%-d %b %Y})" for _, p in points.iterrows())
    fig, ax = _figure(title, version, size=(12, max(4.0, 0.42 * len(lanes) + 2.2)),
                      note=f"Dashed lines: {marked}." if marked else None)
    for lane in lanes.index:
        rows = timeline[timeline["lane"] == lane]
        ax.plot([rows["date"].min(), rows["date"].max()], [lane, lane], color="#CCCCCC", linewidth=1.2, zorder=1)
    for group, (colour, marker) in STANCE_STYLE.items():
        rows = timeline[timeline["stance_group"] == group]
        if len(rows):
            ax.scatter(rows["date"], rows["lane"], color=colour, marker=marker, s=48, label=group, zorder=3,
                       edgecolors="white", linewidths=0.5)
    _mark_turning_points(ax, points, label=False)
    ax.set_yticks(list(lanes.index), [t if len(t) <= 60 else t[:57] + "…" for t in lanes])
    ax.invert_yaxis()
    ax.set_xlabel("Date of the statement")
    ax.legend(title="Stance", loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(STANCE_STYLE))
    return fig


def stacked_barh_chart(table: pd.DataFrame, title: str, version: str, xlabel: str, legend_title: str,
                       empty_message: str) -> Figure:
    """Horizontal stacked bars of a count table (rows = bars); all-zero rows and columns are dropped.

    Colours follow the full column order (e.g. the whole status vocabulary), so a code keeps its
    colour from one version of the data to the next.
    """
    colours = {column: PALETTE[i % len(PALETTE)] for i, column in enumerate(table.columns)}
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if table.empty:
        return empty_chart(title, version, empty_message)
    fig, ax = _figure(title, version, size=(10, max(3.5, 0.45 * len(table) + 2)))
    left = np.zeros(len(table))
    labels = [str(i).replace("_", " ") for i in table.index]
    for column in table.columns:
        values = table[column].to_numpy(dtype=float)
        ax.barh(labels, values, left=left, color=colours[column], label=str(column).replace("_", " "))
        left += values
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(title=legend_title, loc="lower right")
    return fig


# ----------------------------------------------------------------------------------------- signals

def index_chart(monthly: pd.DataFrame, points: pd.DataFrame, title: str, version: str) -> Figure:
    """The monthly index as stacked components, and the military-cooperation signal in its own panel."""
    if monthly.empty:
        return empty_chart(title, version, "No dated records yet.")
    fig, (ax, mil) = _figure(title, version, nrows=2, height_ratios=(3, 1.2), sharex=True,
                             note="Index = meetings (level × mode weights) + agreement stages; see the notebook.")
    parts = monthly[["meetings_component", "agreements_component"]]
    _stacked_bars(ax, parts, monthly.index, 25, colours=[OKABE_ITO["blue"], OKABE_ITO["orange"]],
                  labels={"meetings_component": "meetings", "agreements_component": "agreements"})
    _mark_turning_points(ax, points)
    ax.set_ylabel("Index points per month")
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0.8))
    mil.bar(monthly.index, monthly["military_signal"], width=25, color=OKABE_ITO["vermillion"])
    _mark_turning_points(mil, points, label=False)
    mil.set_ylabel("Military signal\n(points per month)")
    mil.set_xlabel("Month")
    return fig


def sensitivity_chart(by_weighting: pd.DataFrame, correlations: pd.DataFrame, title: str, version: str) -> Figure:
    """Left: the index under each weighting, as 12-month sums scaled to their own maximum; right: rank correlations."""
    if by_weighting.empty:
        return empty_chart(title, version, "No dated records yet.")
    fig, (ax, heat) = _figure(title, version, ncols=2, size=(13, 5.5), width_ratios=(2, 1))
    yearly = by_weighting.rolling(12, min_periods=1).sum()
    scaled = yearly / yearly.abs().max().replace(0, np.nan)
    for i, column in enumerate(scaled.columns):
        ax.plot(scaled.index, scaled[column], color=PALETTE[i], label=column, linewidth=1.6)
    ax.set_ylabel("Trailing 12-month index (share of its maximum)")
    ax.set_xlabel("Month")
    ax.legend(title="Weighting", loc="upper left")
    values = correlations.to_numpy(dtype=float)
    heat.imshow(values, cmap="Blues", vmin=0, vmax=1)
    heat.set_xticks(range(len(correlations)), correlations.columns, rotation=35, ha="right")
    heat.set_yticks(range(len(correlations)), correlations.index)
    for (i, j), value in np.ndenumerate(values):
        heat.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=9,
                  color="white" if value > 0.75 else "black")
    heat.set_title("Spearman rank correlation\nof the monthly index")
    heat.spines[:].set_visible(False)
    return fig


def before_after_chart(result, title: str, version: str, unit: str = "Index points per month") -> Figure:
    """Mean before and after the cutoff with the bootstrap interval of the difference (`irde.analysis.cooperation.BeforeAfter`)."""
    if np.isnan(result.difference):
        return empty_chart(title, version, "One of the periods has no months.")
    fig, (ax, diff) = _figure(title, version, ncols=2, size=(10, 4.5), width_ratios=(1.2, 1))
    ax.bar(["before", "after"], [result.before_mean, result.after_mean], color=[GREY, OKABE_ITO["blue"]], width=0.6)
    for x, (value, n) in enumerate(((result.before_mean, result.n_before), (result.after_mean, result.n_after))):
        ax.text(x, value, f"{value:.2f}\n({n} months)", ha="center", va="bottom", fontsize=9)
    ax.set_ylabel(f"Mean {unit.lower()}")
    ax.set_title("Mean monthly value")
    diff.errorbar([0], [result.difference], yerr=[[result.difference - result.ci_low], [result.ci_high - result.difference]],
                  fmt="o", color=OKABE_ITO["vermillion"], capsize=8, markersize=8)
    diff.axhline(0, color=GREY, linewidth=0.8)
    diff.set_xticks([0], ["after − before"])
    diff.set_xlim(-1, 1)
    diff.set_ylabel(f"Difference ({unit.lower()})")
    diff.set_title(f"{result.confidence:.0%} block-bootstrap interval\n"
                   f"({result.resamples:,} resamples, block {result.block}, seed {result.seed})")
    return fig
