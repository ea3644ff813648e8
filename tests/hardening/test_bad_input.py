"""Bad input: exit 2, exactly one `error:` line on stderr, nothing written, no key in any output."""

from __future__ import annotations

import pytest
from hardening_support import FAKE_KEY, assert_no_key, assert_one_line_error, run_cli

BAD_REQUESTS = {
    "empty": "",
    "whitespace": "  \n\t  ",
    "over-long": "create an s3 bucket " + "x" * 4000,
    "escape-sequence": "create vpc \x1b[31mwith rds",
    "nul-byte": "create vpc\x00 with rds",
    "bell-and-backspace": "create vpc\x07\x08 with rds",
    "lone-surrogate": "create vpc with rds \udcff",  # what Python makes of invalid UTF-8 in argv
    "replacement-char": "create vpc with rds \ufffd",
    "destroy": "destroy all my databases",
    "delete-prod": "please delete the production buckets",
    "wipe": "wipe every existing vpc",
    "non-infrastructure": "tell me a joke about cats",
    "gibberish": "asdf qwerty zxcv",
}


def nothing_written(root) -> bool:
    return [p.name for p in root.iterdir()] == []


@pytest.mark.parametrize("text", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_bad_request_exit_2_one_line_nothing_written(text, cli, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    code, out, err = cli(text, "--offline", "-o", str(work / "out"))
    assert code == 2, (out, err)
    assert_one_line_error(err)
    assert out == ""
    assert nothing_written(work)
    assert_no_key(out, err, paths=(tmp_path,))


@pytest.mark.parametrize("text", ["tell me a joke about cats", "write me a poem about autumn"])
def test_non_infrastructure_refused_before_any_model_call_when_online(text, cli, tmp_path):
    # GROQ_API_KEY is set and GROQ_BASE_URL points nowhere: any model call would fail loudly
    code, out, err = cli(text, "--format", "json", "-o", str(tmp_path / "out"))
    assert code == 2
    assert_one_line_error(err)
    assert "not an infrastructure request" in err
    assert '"status": "refused"' in out
    assert not (tmp_path / "out").exists()
    assert_no_key(out, err)


def test_default_output_dir_not_created_for_bad_input(cli, tmp_path):
    code, _, err = cli("destroy all my databases", "--offline")
    assert code == 2
    assert_one_line_error(err)
    assert not (tmp_path / "infragen-out").exists()


def test_invalid_utf8_argv_through_a_real_process(tmp_path):
    proc = run_cli(b"create vpc \xff\xfe with rds", "--offline", "-o", str(tmp_path / "out"))
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert_one_line_error(err)
    assert "UTF-8" in err
    assert not (tmp_path / "out").exists()
    assert_no_key(proc.stdout, proc.stderr)


def test_over_long_limit_is_a_setting(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("INFRAGEN_MAX_REQUEST_CHARS", "20")
    code, _, err = cli("create vpc with rds and redis", "--offline", "-o", str(tmp_path / "out"))
    assert code == 2
    assert "over the 20 limit" in err


def test_bad_flags_are_one_line_errors(cli, tmp_path):
    for args in (["--format", "yaml"], ["--max-retries", "0"], ["--model", "architect"]):
        code, _, err = cli("create vpc with rds", "--offline", "-o", str(tmp_path / "o"), *args)
        assert code == 2, (args, err)
        assert_one_line_error(err)
    assert not (tmp_path / "o").exists()
    assert FAKE_KEY not in err
