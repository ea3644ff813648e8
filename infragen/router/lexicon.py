"""Words the baseline router looks for. Data, not logic: extend the tables, not the code.

Each component pattern is matched in order and its match is blanked out before the next one runs,
so specific phrases ("rds instance", "load balancer") are consumed before generic ones ("instance").
A kind is one component as fixtures/routing/README.md counts them (an alarm and a log group are
two; a bucket's policy is the bucket), so the number of kinds found is the request's size.
"""

from __future__ import annotations

import re

COMPONENTS: tuple[tuple[str, str], ...] = (
    ("cloudfront", r"cloud ?front|\bcdn\b|distribution"),
    ("waf", r"\bwaf\b|web acl|web application firewall"),
    ("acm", r"\bacm\b|certificates?|\bcerts?\b|\btls\b|\bssl\b"),
    ("neptune", r"neptune"),
    (
        "rds",
        r"(db|database|rds) instances?|\brds\b|aurora|postgres(ql)?|mysql|mariadb|sql ?server"
        r"|\bdb\b|db_instance"
        r"|relational database|database",
    ),
    ("route_table", r"route tables?"),
    ("dax", r"\bdax\b"),
    ("glue", r"\bglue\b|crawler|data catalog|etl jobs?"),
    ("athena", r"athena"),
    ("lake_formation", r"lake formation"),
    ("dynamodb", r"dynamo ?db|dynamo|\bnosql\b|key[/ -]value|\btables?\b"),
    ("elasticache", r"elasticache|redis|memcached|valkey"),
    ("opensearch", r"opensearch|elasticsearch|kibana"),
    ("redshift", r"redshift|data warehouse"),
    ("load_balancer", r"load ?balancers?|\b[an]lb\b|\belb\b|target groups?|listeners?"),
    ("autoscaling", r"auto ?scaling|\basg\b|launch template"),
    ("eks", r"\beks\b|kubernetes|node ?groups?|fargate profile|karpenter"),
    ("ecs", r"\becs\b|fargate|task definitions?|container service"),
    (
        "ecr",
        r"\becr\b|container registry|docker (image )?(registry|repo(sitory)?)|docker images?"
        r"|image (registry|repo(sitory)?)",
    ),
    ("elastic_beanstalk", r"beanstalk"),
    ("lightsail", r"lightsail"),
    ("step_functions", r"step ?functions?|state machine"),
    ("sagemaker", r"sagemaker( \w+)?( endpoint)?|notebook"),
    ("vpc_endpoint", r"vpc endpoints?|privatelink|interface endpoints?|gateway endpoints?"),
    ("transfer_family", r"transfer family|\bsftp\b( endpoint| server)?"),
    ("lambda", r"lambda|serverless functions?|\bfunctions?\b"),
    (
        "api_gateway",
        r"api ?gateway|api gw|rest api|http api|websocket api|\b(an|a|public) api\b"
        r"|https? endpoints?|\bendpoints?\b|webhooks?",
    ),
    (
        "backup",
        r"aws backup|backup (plans?|vaults?)|(daily|nightly|hourly|weekly) (backups?|snapshots?)"
        r"|backups?|snapshots?",
    ),
    (
        "eventbridge",
        r"eventbridge|event rule|cloudwatch events?|schedule|cron|timer|nightly|hourly|daily"
        r"|weekly|every (night|day|hour|week|morning|monday|\d+ ?(min|minutes|hours?))",
    ),
    ("sqs", r"\bsqs\b|queues?"),
    (
        "sns",
        r"\bsns\b|topic|notifications?|email subscriptions?|\bsms\b|\btexts?\b"
        r"|text messages?",
    ),
    ("ses", r"\bses\b|simple email|e-?mails?\b|\bmail\b"),
    ("kinesis_analytics", r"kinesis (v2 )?(data )?analytics|\bflink\b"),
    ("firehose", r"(kinesis )?(data )?firehose|delivery stream"),
    ("kinesis", r"kinesis|data streams?|event streams?|\ba stream\b"),
    ("msk", r"\bmsk\b|kafka"),
    (
        "cognito",
        r"cognito|user pool|e-?mail verification|log ?ins?\b|sign[- ]?in\b|authentication",
    ),
    (
        "iam",
        r"\biam\b|\broles?\b|(?<!bucket )(?<!access )(?<!scaling )(?<!lifecycle )polic(y|ies)"
        r"|instance profile|permissions?",
    ),
    ("kms", r"\bkms\b|encryption keys?|customer[- ]managed keys?|\bcmk\b"),
    ("secrets", r"secrets? manager|\bsecrets?\b|parameter store|passwords?"),
    ("cloudwatch_alarm", r"(cloudwatch )?(metric )?alarms?|alert (me|us|when|if)"),
    ("cloudwatch_dashboard", r"dashboards?"),
    ("cloudtrail", r"cloudtrail|audit (logs?|trail)|\btrail\b"),
    ("config", r"aws config|config rules?|config recorder|conformance packs?"),
    ("guardduty", r"guard ?duty"),
    ("security_hub", r"security hub"),
    ("cloudwatch_logs", r"cloudwatch|log groups?|log streams?|logging"),
    ("glacier", r"(s3 )?glacier( vaults?)?"),
    (
        "s3",
        r"\bs3\b|buckets?|(object|cold|file) storage|uploads?|uploaded|avatars?|\bpics\b|photos"
        r"|videos|static (site|website|hosting)",
    ),
    ("efs", r"\befs\b|file ?systems?|\bnfs\b|shared (network )?(file|drive)"),
    ("ebs", r"\bebs\b|volumes?|\bdisks?\b"),
    ("nat_gateway", r"nat gateways?|\bnat\b"),
    ("eip", r"elastic ips?|\beips?\b|static (public )?ips?"),
    ("egress_only_gateway", r"egress-only( internet gateway)?"),
    ("internet_gateway", r"internet gateways?|\bigw\b"),
    ("transit_gateway", r"transit gateway"),
    ("vpc_peering", r"peering"),
    ("vpn", r"\bvpn\b|customer gateway|virtual private gateway|direct connect"),
    ("route53", r"route ?_?53|hosted zones?|\bdns\b|resolver|(private|public|dns) zones?"),
    ("subnet", r"subnets?"),
    ("network_acl", r"\bnacls?\b|network acls?"),
    ("security_group", r"security groups?|firewall|\bsgs?\b|ingress|egress"),
    ("vpc", r"\bvpcs?\b|virtual private cloud|network\b"),
    ("key_pair", r"key ?pairs?"),
    (
        "ec2",
        r"\bec2\b|\binstances?\b|virtual machines?|\bvms?\b|servers?\b|\bbox\b|bastion"
        r"|wordpress",
    ),
    ("codepipeline", r"codepipeline|(ci/?cd|deploy(ment)?|release|code) pipeline"),
    ("codebuild", r"codebuild|build (step|project|stage)s?"),
    ("codecommit", r"codecommit"),
    ("codedeploy", r"codedeploy"),
    ("mediaconvert", r"mediaconvert|transcod(e|ed|ing)"),
    ("rekognition", r"rekognition"),
    ("iot_core", r"iot core|\bmqtt\b"),
    ("lex", r"\blex\b|chat ?bot"),
    ("quicksight", r"quicksight"),
    ("global_accelerator", r"global accelerator"),
    ("connect", r"amazon connect|aws_connect|contact cent(er|re)|call cent(er|re)"),
    ("organizations", r"organizations?\b|\bscps?\b|\bsso\b|identity center"),
)

# The class definition itself: any of these makes a request complex whatever its size.
COMPLEX_CUES = re.compile(
    r"high(ly)?[ -]?availab|\bha\b|multi[- ]?az\b"
    r"|(two|three|multiple|several|different|separate|\d) (different )?(azs|availability zones"
    r"|zones|regions|data ?cent(er|re)s)"
    r"|across (\w+ )?(azs|availability zones|zones|regions)|multi[- ]?(region|account)"
    r"|cross[- ]region|(another|second|other|secondary|backup|dr|different|separate) region"
    r"|both [a-z]{2}-[a-z]+-\d|replicat\w* (in)?to (\w+ )?[a-z]{2}-[a-z]+-\d"
    r"|replicas? (over )?in|(zones?|azs?|regions?) (has|have) an outage|(and|,) (data|db) (tiers|layers)"
    r"|global (table|database)|geo[- ]redundant|active[- ](active|passive)"
    r"|\b(az|availability zone|zone|region|data ?cent(er|re))s? (fails|failure|goes down|outage"
    r"|is lost|dies|is down|goes away)|(one|an|a whole|the whole|a single) (az|availability zone"
    r"|zone|region|data ?cent(er|re)) (fails|goes down|dies|is lost|has an outage)"
    r"|single point of failure|(warm|hot) standby|pilot light|\brpo\b|\brto\b"
    r"|failover|fault[- ]tolerant|resilien|disaster recovery|\bdr\b|(three|3|multi|n)[- ]tier"
    r"|(web|app|application|data|db|database|presentation) (tier|layer)s?\b.{0,40}\b(tier|layer)s?\b"
    r"|production[- ]grade|hipaa|pci|soc ?2|gdpr|fedramp|\bcis\b|compliance|compliant"
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

# What a request made of nothing but component names may add ("a fifo sqs queue", "vpc with rds
# please"): articles, counts, plain qualifiers, build verbs and joiners. Anything left over is what
# makes a request more than a shopping list (a question, an owner, a problem), so the baseline only
# answers alone for requests with nothing left.
LIST_FILLER = re.compile(
    r"\b(a|an|one|two|three|four|five|\d+|single|small|simple|basic|new|fifo|private|public"
    r"|please|pls|plz|just|only|and|with|plus|for me|i need|need|want|give me|create|make"
    r"|set ?up|spin up|provision|deploy|add)\b|[-+&,/.!]",
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
# A request that opens with a change verb and points at something that exists ("attach an elastic ip
# to my existing instance", "open 5432 on the analytics db security group for my laptop").
CHANGE_START = re.compile(
    r"^\s*(please |pls |can you |could you )?(attach|open|close|promote|block|snapshot|add|bump"
    r"|switch|increase|decrease|update|upgrade|resize|rotate|renew|enable|disable|turn (on|off)"
    r"|move|rename|tag|grant|revoke|change|modify|restore|roll ?back|patch|apply|invalidate|purge"
    r"|clean ?up|fix|debug|set)\b",
    re.IGNORECASE,
)
# A component named right after one of these ("our existing prod vpc", "the bucket we already have")
# is the context of the request, not part of what it builds; the class counts what is built.
EXISTING_BEFORE = re.compile(
    r"\b(our|my|existing|current|already|the (prod|production|existing|current|old))\b"
    r"(\s+[\w'-]+){0,3}\s*$",
    re.IGNORECASE,
)
EXISTING_AFTER = re.compile(
    r"^\s*((we|i|you) (already )?(have|use|run|own)|(that|which) (already )?(exists?|we have))",
    re.IGNORECASE,
)
# A request for information rather than infrastructure: a price, a quota, a comparison, an
# explanation or a script ("sqs pricing", "boto3 script that lists our buckets").
INFO_REQUEST = re.compile(
    r"\b(costs?|price[sd]?|pricing|rates?|quotas?|limits?|vs\.?|versus|compare|comparison"
    r"|explain(ed|s)?|walkthrough|difference|script|snippet|one-liner|cli|boto3|command|regex"
    r"|tutorial|docs|documentation|best practices?|estimate|ballpark|how much|cheaper)\b",
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
