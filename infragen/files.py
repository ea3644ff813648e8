"""Files out of a model answer, in every shape real models write them.

infragen asks for its file-block format, which needs no escaping and costs few tokens:

    <<<FILE terraform/main.tf>>>
    ...content...
    <<<END>>>

Real models drift: most answer with markdown fences (```` ```hcl ```` with no file name, or headed
by a name), some with JSON holding the files, some with bare HCL between sentences, and some are
cut off by `max_tokens`. `extract_files` reads all of these and says precisely what it could not
use, so a poor answer becomes a failed attempt with feedback, never a crash.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from pydantic import BaseModel, Field

from infragen.domain import GeneratedFile
from infragen.errors import InfragenError
from infragen.tools.hcl import matching_brace

ALLOWED_SUFFIXES = (".tf", ".tfvars", ".yml", ".yaml", ".md", ".cfg", ".j2", ".json", ".tpl")
MAX_FILE_BYTES = 256 * 1024
MAX_FILES = 64

_BLOCK = re.compile(r"<<<FILE\s+(?P<path>[^>\n]+?)\s*>>>\n(?P<body>.*?)(?:\n)?<<<END>>>", re.S)
_OPEN_BLOCK = re.compile(r"<<<FILE\s+(?P<path>[^>\n]+?)\s*>>>\n")
_FENCE = re.compile(r"^[ \t]*(?P<mark>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_FILE_NAME = re.compile(r"(?P<path>[\w][\w./-]*\.(?:tf|tfvars|ya?ml|json|tpl|cfg|j2|md))\b")
# A top-level Terraform block: what tells HCL from prose or shell.
_HCL_BLOCK = re.compile(
    r"^[ \t]*(?:resource|data|provider|terraform|variable|output|module|locals)\b[^\n]*\{", re.M
)
_HEADER = re.compile(
    r'^(?:(resource|data)\s+"([\w-]+)"\s+"([\w-]+)"|(provider|variable|output|module)\s+"([\w-]+)")',
    re.M,
)
_HCL_LANGS = {"", "hcl", "terraform", "tf", "hcl2", "ruby"}  # ruby: an old highlighter alias
_YAML_LANGS = {"yaml", "yml"}
_SHELL_LANGS = {"bash", "sh", "shell", "console", "zsh", "powershell", "text", "plaintext"}


class UnsafePathError(InfragenError):
    """A model proposed a file name that would escape the project or is not an allowed type."""


class Extraction(BaseModel):
    """What an answer held: usable files, what was cut off, and problems to tell the model."""

    files: list[GeneratedFile] = Field(default_factory=list)
    cut: list[str] = Field(default_factory=list)
    """Files the answer started but did not finish (dropped: a half file is worse than none)."""
    refused: list[str] = Field(default_factory=list)
    """Files dropped for an unsafe name or size, with the reason."""
    skipped: list[str] = Field(default_factory=list)
    """Files past the MAX_FILES cap, dropped."""
    shape: str = "none"
    """How the files were written: blocks, fences, json, bare or none."""

    @property
    def found_code(self) -> bool:
        return bool(self.files)


def sanitise_path(path: str, *, default_dir: str = "terraform") -> str:
    """Return a safe relative POSIX path or raise UnsafePathError; bare names go under `default_dir`."""
    cleaned = path.strip().strip("`*\"'").replace("\\", "/")
    pure = PurePosixPath(cleaned)
    if not cleaned or pure.is_absolute() or re.match(r"^[A-Za-z]:", cleaned):
        raise UnsafePathError(f"refused file name {path!r}: absolute paths are not allowed")
    if any(part in ("..", "") or part.startswith(".") for part in pure.parts):
        raise UnsafePathError(f"refused file name {path!r}: '..' and hidden parts are not allowed")
    if any(ord(c) < 32 for c in cleaned) or len(cleaned) > 200:
        raise UnsafePathError(f"refused file name {path!r}: control characters or too long")
    if not cleaned.endswith(ALLOWED_SUFFIXES):
        raise UnsafePathError(
            f"refused file name {path!r}: allowed types are {', '.join(ALLOWED_SUFFIXES)}"
        )
    if len(pure.parts) == 1:
        pure = PurePosixPath(default_dir) / pure
    return str(pure)


def format_files(files: list[GeneratedFile]) -> str:
    return "\n".join(f"<<<FILE {f.path}>>>\n{f.content.rstrip()}\n<<<END>>>" for f in files) + "\n"


def parse_files(text: str, *, default_dir: str = "terraform") -> list[GeneratedFile]:
    """The files of an answer; raises UnsafePathError when one was refused (strict callers)."""
    extraction = extract_files(text, default_dir=default_dir)
    if extraction.refused:
        raise UnsafePathError(extraction.refused[0])
    return extraction.files


def extract_files(
    text: str, *, default_dir: str = "terraform", truncated: bool = False
) -> Extraction:
    """Every file an answer holds, in the first shape that yields any (blocks, JSON, fences, bare
    HCL). `truncated` (the backend said the answer hit max_tokens) marks an unfinished last file
    as cut even where its end looks plausible."""
    for shape, reader in (
        ("blocks", _blocks),
        ("json", _json_files),
        ("fences", _fences),
        ("bare", _bare_hcl),
    ):
        named, cut = reader(text, default_dir, truncated)
        if named or cut:
            return _collect(named, cut, shape, default_dir)
    return Extraction()


def _collect(
    named: list[tuple[str, str]], cut: list[str], shape: str, default_dir: str
) -> Extraction:
    files: dict[str, str] = {}
    refused: list[str] = []
    skipped: list[str] = []
    for raw, body in named:
        try:
            path = sanitise_path(raw, default_dir=default_dir)
        except UnsafePathError as exc:
            refused.append(exc.message)
            continue
        if len(body.encode()) > MAX_FILE_BYTES:
            refused.append(f"refused file {path}: larger than {MAX_FILE_BYTES} bytes")
            continue
        if path not in files and len(files) >= MAX_FILES:
            skipped.append(f"dropped {path}: an answer may hold at most {MAX_FILES} files")
            continue
        files[path] = body.rstrip() + "\n"  # a later block for the same path replaces it
    safe_cut = []
    for raw in cut:
        try:
            safe_cut.append(sanitise_path(raw, default_dir=default_dir))
        except UnsafePathError:
            safe_cut.append(raw)
    return Extraction(
        files=[GeneratedFile(path=p, content=c) for p, c in files.items()],
        cut=safe_cut,
        refused=refused,
        skipped=skipped,
        shape=shape,
    )


def _blocks(
    text: str, default_dir: str, truncated: bool
) -> tuple[list[tuple[str, str]], list[str]]:
    named = [(m["path"], _unfence(m["body"])) for m in _BLOCK.finditer(text)]
    last_end = max((m.end() for m in _BLOCK.finditer(text)), default=0)
    cut = [m["path"] for m in _OPEN_BLOCK.finditer(text, last_end)]
    return named, cut


def _unfence(body: str) -> str:
    """A block whose body a model also wrapped in a markdown fence."""
    m = re.fullmatch(r"\s*```[\w-]*\n(.*?)\n?```\s*", body, re.S)
    return m.group(1) if m else body


def _json_files(
    text: str, default_dir: str, truncated: bool
) -> tuple[list[tuple[str, str]], list[str]]:
    """{"files": [{"path": ..., "content": ...}]}, {"files": {path: content}} or {path: content}."""
    stripped = text.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*\n(.*)\n```", stripped, re.S)
    candidate = fenced.group(1) if fenced else stripped
    if not candidate.startswith("{"):
        return [], []
    try:
        data = json.loads(candidate)
    except json.JSONDecodeError:
        return [], []
    if not isinstance(data, dict):
        return [], []
    files = data.get("files", data)
    if isinstance(files, list):
        pairs = [
            (str(f.get("path") or f.get("name") or ""), f.get("content"))
            for f in files
            if isinstance(f, dict)
        ]
    elif isinstance(files, dict):
        pairs = list(files.items())
    else:
        return [], []
    return [(p, c) for p, c in pairs if isinstance(c, str) and _FILE_NAME.fullmatch(p or "")], []


def _name_near(lines: list[str], start: int, info: str, body: str) -> str:
    """A file name from the fence's info string, the line above it, or the body's first comment."""
    if m := _FILE_NAME.search(info.split(None, 1)[1] if " " in info.strip() else info):
        return m["path"]
    if ":" in info and (m := _FILE_NAME.search(info)):
        return m["path"]
    for above in reversed(lines[max(0, start - 2) : start]):
        if above.strip():
            m = _FILE_NAME.search(above)
            # a short heading ("**main.tf**", "# variables.tf", "File: outputs.tf:"), not prose
            if m and len(above.strip()) <= len(m["path"]) + 24:
                return m["path"]
            break
    first = body.lstrip().split("\n", 1)[0]
    m = _FILE_NAME.search(first) if re.match(r"^(#|//)", first) else None
    if m and len(first.strip()) <= len(m["path"]) + 12:
        return m["path"]
    return ""


def _fences(
    text: str, default_dir: str, truncated: bool
) -> tuple[list[tuple[str, str]], list[str]]:
    lines = text.split("\n")
    named: list[tuple[str, str]] = []
    unnamed: list[str] = []
    cut: list[str] = []
    cut_body = ""
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        mark, info = opening["mark"], opening["info"].strip()
        closing = next(
            (j for j in range(i + 1, len(lines)) if lines[j].strip() == mark[0] * len(mark)),
            None,
        )
        body = "\n".join(lines[i + 1 : closing if closing is not None else len(lines)])
        lang = re.split(r"[\s:{]", info, maxsplit=1)[0].lower() if info else ""
        name = _name_near(lines, i, info, body)
        usable = bool(name) or (lang in _HCL_LANGS and _HCL_BLOCK.search(body))
        if lang in _SHELL_LANGS and not name:
            usable = False
        if usable and closing is None:
            cut.append(name)
            cut_body = body
        elif usable and name:
            named.append((name, body))
        elif usable:
            unnamed.append(body)
        i = (closing if closing is not None else len(lines)) + 1
    if unnamed:
        joined = _join_unnamed(unnamed)
        if "" in cut and _alternative(cut_body, joined):
            cut.remove("")  # an unfinished "you can also ..." variant: nothing of the answer lost
        taken = {PurePosixPath(n).name for n, _ in named}
        named.append(("extra.tf" if "main.tf" in taken else "main.tf", joined))
    return named, [c or "main.tf" for c in cut]


def _alternative(body: str, kept: str) -> bool:
    """A fence that redeclares blocks the answer already has is a variant, not a part."""
    resources = {a for a in headers(body) if not a.startswith("provider.")}
    return bool(resources & headers(kept))


def headers(text: str) -> set[str]:
    """The addresses of a text's top-level blocks (`aws_s3_bucket.b`, `provider.aws`, ...)."""
    return {
        f"{m[1] == 'data' and 'data.' or ''}{m[2]}.{m[3]}" if m[1] else f"{m[4]}.{m[5]}"
        for m in _HEADER.finditer(text)
    }


def _join_unnamed(bodies: list[str]) -> str:
    """Several unnamed HCL fences make one file when they are parts of one answer. A fence whose
    blocks a later, fuller fence repeats ("here is the complete configuration") is dropped; a
    fence that redeclares what an earlier one declared is an alternative ("you can also ...")
    and is dropped too, as IaC-Eval's first-fence rule would; a provider or terraform block
    that an earlier part already has is dropped from the later part."""
    kept: list[str] = []
    taken: set[str] = set()
    for i, body in enumerate(bodies):
        mine = headers(body)
        if mine and any(mine <= headers(later) for later in bodies[i + 1 :]):
            continue
        if {a for a in mine if not a.startswith("provider.")} & taken:
            continue
        body, _ = without_redeclared(body, taken)
        kept.append(body.strip("\n"))
        taken |= headers(body) | (
            {"terraform"} if re.search(r"^terraform\s*\{", body, re.M) else set()
        )
    return "\n\n".join(k for k in kept if k)


def _top_blocks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, header) of each top-level block; header "" for blocks that never clash."""
    blocks = []
    for m in re.finditer(r"^(\w+)((?:\s+(?:\"[^\"\n]*\"|[\w-]+))*)\s*\{", text, re.M):
        if blocks and m.start() < blocks[-1][1]:
            continue
        close = matching_brace(text, m.end() - 1)
        end = len(text) if close is None else close + 1
        head = f"{m[1]} {m[2].strip()}".strip()
        blocks.append((m.start(), end, head))
    return blocks


def _canonical(head: str) -> str:
    keyword, _, labels = head.partition(" ")
    found = headers(f"{keyword} {labels} {{") if labels else set()
    return next(iter(found), keyword if keyword == "terraform" else "")


def without_redeclared(text: str, taken: set[str]) -> tuple[str, list[str]]:
    """`text` less its top-level blocks whose address `taken` already holds (a model that
    rewrites a catalogue file re-sends the catalogue's blocks with its own)."""
    dropped, kept, cursor = [], [], 0
    for start, end, head in _top_blocks(text):
        address = _canonical(head)
        if address and address in taken:
            kept.append(text[cursor:start])
            cursor = end
            dropped.append(address)
    kept.append(text[cursor:])
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip() + "\n", dropped


def _bare_hcl(
    text: str, default_dir: str, truncated: bool
) -> tuple[list[tuple[str, str]], list[str]]:
    """HCL written straight into the answer between sentences: from the first top-level block to
    the last line that closes one at column 0."""
    first = _HCL_BLOCK.search(text)
    if first is None:
        return [], []
    start = text.rfind("\n", 0, first.start()) + 1
    closers = [m.end() for m in re.finditer(r"^\}[ \t]*$", text[start:], re.M)]
    if not closers:
        return [], ["main.tf"]
    body = text[start : start + closers[-1]]
    rest = text[start + closers[-1] :]
    if _HCL_BLOCK.search(rest) or body.count("{") != body.count("}"):  # a block left unclosed
        return [], ["main.tf"]
    lines = body.split("\n")
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return [("main.tf", "\n".join(x[indent:] if x[:indent].isspace() else x for x in lines))], []
