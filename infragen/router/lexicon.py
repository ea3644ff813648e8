"""Words the baseline router looks for. Data, not logic: extend the tables, not the code.

Each component pattern is matched in order and its match is blanked out before the next one runs,
so specific phrases ("rds instance", "load balancer") are consumed before generic ones ("instance").
"""

from __future__ import annotations

import re

COMPONENTS: tuple[tuple[str, str], ...] = (
    ("cloudfront", r"cloud ?front|\bcdn\b|distribution"),
    ("waf", r"\bwaf\b|web acl"),
    ("route53", r"route ?_?53|hosted zone|dns record|\bzone\b|resolver"),
    ("acm", r"\bacm\b|certificate"),
    ("rds", r"\brds\b|aurora|postgres(ql)?|mysql|mariadb|sql ?server|\bdb\b|db_instance|database"),
    ("dynamodb", r"dynamo ?db|\bdax\b|\btable\b"),
    ("elasticache", r"elasticache|redis|memcached"),
    ("opensearch", r"opensearch|elasticsearch|kibana"),
    ("redshift", r"redshift"),
    ("neptune", r"neptune"),
    ("alb", r"load ?balancer|\b[an]lb\b|\belb\b|target groups?|listener"),
    ("autoscaling", r"auto ?scaling|\basg\b|launch template"),
    ("eks", r"\beks\b|kubernetes|node ?group|fargate profile|karpenter"),
    ("ecs", r"\becs\b|fargate|task definition|container service"),
    ("ecr", r"\becr\b|container registry"),
    ("beanstalk", r"beanstalk"),
    ("lightsail", r"lightsail"),
    ("lambda", r"lambda|serverless function"),
    ("api_gateway", r"api ?gateway|rest api|http api|\bapi\b"),
    ("step_functions", r"step ?functions?|state machine"),
    ("eventbridge", r"eventbridge|event rule|cloudwatch events?|schedule|cron|every \d+ minutes"),
    ("sqs", r"\bsqs\b|queue"),
    ("sns", r"\bsns\b|topic|notification"),
    ("kinesis", r"kinesis|firehose|data stream"),
    ("msk", r"\bmsk\b|kafka"),
    ("glue", r"\bglue\b|crawler|data catalog|athena|lake formation"),
    ("sagemaker", r"sagemaker|notebook"),
    ("cognito", r"cognito|user pool"),
    ("iam", r"\biam\b|role|polic(y|ies)|instance profile|permission"),
    ("kms", r"\bkms\b|encryption key|\bkey\b"),
    ("secrets", r"secrets? manager|\bsecret\b|parameter store|password"),
    ("cloudwatch", r"cloudwatch|log group|log stream|alarm|dashboard|logging|logs?\b"),
    ("cloudtrail", r"cloudtrail|audit log|config rules?|\baws config\b|guardduty|security hub"),
    ("s3", r"\bs3\b|bucket|glacier|object storage|storage|backups?"),
    ("efs", r"\befs\b|file ?system|\bebs\b|volume|\bdisk\b"),
    ("nat", r"nat gateway|\bnat\b|elastic ip|\beip\b"),
    ("igw", r"internet gateway|\bigw\b|egress-only"),
    ("vpn", r"\bvpn\b|customer gateway|transit gateway|direct connect|vpc endpoint|peering"),
    ("route_table", r"route tables?|routes?\b"),
    ("subnet", r"subnets?"),
    ("security_group", r"security groups?|firewall|\bnacl\b|network acl|ingress|egress"),
    ("vpc", r"\bvpcs?\b|virtual private cloud|network\b"),
    (
        "ec2",
        r"\bec2\b|\binstances?\b|virtual machines?|\bvms?\b|servers?\b|\bbox\b|bastion|key ?pair|wordpress",
    ),
    ("cicd", r"codebuild|codepipeline|codecommit|codedeploy|pipeline"),
    (
        "other_service",
        r"transfer family|\bsftp\b|mediaconvert|quicksight|global accelerator"
        r"|amazon connect|aws_connect|organization|\bsso\b|\bscps?\b",
    ),
)

# The class definition itself: any of these makes a request complex whatever its size.
COMPLEX_CUES = re.compile(
    r"high(ly)?[ -]?availab|\bha\b|multi[- ]?az\b|(two|three|multiple|\d) (azs|availability zones)"
    r"|across (\w+ )?(azs|availability zones|regions)|multi[- ]?(region|account)|cross[- ]region"
    r"|two regions|replicas? in|global (table|database)|geo[- ]redundant|active[- ](active|passive)"
    r"|failover|fault[- ]tolerant|resilien|disaster recovery|\bdr\b|(three|3|multi|n)[- ]tier"
    r"|production[- ]grade|hipaa|pci|soc ?2|gdpr|fedramp|cis benchmark|compliance|compliant"
    r"|landing zone|zero downtime|blue[ /-]green|entire region",
    re.IGNORECASE,
)

# Acting on live resources is outside a generator's remit: it never touches an account.
DESTRUCTIVE = re.compile(
    r"^\s*(please\s+)?(destroy|delete|drop|wipe|terminate|remove|shut ?down|tear ?down|restart"
    r"|reboot|scale|rotate|run terraform destroy|kill|purge|erase|stop)\b",
    re.IGNORECASE,
)

BUILD_VERBS = re.compile(
    r"\b(create|creates|make|build|set ?up|provision|deploy|spin up|launch|generate|generage"
    r"|configure|define|defines|add|enable|need|want|give me|attach|associate|implement"
    r"|managing|manage|host|connect|bring up|stand up)\b",
    re.IGNORECASE,
)

QUESTION = re.compile(
    r"^\s*(what|what's|how|why|who|when|where|which|is|are|should|can you|could you|explain"
    r"|describe|teach|tell me|show me|list|compare|do|does)\b|\?\s*$",
    re.IGNORECASE,
)

INFRA_TERMS = re.compile(
    r"\baws\b|amazon|infrastructure|terraform|\bcloud\b|cluster|environment|architecture|platform"
    r"|stack|deployment|resource|service|backend|web ?app|website|application"
    r"|\b(us|eu|ap|sa|ca|me|af)-[a-z]+-\d\b",
    re.IGNORECASE,
)

# Words that join the parts of an enumeration ("a queue, a topic and a lambda behind an api"): how
# many a request uses is a size signal that does not depend on knowing every service's name.
LIST_JOINERS = re.compile(
    r",|;|:|\+|\b(and|with|plus|behind|in front of|that|which|to|from|in|through|for)\b",
    re.IGNORECASE,
)

# Features for the learned stage only (the baseline's rules do not read them): a request that points
# at something that already exists ("our prod db", "the existing vpc") or asks for a change or a
# diagnosis is usually about a live account, not a new project.
LIVE_REFERENCE = re.compile(
    r"\b(my|our|we|existing|prod|production|already|current(ly)?|live"
    r"|the (prod|production|existing|old))\b",
    re.IGNORECASE,
)
CHANGE_WORDS = re.compile(
    r"\b(upgrade|resize|increase|bump|change|modify|rotate|restart|reboot|fix|invalidate|migrate"
    r"|delete|destroy|remove|scale|stop|terminate|debug|troubleshoot|why|error|fails?|failing"
    r"|broken|slow)\b",
    re.IGNORECASE,
)

COMPILED_COMPONENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in COMPONENTS
)
