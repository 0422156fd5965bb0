"""Issue 17: the server does not force a full garbage collection after every rerun (figures in README,
`python -m tests.bench_gc`), and Streamlit reads that setting from the project's config file."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_forced_collection_after_each_rerun_is_off_and_error_details_stay_hidden():
    config = tomllib.loads(CONFIG.read_text())
    assert config["runner"]["postScriptGC"] is False
    assert config["client"]["showErrorDetails"] == "none"


def test_streamlit_knows_the_runner_option_the_file_sets():
    from streamlit import config as st_config

    assert "runner.postScriptGC" in st_config._config_options_template


def test_no_file_watcher_drops_the_apps_modules_under_running_sessions():
    config = tomllib.loads(CONFIG.read_text())
    assert config["server"]["fileWatcherType"] == "none"
    from streamlit import config as st_config

    assert "server.fileWatcherType" in st_config._config_options_template
