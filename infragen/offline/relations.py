"""Relations between components a request names: who reads from or writes to what, which topic
delivers to which queues, which record points at the load balancer, and "existing" resources that
are referenced by name instead of built."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from infragen.offline.attributes import NAME_RULES
from infragen.offline.details import Details

if TYPE_CHECKING:
    from infragen.offline.parser import _Reader

_READS = re.compile(
    r"\b(?:read|reads|reading|query|queries|querying|get|gets|fetch\w*|look\w* up|scan\w*|consum\w*|download\w*)\b"
)
_WRITES = re.compile(
    r"\b(?:write|writes|writing|put|puts|stor(?:e|es|ing)|sav(?:e|es|ing)|insert\w*|updat\w*|persist\w*|upload\w*)\b"
)
_VERB = r"(?:that |which |to )?(?:triggers?|invokes?|fires?|calls?|runs?)"
_BY = r"(?:triggered|invoked|fired|run|called)(?: \w+)? (?:by|on|from|when)(?: an?| the| my| new| every| each)?"
_S3_TRIGGERS = re.compile(
    rf"\b(?:bucket|s3)\w* {_VERB}|{_BY} (?:s3|bucket|uploads?|files?|objects?)\b|\bupload\w*|\b(?:when|whenever) (?:a |an )?(?:new )?(?:file|object)"
)
_SNS_TRIGGERS = re.compile(
    rf"\b(?:topic|sns)\w* {_VERB}|{_BY} (?:the )?(?:sns|topic)|\blambda\w* subscribed|\bsubscribe\w* (?:a |the )?lambda"
)
_ALARMED = {"ec2", "asg", "rds", "aurora", "elasticache"}
_DELIVERS = re.compile(
    r"\b(?:subscri\w*|fan\w*|deliver\w*|forward\w*|push\w*|publish\w*|feeds?|sends? to|into)\b"
)


def _access(text: str) -> list[str]:
    """Which access a sentence asks for; both when it names neither."""
    found = [a for a, rx in (("read", _READS), ("write", _WRITES)) if rx.search(text)]
    return found or ["read", "write"]


def _existing(r: _Reader, details: Details) -> None:
    for item in details.existing:
        if item["kind"] != "s3":
            r.not_built(
                item["phrase"],
                f"an existing {item['kind']} is named as context only: nothing here references it",
            )
            continue
        if not NAME_RULES["s3"].fullmatch(item["name"]):
            r.not_built(item["phrase"], f"'{item['name']}' is not a valid bucket name")
            continue
        holder = next(
            (k for k in ("instance_profile", "lambda", "ec2", "asg") if k in r.components), None
        )
        if holder is None:
            r.not_built(item["phrase"], "nothing in the request needs access to it")
            continue
        if holder in ("ec2", "asg"):
            holder = "instance_profile"
            r.components.setdefault(
                holder, type(r.components["ec2" if "ec2" in r.components else "asg"])(kind=holder)
            )
        item["access"] = ",".join(_access(r.request.lower()))
        r.components[holder].options.setdefault("existing_buckets", []).append(
            {"name": item["name"], "access": item["access"]}
        )
        r.assumptions.append(
            f"Reference the existing bucket {item['name']} by name (var.existing_bucket_names); it is not created."
        )


# "instances that can read the bucket", "servers upload to the bucket": a verb, then the bucket.
_USES_BUCKET = re.compile(
    rf"(?:{_READS.pattern}|{_WRITES.pattern}|\baccess\w*\b)[^.;]{{0,40}}\b(?:bucket|s3)\b"
)


def _instances_use_bucket(r: _Reader, text: str) -> None:
    """The project's servers get the bucket access the request names (through their role)."""
    servers = next((k for k in ("ec2", "asg") if k in r.components), None)
    if "s3" not in r.components or servers is None or not _USES_BUCKET.search(text):
        return
    if "instance_profile" not in r.components:
        r.components["instance_profile"] = type(r.components[servers])(kind="instance_profile")
    r.components["instance_profile"].options["bucket_access"] = _access(text)


def read_relations(r: _Reader, details: Details) -> None:
    text = r.request.lower()
    _existing(r, details)
    if "lambda" in r.components and "dynamodb" in r.components:
        access = _access(text)
        r.components["lambda"].options["dynamodb_access"] = access
        if access == ["read", "write"] and not (_READS.search(text) or _WRITES.search(text)):
            r.assumptions.append(
                "Let the Lambda function read and write the table (no access named)."
            )
    if re.search(r"\be-?mail", text) and not any(
        c.options.get("emails") for c in r.components.values()
    ):
        r.not_built("e-mail notification", "no address given: subscribe one to the SNS topic")
    sqs = r.components.get("sqs")
    if sqs and sqs.count > 1 and not sqs.options.get("queues"):
        # "two sqs queues": the queue blueprint builds one per name
        sqs.options["queues"] = [f"queue-{i}" for i in range(1, sqs.count + 1)]
        sqs.options["prefix_names"] = True
    _instances_use_bucket(r, text)
    if "s3" in r.components and "lambda" in r.components and _S3_TRIGGERS.search(text):
        r.components["s3"].options["notify_lambda"] = True
    if "sns" in r.components and "lambda" in r.components and _SNS_TRIGGERS.search(text):
        r.components["sns"].options["to_lambda"] = True
    if "sns" in r.components and "sqs" in r.components and _DELIVERS.search(text):
        sns = r.components["sns"]
        sns.options["to_sqs"] = True
        if r.components["sqs"].options.get("fifo"):
            # only a FIFO topic can deliver to FIFO queues, and a FIFO topic cannot send e-mail
            sns.options["fifo"] = True
            for email in sns.options.pop("emails", []):
                r.not_built(email, "a FIFO topic (needed for the FIFO queues) cannot e-mail")
    monitoring = r.components.get("monitoring")
    if monitoring and monitoring.options.get("cpu_alarm") and not _ALARMED & r.components.keys():
        for _, threshold in monitoring.options.pop("cpu_alarm"):
            r.not_built(
                f"CPU alarm at {threshold}%", "the request builds nothing with a CPU to watch"
            )
    route53 = r.components.get("route53")
    if route53 and route53.options.get("record") and "alb" not in r.components:
        r.not_built(route53.options.pop("record"), "a record needs a load balancer to point at")
    record = route53.options.get("record") if route53 else None
    if record and "." not in record:  # "a www record": a name inside the zone
        route53.options["record"] = f"{record}.{route53.options.get('domain') or 'example.com'}"
    elif record and route53.options.get("domain") in (None, "example.com"):
        route53.options["domain"] = ".".join(record.split(".")[-2:])
        r.assumptions[:] = [a for a in r.assumptions if "example.com as the zone name" not in a]
    if len(details.environments) > 1:
        r.assumptions.append(
            f"One configuration, one tfvars file per environment ({', '.join(details.environments)}) "
            "under environments/; apply each with its own state."
        )
