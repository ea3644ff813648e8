"""Every shape real models answer in: what `extract_files` keeps, joins, drops and reports."""

from __future__ import annotations

import json

import pytest

from infragen.files import extract_files, parse_files

BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}'
PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}'
TOPIC = 'resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}'


def paths(text: str, **kwargs) -> dict[str, str]:
    return {f.path: f.content for f in extract_files(text, **kwargs).files}


def test_infragen_blocks_even_with_a_fence_inside():
    text = f"<<<FILE terraform/s3.tf>>>\n```hcl\n{BUCKET}\n```\n<<<END>>>\n"
    assert paths(text) == {"terraform/s3.tf": BUCKET + "\n"}


@pytest.mark.parametrize(
    "heading",
    ["**main.tf**", "# terraform/main.tf", "File: main.tf", "`main.tf`:", "### main.tf"],
)
def test_a_fence_headed_by_a_file_name_keeps_the_name(heading):
    assert paths(f"Here:\n\n{heading}\n```hcl\n{BUCKET}\n```\n") == {
        "terraform/main.tf": BUCKET + "\n"
    }


def test_names_in_the_info_string_or_a_first_line_comment():
    text = f'```hcl title="s3.tf"\n{BUCKET}\n```\n```terraform\n# sns.tf\n{TOPIC}\n```\n'
    assert set(paths(text)) == {"terraform/s3.tf", "terraform/sns.tf"}


def test_prose_naming_a_file_is_not_a_heading():
    text = (
        f"Put this in your main.tf file and run terraform apply afterwards:\n```hcl\n{BUCKET}\n```"
    )
    assert set(paths(text)) == {"terraform/main.tf"}


def test_unnamed_parts_are_joined_and_shell_fences_ignored():
    text = (
        f"First the provider:\n```hcl\n{PROVIDER}\n```\nThen the bucket:\n```\n{BUCKET}\n```\n"
        "Run:\n```bash\nterraform init\n```\n"
    )
    assert paths(text) == {"terraform/main.tf": f"{PROVIDER}\n\n{BUCKET}\n"}


def test_a_fuller_later_fence_replaces_its_draft_and_alternatives_are_dropped():
    draft = (
        f"```hcl\n{BUCKET}\n```\nThe complete configuration:\n```hcl\n{PROVIDER}\n\n{BUCKET}\n```"
    )
    assert paths(draft) == {"terraform/main.tf": f"{PROVIDER}\n\n{BUCKET}\n"}
    variant = BUCKET.replace('"logs"\n', '"other"\n')
    alternatives = f"```hcl\n{PROVIDER}\n{BUCKET}\n```\nYou can also write:\n```hcl\n{variant}\n```"
    assert paths(alternatives) == {"terraform/main.tf": f"{PROVIDER}\n{BUCKET}\n"}


def test_a_repeated_provider_block_is_dropped_from_a_later_part():
    text = f"```hcl\n{PROVIDER}\n{BUCKET}\n```\nAnd:\n```hcl\n{PROVIDER}\n{TOPIC}\n```"
    assert paths(text)["terraform/main.tf"].count('provider "aws"') == 1


def test_json_wrapped_files():
    listed = json.dumps({"files": [{"path": "terraform/s3.tf", "content": BUCKET}]})
    mapped = json.dumps({"main.tf": BUCKET, "notes": "not a file"})
    assert paths(listed) == {"terraform/s3.tf": BUCKET + "\n"}
    assert paths(f"```json\n{mapped}\n```") == {"terraform/main.tf": BUCKET + "\n"}


def test_bare_hcl_between_sentences():
    text = f"  Terraform Program:\n\n{PROVIDER}\n\n{BUCKET}\n\nThis creates a bucket."
    assert paths(text) == {"terraform/main.tf": f"{PROVIDER}\n\n{BUCKET}\n"}


def test_cut_answers_drop_the_unfinished_file_and_say_so():
    fenced = extract_files(f"```hcl\n{PROVIDER}\n{BUCKET[:30]}")
    blocks = extract_files(
        f"<<<FILE terraform/a.tf>>>\n{TOPIC}\n<<<END>>>\n<<<FILE terraform/b.tf>>>\n{BUCKET[:20]}"
    )
    bare = extract_files(f"{PROVIDER}\n\n{BUCKET[:40]}")
    assert (fenced.files, fenced.cut) == ([], ["terraform/main.tf"])
    assert [f.path for f in blocks.files] == ["terraform/a.tf"] and blocks.cut == ["terraform/b.tf"]
    assert bare.cut == ["terraform/main.tf"] and not bare.files


@pytest.mark.parametrize("answer", ["", "I can't help with that.", "```bash\nterraform init\n```"])
def test_no_code_is_an_empty_extraction(answer):
    extraction = extract_files(answer)
    assert not extraction.found_code and not extraction.cut


def test_unsafe_names_are_refused_not_written():
    text = f"<<<FILE ../../etc/cron.d/x.tf>>>\n{BUCKET}\n<<<END>>>\n<<<FILE terraform/ok.tf>>>\n{TOPIC}\n<<<END>>>"
    extraction = extract_files(text)
    assert [f.path for f in extraction.files] == ["terraform/ok.tf"]
    assert "refused file name" in extraction.refused[0]
    with pytest.raises(Exception, match="refused file name"):
        parse_files(text)
