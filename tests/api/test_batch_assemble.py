"""The helpers that assemble a batch's output from its blocks give what the straightforward code
gave: the same priority flags and id columns."""
import numpy as np
import pandas as pd
import pytest

from api.batch.runner import _flag, _Labels
from matching.batch.schema import validate_seekers


def test_priority_flags_are_read_as_the_validator_reads_them():
    # A 1/0 column with blanks arrives from CSV as floats (1.0); it once gave nobody priority.
    seekers = pd.DataFrame({"id": ["a", "b", "c", "d", "e"], "zero_employment_family": [1.0, 0.0, np.nan, 1.0, 0.0],
                            "assistance_card": ["是", "否", "yes", "", None]})
    rows = validate_seekers(seekers).rows
    assert list(_flag(rows, "zero_employment_family")) == [True, False, False, True, False]
    assert list(_flag(rows, "assistance_card")) == [True, False, True, False, False]
    assert not _flag(rows, "missing").any() and _flag(rows, "missing").size == len(rows)


@pytest.mark.parametrize("labels", [["S-1", "S-2", "S-3"], ["4-01", None, "4-02"], [None, None, None], [1, 2, 3]])
def test_labels_make_the_column_the_object_array_makes(labels):
    arr = np.array(labels, dtype=object)
    idx = np.array([2, 0, 0, 1, 2])
    for i in (idx, idx[:0], idx[[1]]):
        want = pd.DataFrame({"c": arr[i]})
        pd.testing.assert_frame_equal(pd.DataFrame({"c": _Labels(arr).take(i)}), want, check_exact=True)


def test_a_past_job_given_by_title_only_is_coded_by_the_title_coder_before_matching():
    from api.batch.runner import code_past_job_titles
    from api.services.reference import code_titles
    from matching.batch.schema import person_block

    seekers = validate_seekers(pd.DataFrame({
        "id": ["a", "b", "c"],
        "work_history": ['[{"title": "叉车司机", "months": 30, "end_year": 2024}, {"occupation_code": "4-02-02-02", "months": 6}]',
                         "4-02-02-02:12", None]})).rows
    coded, n = code_past_job_titles(seekers)
    assert n == 1
    history = [[(code, months, None if np.isnan(end) else end) for code, months, end in jobs]
               for jobs in person_block(coded).history]
    assert history == [[(code_titles(["叉车司机"])[0][0], 30.0, 2024.0), ("4-02-02-02", 6.0, None)],
                       [("4-02-02-02", 12.0, None)], []]
    assert coded["work_history"].iloc[1] == "4-02-02-02:12"
