"""``schemas/config.schema.json`` and the config reader agree on what is valid.

Editors validate the config with the schema while smplan reads it with
``smplan.config``; a config one accepts and the other refuses is a bug in one
of them.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from smplan.config import ConfigError, parse_config
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schemas" / "config.schema.json").read_text("utf-8"))

VALID = [
    'select = ["ALL"]\nignore = ["crisis", "objective-vague"]\n',
    'select = "ALL"\n',
    'extend-select = ["kpi-off-track"]\nfail-on = "warning"\nprofile = "draft"\n',
    '[severity]\n"duplicate-id" = "warning"\n',
    '[options."copy-too-long"]\nlimits = {x = 280}\n',
    '[per-file."drafts/*.yaml"]\nignore = ["ALL"]\n',
    "[limits]\nmax-file-size = 1048576\nmax-depth = 100\n",
    'theme = "brand"\nlanguage = "es-MX"\noutput-dir = "site"\n',
    'formats = ["html", "pdf"]\n',
    'formats = "md,html"\n',
    'formats = ["markdown"]\n',
    'plugins = ["acme"]\n',
    'rules = "./brand"\nplugins = "acme"\n',
    "extend = []\n",
    "pdf-calendar-limit = 0\n",
]

INVALID = [
    'ignroe = ["x"]\n',
    'fail-on = "fatal"\n',
    'profile = "loose"\n',
    "[limits]\nmax-depth = 0\n",
    "[limits]\nmax-depth = 5000\n",
    "[limits]\nmax-lines = 5\n",
    "theme = 5\n",
    'output-dir = ""\n',
    'language = "xx-!!"\n',
    'formats = ["docx"]\n',
    'formats = "md,doc"\n',
    "formats = []\n",
    'severity = "error"\n',
    '[severity]\n"duplicate-id" = "fatal"\n',
    "select = [1]\n",
    '[per-file."*.yaml"]\nfail-on = "error"\n',
    "plugins = [true]\n",
    "extend = 3\n",
    "pdf-calendar-limit = -1\n",
    'pdf-calendar-limit = "all"\n',
]


def _reader_accepts(text: str, folder: Path) -> bool:
    (folder / "brand").mkdir(exist_ok=True)
    try:
        parse_config(text, folder / ".smplan.toml")
    except ConfigError:
        return False
    return True


def _schema_accepts(text: str) -> bool:
    return jsonschema.Draft202012Validator(SCHEMA).is_valid(tomllib.loads(text))


def test_the_config_schema_is_a_valid_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("text", VALID)
def test_both_accept(text, tmp_path):
    assert _reader_accepts(text, tmp_path)
    assert _schema_accepts(text)


@pytest.mark.parametrize("text", INVALID)
def test_both_refuse(text, tmp_path):
    assert not _reader_accepts(text, tmp_path)
    assert not _schema_accepts(text)
