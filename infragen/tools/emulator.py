"""A local AWS emulator (moto's server) that infragen starts, owns and stops.

    with AwsEmulator.start() as emulator:      # moto_server on a free 127.0.0.1 port
        env = emulator.terraform_env(base)     # fake keys, every AWS endpoint at the emulator
        text = emulator.override_text(blocks)  # provider "aws" settings for a scratch copy

The server listens on the loopback interface only and runs in its own process group; leaving the
`with` block (normally, on an error or on Ctrl-C) ends it and its children.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType

from infragen.errors import ToolError
from infragen.tools import process

HOST = "127.0.0.1"
FAKE_KEY = "infragen-emulator"
# Services named in the override's endpoints block (valid in provider 5 and 6). Everything else
# reaches the emulator through AWS_ENDPOINT_URL; the block also replaces any endpoints the
# configuration sets, so nothing it names can point at a real AWS endpoint.
ENDPOINT_SERVICES = (
    "acm",
    "autoscaling",
    "backup",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "ecr",
    "elasticache",
    "elbv2",
    "events",
    "iam",
    "kms",
    "lambda",
    "logs",
    "rds",
    "route53",
    "s3",
    "secretsmanager",
    "sns",
    "sqs",
    "ssm",
    "sts",
    "wafv2",
)
# Credentials and endpoints from the user's environment must never reach a run on the emulator.
_DROPPED_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
)


def moto_available() -> bool:
    """moto with its server extra (flask, werkzeug) importable by this interpreter."""
    return all(importlib.util.find_spec(m) is not None for m in ("moto", "flask", "werkzeug"))


def moto_version() -> str:
    try:
        return version("moto")
    except PackageNotFoundError:
        return "unknown"


def _exit_on_sigterm():
    """While the emulator runs, SIGTERM unwinds like Ctrl-C (so `with` blocks stop the server)
    instead of killing infragen on the spot; returns the handler to restore, or None."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:
        return None  # someone else already handles it

    def unwind(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, unwind)
    return previous


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class AwsEmulator:
    """One running moto server; use `AwsEmulator.start()` as a context manager."""

    def __init__(self, proc, port: int, log: Path) -> None:
        self.proc = proc
        self.port = port
        self.log = log
        self._previous_sigterm = _exit_on_sigterm()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @classmethod
    def start(cls, *, ready_timeout: float = 30.0, attempts: int = 3) -> AwsEmulator:
        if not moto_available():
            raise ToolError(
                "the AWS emulator is not installed",
                "pip install 'infragen-iac[emulator]' (moto[server]) to plan and apply on it",
            )
        env = process.base_env(
            # Terraform attaches AWS managed policies by ARN; moto knows them only when asked.
            MOTO_IAM_LOAD_MANAGED_POLICIES="true",
            MOTO_ALLOW_NONEXISTENT_REGION="true",
            MOTO_ACM_VALIDATION_WAIT="0",  # requested certificates are issued at once
        )
        for key in _DROPPED_ENV:
            env.pop(key, None)
        last = ""
        for _ in range(attempts):  # another program may take the free port first: try another
            port = free_port()
            log = Path(tempfile.mkstemp(prefix="infragen-moto-", suffix=".log")[1])
            argv = [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)]
            emulator = cls(process.spawn(argv, env=env, log=log), port, log)
            try:
                if emulator.wait_ready(ready_timeout):
                    return emulator
            except BaseException:
                emulator.close()
                raise
            last = emulator.log_tail()
            emulator.close()
        raise ToolError(
            f"the AWS emulator did not start ({last or 'no output'})",
            "run `python -m moto.server -H 127.0.0.1 -p 5000` by hand to see why",
        )

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=2):
                    return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        return False

    def log_tail(self, chars: int = 400) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:].strip()
        except OSError:
            return ""

    def running(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        process.stop(self.proc)
        self.log.unlink(missing_ok=True)
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None

    def __enter__(self) -> AwsEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def terraform_env(self, base: Mapping[str, str]) -> dict[str, str]:
        """`base` with fake credentials, no shared config, and every AWS endpoint at the emulator."""
        env = {
            k: v
            for k, v in base.items()
            if k not in _DROPPED_ENV and not k.startswith("AWS_ENDPOINT_URL_")
        }
        env.update(
            AWS_ACCESS_KEY_ID=FAKE_KEY,
            AWS_SECRET_ACCESS_KEY=FAKE_KEY,
            AWS_ENDPOINT_URL=self.url,
            AWS_EC2_METADATA_DISABLED="true",
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_CONFIG_FILE=os.devnull,
            NO_PROXY=HOST,
            no_proxy=HOST,
        )
        if not (env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")):
            env["AWS_REGION"] = "us-east-1"
        return env

    def issue_certificate(self, region: str, domain: str = "example.com") -> str:
        """An ACM certificate that exists on the emulator (for a listener's placeholder input)."""
        import boto3  # moto's own dependency: present whenever the emulator is

        acm = boto3.client(
            "acm",
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id=FAKE_KEY,
            aws_secret_access_key=FAKE_KEY,
        )
        return acm.request_certificate(DomainName=domain)["CertificateArn"]

    def provider_settings(self, alias: str | None = None) -> str:
        """The body of a provider "aws" block that talks only to this emulator."""
        lines = [f'  alias = "{alias}"'] if alias else []
        lines += [
            f'  access_key                  = "{FAKE_KEY}"',
            f'  secret_key                  = "{FAKE_KEY}"',
            "  profile                     = null",
            "  shared_config_files         = null",
            "  shared_credentials_files    = null",
            "  skip_credentials_validation = true",
            "  skip_requesting_account_id  = true",
            "  skip_metadata_api_check     = true",
            "  s3_use_path_style           = true",
            # moto answers an unimplemented API with HTTP 500; the default 25 retries with
            # backoff would wait many minutes for an answer that never changes.
            "  max_retries                 = 2",
            "  endpoints {",
            *(f'    {name} = "{self.url}"' for name in ENDPOINT_SERVICES),
            "  }",
        ]
        return "\n".join(lines)

    def override_text(self, aliases: list[str | None]) -> str:
        """An override file: local state, and every provider "aws" block at the emulator.

        `aliases` are the configuration's provider "aws" blocks (None for the default one);
        override blocks merge into them, so region and default tags stay the configuration's.
        """
        blocks = ['terraform {\n  backend "local" {\n    path = "emulator.tfstate"\n  }\n}']
        blocks += [f'provider "aws" {{\n{self.provider_settings(alias)}\n}}' for alias in aliases]
        return "\n\n".join(blocks) + "\n"

    def default_provider_text(self) -> str:
        """A provider "aws" block for a configuration that declares none (not an override)."""
        return f'provider "aws" {{\n{self.provider_settings()}\n}}\n'
