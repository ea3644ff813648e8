"""Where Terraform providers come from without a network: plugin caches and filesystem mirrors.

Terraform itself only looks where its CLI configuration says. This module finds provider
packages that are already on the machine — `TF_PLUGIN_CACHE_DIR`, mirrors and caches named in
the user's CLI configuration, an explicit mirror, and the usual places (`/opt/tf-plugins`,
`~/.terraform.d/plugins`, `/usr/share/terraform/plugins`, ...) — and writes a CLI configuration
file that points Terraform at them, for one scratch directory. The registry is added only when
the user allows downloads.

Both mirror layouts are read: unpacked (`HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/`, also a plugin
cache's layout) and packed (`HOST/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_OS_ARCH.zip`).
"""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, Field

DEFAULT_HOST = "registry.terraform.io"
AWS_SOURCE = f"{DEFAULT_HOST}/hashicorp/aws"
# Terraform's implied local mirror directories (Unix), plus /opt/tf-plugins where images put them.
USUAL_PLACES = (
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)
_MIRROR_PATH = re.compile(r"filesystem_mirror\s*\{[^}]*?\bpath\s*=\s*\"([^\"]+)\"", re.S)
_CACHE_DIR = re.compile(r"^\s*plugin_cache_dir\s*=\s*\"([^\"]+)\"", re.M)
_PACKED = re.compile(
    r"^terraform-provider-(?P<type>[\w-]+?)_(?P<version>\d[^_]*)_(?P<os>[a-z0-9]+)_(?P<arch>[a-z0-9]+)\.zip$"
)
_VERSION = re.compile(r"^\d+\.\d+\.\d+")
_LOCKED = re.compile(r'provider\s+"([^"]+)"\s*\{\s*version\s*=\s*"([^"]+)"')


def current_platform() -> str:
    """Terraform's OS_ARCH for this machine, e.g. linux_amd64."""
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower(), platform.machine().lower()
    )
    return f"{platform.system().lower()}_{arch}"


class Mirror(BaseModel):
    """A directory of provider packages and what it holds for this platform."""

    path: Path
    kind: str = Field(description="plugin cache, filesystem mirror, configured mirror, ...")
    providers: dict[str, list[str]] = Field(
        default_factory=dict, description="{source address: versions, oldest first}"
    )


class ProviderResolution(BaseModel):
    """The provider sources one Terraform run may use."""

    mirrors: list[Mirror] = Field(default_factory=list)
    download: bool = Field(False, description="whether the registry may be asked as well")

    def versions(self, source: str = AWS_SOURCE) -> list[str]:
        found = {v for m in self.mirrors for v in m.providers.get(full_source(source), [])}
        return sorted(found, key=version_key)

    def newest_major(self, source: str = AWS_SOURCE) -> int | None:
        versions = self.versions(source)
        return int(versions[-1].split(".")[0]) if versions else None

    def origin(self, source: str, version: str) -> str:
        """Which mirror holds `source` at `version` (the first one Terraform would use)."""
        for mirror in self.mirrors:
            if version in mirror.providers.get(full_source(source), []):
                return f"{mirror.kind} {mirror.path}"
        return "registry" if self.download else "unknown source"

    def describe(self) -> str:
        if not self.mirrors:
            return "no local provider mirror" + (", registry allowed" if self.download else "")
        held = "; ".join(
            f"{m.path}: "
            + ", ".join(f"{short_source(s)} {'/'.join(v)}" for s, v in sorted(m.providers.items()))
            for m in self.mirrors
        )
        return held + ("; registry allowed" if self.download else "")


def full_source(source: str) -> str:
    return source if source.count("/") == 2 else f"{DEFAULT_HOST}/{source}"


def short_source(source: str) -> str:
    return source.removeprefix(f"{DEFAULT_HOST}/")


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", version))


def scan_mirror(root: Path, os_arch: str | None = None) -> dict[str, list[str]]:
    """{source address: versions} that `root` holds for this platform, in either layout."""
    os_arch = os_arch or current_platform()
    found: dict[str, set[str]] = {}
    if not root.is_dir():
        return {}
    for type_dir in root.glob("*/*/*"):
        if not type_dir.is_dir():
            continue
        source = "/".join(type_dir.relative_to(root).parts)
        for entry in type_dir.iterdir():
            if entry.is_dir() and _VERSION.match(entry.name) and (entry / os_arch).exists():
                found.setdefault(source, set()).add(entry.name)
            packed = _PACKED.match(entry.name)
            platform_ok = packed and f"{packed['os']}_{packed['arch']}" == os_arch
            if platform_ok and packed["type"] == type_dir.name:
                found.setdefault(source, set()).add(packed["version"])
    return {s: sorted(v, key=version_key) for s, v in sorted(found.items())}


def user_cli_config(env: Mapping[str, str]) -> Path | None:
    """The CLI configuration Terraform would read for this user, when it exists."""
    named = env.get("TF_CLI_CONFIG_FILE")
    home = Path(env.get("HOME", str(Path.home())))
    for candidate in (named, home / ".terraformrc", home / "terraform.rc"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def candidate_places(env: Mapping[str, str], explicit: list[Path]) -> list[tuple[Path, str]]:
    """(directory, kind) in the order Terraform should prefer them; duplicates removed later."""
    places = [(p, "mirror") for p in explicit]
    if env.get("TF_PLUGIN_CACHE_DIR"):
        places.append((Path(env["TF_PLUGIN_CACHE_DIR"]), "plugin cache"))
    config = user_cli_config(env)
    if config is not None:
        text = config.read_text(errors="replace")
        places += [(Path(p), "configured mirror") for p in _MIRROR_PATH.findall(text)]
        places += [(Path(p), "configured plugin cache") for p in _CACHE_DIR.findall(text)]
    home = env.get("HOME", str(Path.home()))
    places += [(Path(p.replace("~", home, 1)), "filesystem mirror") for p in USUAL_PLACES]
    return places


def resolve_providers(
    *,
    mirrors: list[Path] | None = None,
    download: bool = False,
    search_usual: bool = True,
    env: Mapping[str, str] | None = None,
) -> ProviderResolution:
    """Every local directory that holds provider packages for this platform.

    `mirrors` come first; `search_usual=False` looks nowhere else (tests, and users who want
    exactly the mirrors they name).
    """
    env = os.environ if env is None else env
    places = (
        candidate_places(env, list(mirrors or []))
        if search_usual
        else [(p, "mirror") for p in mirrors or []]
    )
    seen: set[Path] = set()
    found: list[Mirror] = []
    for path, kind in places:
        resolved = path.expanduser().resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        providers = scan_mirror(resolved)
        if providers:
            found.append(Mirror(path=resolved, kind=kind, providers=providers))
    return ProviderResolution(mirrors=found, download=download)


def cli_config_text(resolution: ProviderResolution) -> str:
    """A CLI configuration that installs from the mirrors, and from the registry only if allowed.

    With no `direct {}` block Terraform never contacts a registry: a provider that no mirror holds
    fails `init` with "Failed to query available provider packages", which the gates report as
    unavailable rather than wrong.
    """
    blocks = [
        f"  filesystem_mirror {{\n    path = {_hcl_string(str(m.path))}\n  }}"
        for m in resolution.mirrors
    ]
    if resolution.download:
        # Terraform asks every matching method for versions: an unreachable registry would fail
        # even providers a mirror holds, so those come from the mirrors alone.
        held = sorted({s for m in resolution.mirrors for s in m.providers})
        excluded = ", ".join(_hcl_string(s) for s in held)
        blocks.append(f"  direct {{\n    exclude = [{excluded}]\n  }}" if held else "  direct {}")
    if not blocks:
        # An empty provider_installation block means "install from nowhere": offline and honest.
        return "provider_installation {\n}\n"
    return "provider_installation {\n" + "\n".join(blocks) + "\n}\n"


def _hcl_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_cli_config(directory: Path, resolution: ProviderResolution) -> Path:
    """Write the CLI configuration into `directory` (a scratch directory) and return its path."""
    path = directory / "infragen.tfrc"
    path.write_text(cli_config_text(resolution), encoding="utf-8")
    return path


def locked_providers(project: Path) -> dict[str, str]:
    """{source address: version} from the dependency lock file `init` wrote."""
    lock = project / ".terraform.lock.hcl"
    if not lock.is_file():
        return {}
    return dict(_LOCKED.findall(lock.read_text(errors="replace")))


def describe_locked(project: Path, resolution: ProviderResolution) -> str:
    """'hashicorp/aws 5.100.0 from filesystem mirror /opt/tf-plugins' for every provider init used."""
    return ", ".join(
        f"{short_source(s)} {v} from {resolution.origin(s, v)}"
        for s, v in sorted(locked_providers(project).items())
    )
