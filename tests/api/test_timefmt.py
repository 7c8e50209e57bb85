"""Times are stored in UTC and shown in the centre's zone, with the zone named."""
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from api.settings import Settings
from api.timefmt import local_time


def test_a_utc_afternoon_start_shows_as_beijing_time_with_its_name():
    assert local_time(datetime(2026, 3, 2, 8, 4, tzinfo=timezone.utc)) == "2026-03-02 16:04 北京时间"


def test_a_naive_stored_time_is_taken_as_utc():
    assert local_time(datetime(2026, 3, 2, 8, 4), lang="en") == "2026-03-02 16:04 Beijing time"


def test_another_zone_is_named_by_its_utc_offset():
    assert local_time(datetime(2026, 3, 2, 8, 4), zone="Asia/Kolkata") == "2026-03-02 13:34 UTC+05:30"


def test_the_default_centre_zone_is_asia_shanghai():
    assert Settings().timezone == "Asia/Shanghai"


def test_an_unknown_time_zone_setting_is_refused_with_the_fix():
    with pytest.raises(ValidationError, match="PATHFIT_TIMEZONE.*Asia/Shanghai"):
        Settings(timezone="Beijing")
