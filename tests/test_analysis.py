"""`irde.analysis` on hand-made tables (tests/tiny_tables.py): every expected value is worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import modules_loaded_by
from irde.analysis import chart_titles, common, cooperation, lifecycles, networks, over_time, overview
from tiny_tables import CATEGORY_CODES, STATUS_CODES, empty_tables, tiny_tables


@pytest.fixture
def tables():
    return tiny_tables()


def test_analysis_does_not_import_matplotlib_or_jupyter():
    heavy = ("matplotlib", "nbformat", "nbclient", "IPython")
    assert modules_loaded_by(
        "import irde.analysis.common, irde.analysis.overview, irde.analysis.over_time, irde.analysis.networks,"
        " irde.analysis.lifecycles, irde.analysis.cooperation, irde.analysis.chart_titles, irde.analysis.publish",
        heavy) == []


def test_table_sizes_and_record_dates(tables):
    sizes = overview.table_sizes(tables)
    assert dict(zip(sizes["table"], sizes["rows"]))["meetings"] == 4
    dates = overview.record_dates(tables)
    assert dates["record_type"].value_counts().to_dict() == {"meeting": 4, "statement": 4, "agreement": 2}


def test_cited_sources_and_source_mix(tables):
    cited = overview.cited_sources(tables)
    assert len(cited) == 7 + 3 + 1  # meeting, agreement and statement citations
    mix = overview.source_mix(cited, "language", top=2)
    # en: s1 (3 citations) + s3 (4); ru: s2 (3); fa: s4 (1) falls into 'other'
    assert list(mix.columns) == ["en", "ru", "other"]
    assert mix.sum().to_dict() == {"en": 7, "ru": 3, "other": 1}
    assert mix.loc[2021].to_dict() == {"en": 3, "ru": 1, "other": 1}
    countries = overview.source_mix(cited, "outlet_country")
    assert countries["unknown"].sum() == 1  # s4 has no outlet country


def test_independent_sources_count_distinct_publishers(tables):
    counts = overview.independent_sources(tables).set_index("record_id")["independent_sources"]
    assert counts["2021-06-10-a"] == 2
    assert counts["2021-08-05-b"] == 1  # s1 and s4 share a publisher
    assert counts["drones/2022-04-11-denial"] == 0
    share = overview.multi_source_share(overview.independent_sources(tables)).set_index(["year", "record_type"])
    assert share.loc[(2021, "meeting"), "share"] == 0.5
    assert share.loc[(2022, "agreement"), "multi_source"] == 1


def test_meetings_by_level_has_every_quarter(tables):
    quarterly = over_time.meetings_by_level(tables["meetings"])
    assert [str(p) for p in quarterly.index] == ["2021Q2", "2021Q3", "2021Q4", "2022Q1", "2022Q2"]
    assert list(quarterly.columns) == list(common.LEVEL_ORDER)
    assert quarterly.loc[pd.Period("2021Q4"), :].sum() == 0
    assert quarterly["head of state"].sum() == 2 and quarterly["deputy & envoy"].sum() == 1


def test_meetings_by_mode_and_remote_share(tables):
    by_mode = over_time.meetings_by_mode(tables["meetings"])
    assert by_mode.loc[pd.Period("2021"), ["in_person", "video", "phone"]].tolist() == [1, 0, 1]
    assert by_mode["remote_share"].tolist() == [0.5, 0.5]


def test_head_of_state_contacts(tables):
    contacts = over_time.head_of_state_contacts(tables["meetings"])
    assert contacts["meeting_id"].tolist() == ["2021-06-10-a", "2022-03-15-c"]


def test_turning_points_come_from_records(tables):
    points = over_time.turning_points(tables)
    assert points["label"].tolist() == ["Russia invades Ukraine", "Iran–Russia treaty signed"]
    assert points.loc[1, "date"] == pd.Timestamp("2022-05-02") and points.loc[1, "record_id"] == "2022-05-02-treaty"
    assert over_time.missing_turning_points(points) == ["Iran joins the SCO"]
    tables["meetings"].loc[2, "meeting_id"] = common.SCO_ACCESSION_MEETING_ID
    points = over_time.turning_points(tables)
    assert points.set_index("label").loc["Iran joins the SCO", "date"] == pd.Timestamp("2022-03-15")
    assert over_time.missing_turning_points(points) == []


def test_a_multilateral_treaty_is_not_the_bilateral_treaty(tables):
    tables["agreements"].at[1, "parties"] = ["IRN", "RUS", "KAZ"]
    assert "Iran–Russia treaty signed" not in set(over_time.turning_points(tables)["label"])


def test_co_attendance_edges(tables):
    edges = networks.co_attendance(tables["participants"]).set_index(["person_id_a", "person_id_b"])
    assert edges["meetings"].sum() == 1 + 1 + 3 + 1  # k(k-1)/2 pairs per meeting
    assert edges.loc[("putin", "raisi"), "meetings"] == 2
    assert not edges.loc[("lavrov", "putin"), "cross"]  # both Russian
    by_period = networks.network_by_period(tables["participants"], tables["meetings"])
    assert by_period["before"]["meetings"].sum() == 2 and by_period["after"]["meetings"].sum() == 4


def test_most_connected_ranks_by_counterparts_then_meetings(tables):
    ranked = networks.most_connected(networks.co_attendance(tables["participants"]), tables["persons"], top=2)
    russia = ranked[ranked["side"] == "RUS"]
    assert russia["person_id"].tolist() == ["lavrov", "putin"]
    assert russia[["counterparts", "meetings"]].values.tolist() == [[2, 2], [1, 2]]
    assert ranked[ranked["side"] == "IRN"].iloc[0].to_dict()["name"] == "Ebrahim Raisi"


def test_network_summary(tables):
    by_period = networks.network_by_period(tables["participants"], tables["meetings"])
    summary = networks.network_summary(by_period, tables["meetings"]).set_index("period")
    assert summary.loc["before", ["meetings", "officials", "cross_pairs"]].tolist() == [2, 4, 2]
    assert summary.loc["after", ["meetings", "officials", "cross_pairs"]].tolist() == [2, 5, 3]


def test_country_forum_matrix_leaves_out_iran_and_russia(tables):
    matrix = networks.country_forum_matrix(tables["meetings"])
    assert matrix.to_dict() == {"sco": {"CHN": 1, "IND": 1}, "brics": {"CHN": 1, "IND": 0}}


def test_allegation_timeline_and_denials(tables):
    timeline = lifecycles.allegation_timeline(tables["allegations"], tables["allegation_statements"])
    assert timeline["lane"].tolist() == [0, 0, 0, 1]
    assert timeline["stance_group"].tolist() == ["claim", "denial", "corroboration", "claim"]
    denials = lifecycles.time_to_first_denial(tables["allegations"], tables["allegation_statements"]).set_index(
        "allegation_id")
    assert denials.loc["drones", "days_to_denial"] == 10
    assert np.isnan(denials.loc["evasion", "days_to_denial"])


def test_status_by_category_keeps_the_vocabularies(tables):
    table = lifecycles.status_by_category(tables["allegations"])
    assert list(table.index) == CATEGORY_CODES and list(table.columns) == STATUS_CODES
    assert table.loc["drone_transfer", "corroborated"] == 1 and table.to_numpy().sum() == 2


def test_claimants(tables):
    table = lifecycles.claimants(tables["allegation_statements"])
    assert table.sum(axis=1).to_dict() == {"USA": 2, "GBR": 1}  # the denial is not a claim


def test_monthly_index_baseline(tables):
    monthly = cooperation.monthly_index(tables)
    assert len(monthly) == 12 and monthly.index[0] == pd.Timestamp("2021-06-01")  # June 2021 to May 2022
    # June 2021: head of state × visit = 3 × 1, plus the deal's signature 2
    assert monthly.loc["2021-06-01", ["meetings_component", "agreements_component"]].tolist() == [3.0, 2.0]
    # August 2021: foreign minister × phone = 2 × 0.5, plus Iran's ratification 1
    assert monthly.loc["2021-08-01", "index"] == 2.0
    # March 2022: head of state × multilateral = 1.5; May 2022: deputy × phone 0.5 + treaty signed 2 + in force 2
    assert monthly.loc["2022-03-01", "index"] == 1.5 and monthly.loc["2022-05-01", "index"] == 4.5
    assert np.allclose(monthly["meetings_component"] + monthly["agreements_component"], monthly["index"])
    # military signal: April claim 1 + denial 0; May corroboration 2 + claim 1
    assert monthly["military_signal"].loc["2022-04-01":].tolist() == [1.0, 3.0]
    assert monthly[["meetings", "agreement_stages", "statements"]].sum().tolist() == [4, 4, 4]


def test_index_under_other_weightings(tables):
    by_weighting = cooperation.index_by_weighting(tables)
    assert list(by_weighting.columns) == list(cooperation.WEIGHTINGS)
    # PLOVER: visit 4 + signed 5; phone 1.5 + ratified 5; multilateral 4; phone 1.5 + signed 5 + in force 5
    assert by_weighting["plover"].loc[["2021-06-01", "2021-08-01", "2022-03-01", "2022-05-01"]].tolist() == [
        9.0, 6.5, 4.0, 11.5]
    assert by_weighting["counts"].sum() == 4 + 4
    correlations = cooperation.rank_correlations(by_weighting)
    assert np.allclose(np.diag(correlations), 1) and np.allclose(correlations, correlations.T)


def test_weights_table_matches_the_weightings():
    table = cooperation.weights_table()
    assert table.loc[("meeting PLOVER mode", "visit"), "plover"] == cooperation.PLOVER_CONSULT_MODES["visit"] == 4
    assert table.loc[("agreement stage", "terminated"), "plover"] == cooperation.PLOVER_INTENSITY["SANCTION"]
    assert table.loc[("meeting level", "head of state"), "irde"] == 3


def test_before_after_leaves_out_the_cutoff_month(tables):
    result = cooperation.before_after(cooperation.monthly_index(tables)["index"], resamples=2000)
    # before: June 2021 to January 2022 (5 + 2 over 8 months); after: March to May 2022 (1.5 + 0 + 4.5 over 3)
    assert (result.n_before, result.n_after, result.excluded_month) == (8, 3, "2022-02")
    assert result.before_mean == pytest.approx(0.875) and result.after_mean == pytest.approx(2.0)
    assert result.ci_low <= result.ci_high
    assert cooperation.before_after(cooperation.monthly_index(tables)["index"], resamples=2000) == result  # fixed seed


def test_bootstrap_of_constant_periods_is_exact():
    months = pd.date_range("2021-01-01", "2022-12-01", freq="MS")
    series = pd.Series(np.where(months < "2022-02-01", 1.0, 3.0), index=months)
    for block in (1, 3, 50):
        result = cooperation.before_after(series, block=block, resamples=500)
        assert (result.difference, result.ci_low, result.ci_high) == (2.0, 2.0, 2.0)
        assert result.ratio == 3.0


def test_bootstrap_seed_changes_the_draws():
    months = pd.date_range("2020-01-01", "2023-12-01", freq="MS")
    series = pd.Series(np.random.default_rng(0).poisson(3, len(months)).astype(float), index=months)
    assert cooperation.before_after(series, seed=1) != cooperation.before_after(series, seed=2)


def test_monthly_signals_table_has_a_description_per_column(tables):
    table = cooperation.monthly_signals_table(tables)
    assert list(table.columns) == list(cooperation.MONTHLY_SIGNAL_COLUMNS)
    assert np.allclose(table["index_plover"], cooperation.index_by_weighting(tables)["plover"])


def test_everything_works_on_empty_tables():
    tables = empty_tables()
    assert over_time.meetings_by_level(tables["meetings"]).empty
    assert cooperation.monthly_index(tables).empty
    assert networks.co_attendance(tables["participants"]).empty
    assert networks.country_forum_matrix(tables["meetings"]).empty
    assert lifecycles.allegation_timeline(tables["allegations"], tables["allegation_statements"]).empty
    assert np.isnan(cooperation.before_after(cooperation.monthly_index(tables)["index"]).difference)
    assert over_time.turning_points(tables)["label"].tolist() == ["Russia invades Ukraine"]
    titles = [chart_titles.yearly_meetings_title(over_time.meetings_by_level(tables["meetings"], "Y")),
              chart_titles.allegations_title(tables["allegations"]),
              chart_titles.index_title(cooperation.before_after(cooperation.monthly_index(tables)["index"]))]
    assert all(isinstance(t, str) and t for t in titles)


def test_titles_state_findings(tables):
    result = cooperation.before_after(cooperation.monthly_index(tables)["index"], resamples=500)
    assert chart_titles.index_title(result) == "The cooperation index rose from 0.9 to 2.0 points a month after February 2022"
    assert chart_titles.claimants_title(lifecycles.claimants(tables["allegation_statements"])).startswith("USA makes 67%")
    assert chart_titles.yearly_meetings_title(over_time.meetings_by_level(tables["meetings"], "Y")).endswith(
        "heads of state took part in 50% of all 4")
