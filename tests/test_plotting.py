"""`irde.report.plotting`: every chart draws on hand-made tables and on empty ones, and saves PNG + SVG with the source line."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from irde.analysis import cooperation, lifecycles, networks, over_time, overview  # noqa: E402
from irde.report import plotting  # noqa: E402
from tiny_tables import empty_tables, tiny_tables  # noqa: E402

VERSION = "9.9.9"


def _charts(tables):
    meetings = tables["meetings"]
    points = over_time.turning_points(tables)
    by_weighting = cooperation.index_by_weighting(tables)
    names = dict(zip(tables["persons"]["person_id"], tables["persons"]["name_en"]))
    cited = overview.cited_sources(tables)
    return {
        "yearly": plotting.yearly_levels_chart(over_time.meetings_by_level(meetings, "Y"), "t", VERSION),
        "sources": plotting.source_mix_chart({"Language": overview.source_mix(cited, "language")}, "t", VERSION),
        "multi": plotting.multi_source_chart(overview.multi_source_share(overview.independent_sources(tables)),
                                             "t", VERSION),
        "quarterly": plotting.quarterly_levels_chart(over_time.meetings_by_level(meetings), points, "t", VERSION),
        "heads": plotting.head_of_state_chart(over_time.head_of_state_contacts(meetings), points, "t", VERSION),
        "modes": plotting.modes_chart(over_time.meetings_by_mode(meetings), "t", VERSION),
        "network": plotting.network_chart(networks.network_by_period(tables["participants"], meetings), names,
                                          "t", VERSION),
        "matrix": plotting.matrix_chart(networks.country_forum_matrix(meetings), "t", VERSION, "x", "y", "n"),
        "swimlanes": plotting.swimlane_chart(
            lifecycles.allegation_timeline(tables["allegations"], tables["allegation_statements"]), points, "t", VERSION),
        "status": plotting.stacked_barh_chart(lifecycles.status_by_category(tables["allegations"]), "t", VERSION,
                                              "n", "status", "none yet"),
        "index": plotting.index_chart(cooperation.monthly_index(tables), points, "t", VERSION),
        "sensitivity": plotting.sensitivity_chart(by_weighting, cooperation.rank_correlations(by_weighting), "t", VERSION),
        "before-after": plotting.before_after_chart(
            cooperation.before_after(cooperation.monthly_index(tables)["index"], resamples=200), "t", VERSION),
    }


@pytest.mark.parametrize("make", [tiny_tables, empty_tables], ids=["tiny", "empty"])
def test_every_chart_draws_and_carries_the_source_line(make):
    charts = _charts(make())
    try:
        for name, fig in charts.items():
            texts = [t.get_text() for t in fig.texts]
            assert any(f"version {VERSION}" in t for t in texts), name
            assert fig.get_suptitle() == "t", name
    finally:
        for fig in charts.values():
            plt.close(fig)


def test_save_writes_png_and_svg_with_title_and_text(tmp_path):
    fig = plotting.index_chart(cooperation.monthly_index(tiny_tables()), over_time.turning_points(tiny_tables()),
                               "The index rose", VERSION)
    paths = plotting.save(fig, "index", tmp_path, small=True)
    plt.close(fig)
    assert [p.name for p in paths] == ["index.png", "index.svg", "index-small.png"]
    assert all(p.stat().st_size > 1000 for p in paths)
    svg = paths[1].read_text()
    assert "<dc:title>The index rose</dc:title>" in svg and f"version {VERSION}" in svg
    assert paths[2].stat().st_size < paths[0].stat().st_size


def test_palette_is_okabe_ito():
    assert plotting.PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]
    plotting.apply_style()
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] == plotting.PALETTE
