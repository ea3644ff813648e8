from pathlib import Path

from infragen.tools import ansible


def test_valid_playbook_passes_and_notes_missing_lint(fixtures, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    result = ansible.syntax_check(
        fixtures / "ansible_ok" / "playbook.yml", fixtures / "ansible_ok" / "inventory.yml"
    )
    assert result.status == "passed", result.findings
    assert list(tmp_path.iterdir()) == [], "ansible must not write into HOME"
    if ansible.process.find_binary("ansible-lint") is None:
        assert "pip install ansible-lint" in result.reason


def test_unknown_module_fails_with_location(fixtures):
    result = ansible.syntax_check(
        fixtures / "ansible_bad" / "playbook.yml", fixtures / "ansible_bad" / "inventory.yml"
    )
    assert result.status == "failed"
    error = next(f for f in result.findings if f.severity == "error")
    assert (error.file, error.line) == ("playbook.yml", 4) and "not.a.module" in error.message


def test_broken_yaml_fails(fixtures, tmp_path):
    (tmp_path / "playbook.yml").write_text("- hosts: [\n  tasks: {\n")
    result = ansible.syntax_check(
        tmp_path / "playbook.yml", fixtures / "ansible_ok" / "inventory.yml"
    )
    assert result.status == "failed" and result.findings[0].file == "playbook.yml"


def test_parsers_handle_old_style_and_lint_json():
    old = "ERROR! 'foo' is not a valid attribute for a Play\n\nThe error appears to be in '/p/site.yml': line 3, column 3"
    [finding] = ansible.parse_syntax_output(old, Path("/p"))
    assert (finding.file, finding.line) == ("site.yml", 3)
    lint = '[{"check_name": "yaml[truthy]", "severity": "minor", "description": "Truthy value", "url": "https://x", "location": {"path": "site.yml", "lines": {"begin": 5}}}]'
    [issue] = ansible.parse_lint_codeclimate(lint)
    assert (issue.rule_id, issue.severity, issue.line) == ("yaml[truthy]", "warning", 5)
