"""Settings: env vars and .env are read; bad values stop start-up with one named line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sift.config import Settings, SettingsError, load_settings


def test_defaults_are_the_offline_embedded_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIFT_DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.database_url is None
    assert settings.llm_model_large == "gpt-5"
    assert settings.llm_model_small == "gpt-5-mini"
    assert settings.extraction_engine == "rules"
    assert settings.crawl_max_pages == 40 and settings.crawl_max_depth == 2


def test_env_vars_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SIFT_LLM_MODEL_SMALL=tiny\nSIFT_CRAWL_MAX_PAGES=7\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIFT_CRAWL_ALLOW_PRIVATE_HOSTS", "127.0.0.1, localhost")
    settings = load_settings()
    assert settings.llm_model_small == "tiny"
    assert settings.crawl_max_pages == 7
    assert settings.crawl_allow_private_hosts == ["127.0.0.1", "localhost"]


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SIFT_CRAWL_MAX_PAGES", "many", "invalid setting SIFT_CRAWL_MAX_PAGES"),
        ("SIFT_DATABASE_URL", "mysql://x", "must be a postgresql:// URL"),
        ("SIFT_EXTRACTION_ENGINE", "magic", "invalid setting SIFT_EXTRACTION_ENGINE"),
        ("SIFT_PORT", "70000", "invalid setting SIFT_PORT"),
        ("SIFT_JWT_TTL_HOURS", "1000000000000", "invalid setting SIFT_JWT_TTL_HOURS"),
        ("SIFT_DATABASE_URL", "postgresql://sift@db:abc/sift", "SIFT_DATABASE_URL: bad port"),
        ("SIFT_DATABASE_URL", "postgresql://sift@db:99999/sift", "SIFT_DATABASE_URL: bad port"),
        ("SIFT_JWT_SECRET", "", "SIFT_JWT_SECRET: must not be empty"),
        ("SIFT_JWT_SECRET", "   ", "SIFT_JWT_SECRET: must not be empty"),
        ("SIFT_CRAWL_DELAY_S", "inf", "SIFT_CRAWL_DELAY_S: Input should be a finite number"),
        ("SIFT_LLM_TIMEOUT_S", "nan", "SIFT_LLM_TIMEOUT_S: Input should be a finite number"),
        ("SIFT_DATA_DIR", "/etc/hostname", "SIFT_DATA_DIR: /etc/hostname is not a folder"),
        ("SIFT_DATA_DIR", "/etc/hostname/sift", "SIFT_DATA_DIR: /etc/hostname is not a folder"),
    ],
)
def test_bad_settings_fail_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


READS_A_SIFT_VARIABLE = r"""(environ\.get|getenv)\(["']SIFT_|environ\[["']SIFT_\w+["']\](?!\s*=)"""


def test_the_readme_lists_every_setting_and_the_code_reads_no_other() -> None:
    """A newcomer configures Sift from the README's table: every `SIFT_*` the settings class
    reads is named there, and no module reads a `SIFT_*` variable behind the class's back."""
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    names = [f"SIFT_{field.upper()}" for field in Settings.model_fields]
    assert [name for name in names if f"`{name}`" not in readme] == []
    behind = [
        str(path.relative_to(root))
        for path in (root / "sift").rglob("*.py")
        if re.search(READS_A_SIFT_VARIABLE, path.read_text(encoding="utf-8"))
    ]
    assert behind == []
