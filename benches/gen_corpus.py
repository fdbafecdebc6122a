#!/usr/bin/env python3
"""Generate corpora of realistic architecture documents for archlint's benchmarks.

Deterministic for a given --seed (the same seed writes byte-identical files). Python 3
standard library only.

    python3 benches/gen_corpus.py --count 1000  --out benches/out/corpus/docs-1k
    python3 benches/gen_corpus.py --count 10000 --out benches/out/corpus/docs-10k
    python3 benches/gen_corpus.py --single-mb 5 --out benches/out/corpus/single-5mb
    python3 benches/gen_corpus.py --single-kb 15 --out benches/out/corpus/single-15kb

Every corpus is a small "repository":

    <out>/
      .git/                     empty folder: marks the repository root for dead-reference
      archlint.toml             include = ["**/ARCHITECTURE.md"]; stops config discovery here
      docs/d00001/ARCHITECTURE.md   one folder per document (archlint's default include glob)
      ...
      cmd/ internal/ src/ ...   stub files and folders: every path a document references
      manifest.json             per document: shape, bytes, defect (if any)

Documents come in the five template shapes (comprehensive, adr, walkthrough, enterprise,
service). All of them carry the `comprehensive` profile's required sections under their
canonical titles, in order, so a clean document passes `archlint check --profile
comprehensive` and the peers' required-heading checks; the shapes differ in their extra
sections, field layout, decision style, diagrams and code. About 10% of the documents of
a --count corpus get exactly one defect, spread evenly over four kinds:

    removed      one required `##` section deleted (with its content)
    demoted      one required `##` section written as `###` (its sub-sections one deeper)
    empty        one required `##` section left with no content at all
    placeholder  one component heading left as the template's `[Component Name]`

`removed` and `demoted` break the required heading structure, so every peer flags
them too; `empty` and `placeholder` only archlint finds.
"""

import argparse
import json
import math
import os
import random
import shutil
import sys
import tomllib
from multiprocessing import Pool

REQUIRED = [
    "Overview",
    "System Architecture",
    "Data Flow",
    "Key Design Decisions",
    "Technology Stack",
    "Directory Structure",
    "Deployment Architecture",
    "Security Considerations",
    "Performance Considerations",
    "Future Considerations",
]
SHAPES = ["comprehensive", "adr", "walkthrough", "enterprise", "service"]
DEFECTS = ["removed", "demoted", "empty", "placeholder"]
# Sections a defect may hit: the ones whose loss leaves the rest of the outline intact.
DEFECT_TARGETS = [
    "Data Flow",
    "Technology Stack",
    "Directory Structure",
    "Deployment Architecture",
    "Security Considerations",
    "Performance Considerations",
    "Future Considerations",
]
# Every document is written at docs/dNNNN/ARCHITECTURE.md, and a Markdown link resolves
# from the document's folder, as GitHub renders it: links into the repository go up
# to its root first. (Code spans and `path:line` mentions may name root paths as they are.)
UP = "../../"
RULES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rules")
STUB_LINES = 400  # every stub file has this many lines; `path:line` references stay below

# --------------------------------------------------------------------------------------
# Vocabulary (written for this generator).

PREFIXES = [
    "Amber", "Basalt", "Beacon", "Birch", "Canopy", "Cedar", "Cinder", "Cobalt", "Comet",
    "Coral", "Delta", "Drift", "Ember", "Fathom", "Fern", "Fjord", "Flint", "Galley",
    "Garnet", "Glacier", "Granite", "Harbor", "Heron", "Indigo", "Juniper", "Kestrel",
    "Lantern", "Larch", "Lumen", "Maple", "Meridian", "Mistral", "Nimbus", "Nova", "Onyx",
    "Orchid", "Osprey", "Pebble", "Pike", "Quarry", "Quill", "Raven", "Ridge", "Saffron",
    "Sable", "Sextant", "Sierra", "Slate", "Sparrow", "Spruce", "Summit", "Tern", "Thistle",
    "Tidewater", "Topaz", "Tundra", "Umber", "Vale", "Vesper", "Willow", "Yarrow", "Zephyr",
]
SUFFIXES = ["", "", "", " Cloud", " Hub", " Core", " Platform", " Engine", " Works", " Link"]

DOMAINS = [
    ("parcel logistics", ["shipment", "parcel", "route", "depot", "courier", "manifest"],
     "carriers and warehouse teams"),
    ("retail payments", ["payment", "refund", "payout", "merchant", "chargeback", "ledger entry"],
     "merchants and the finance team"),
    ("clinical scheduling", ["appointment", "patient", "clinician", "referral", "slot", "reminder"],
     "clinics and their front-desk staff"),
    ("energy metering", ["meter reading", "tariff", "invoice", "site", "outage", "forecast"],
     "utility operators and large customers"),
    ("online learning", ["course", "enrolment", "lesson", "assessment", "certificate", "cohort"],
     "instructors and learners"),
    ("fleet telematics", ["vehicle", "trip", "geofence", "alert", "driver", "maintenance job"],
     "fleet managers"),
    ("insurance claims", ["claim", "policy", "adjuster", "payment", "document", "fraud signal"],
     "adjusters and policy holders"),
    ("event ticketing", ["event", "ticket", "venue", "order", "seat map", "waitlist entry"],
     "promoters and ticket buyers"),
    ("recipe publishing", ["recipe", "ingredient", "author", "collection", "review", "meal plan"],
     "home cooks and editors"),
    ("factory monitoring", ["sensor", "work order", "production line", "batch", "defect", "shift"],
     "plant engineers"),
    ("property rentals", ["listing", "booking", "host", "guest", "payout", "inspection"],
     "hosts and guests"),
    ("public transit", ["stop", "timetable", "vehicle position", "fare", "disruption", "journey"],
     "riders and operations staff"),
]

ROLES = [
    ("API Gateway", "api-gateway", "Terminates client requests, authenticates them and routes them to the owning service."),
    ("Scheduler", "scheduler", "Runs periodic and delayed jobs with at-least-once semantics."),
    ("Notification Worker", "notifier", "Sends e-mail, push and SMS messages from queued events."),
    ("Search Indexer", "search-indexer", "Keeps the search index in step with the primary database."),
    ("Audit Log", "audit-log", "Records who changed what, append-only, for compliance reviews."),
    ("Identity Adapter", "identity", "Maps single sign-on identities to internal accounts and roles."),
    ("Reporting Service", "reporting", "Builds daily aggregates and exports for analysts."),
    ("Billing Adapter", "billing", "Talks to the billing provider and reconciles its statements."),
    ("Feature Flags", "flags", "Evaluates rollout rules close to the caller with a local cache."),
    ("Web Frontend", "web", "Serves the single-page application and its static assets."),
    ("Admin Console", "admin", "Back-office screens for support staff with a narrow permission set."),
    ("Event Relay", "relay", "Drains the outbox table and publishes domain events in commit order."),
    ("File Ingest", "ingest", "Accepts uploaded files, scans them and stores them in object storage."),
    ("Rate Limiter", "ratelimit", "Token buckets per client, shared through the cache cluster."),
    ("Geo Service", "geo", "Geocodes addresses and answers nearest-neighbour queries."),
    ("Export Service", "exports", "Produces large CSV and Parquet exports without blocking the API."),
]
ENTITY_ROLES = [
    ("{E} Service", "{e}-service", "Owns the {e} aggregate: validation, state changes and its events."),
    ("{E} Store", "{e}-store", "Persists {es} and serves the read paths that need strong consistency."),
    ("{E} Worker", "{e}-worker", "Processes {e} events asynchronously and retries transient failures."),
    ("{E} Planner", "{e}-planner", "Computes the plan for each {e} from rules that operations can edit."),
]

STACKS = {
    "go": dict(
        lang="Go 1.23", framework="net/http with the chi router", ext="go", fence="go",
        libs=["pgx", "chi", "franz-go", "zerolog", "testify", "goose", "OpenTelemetry Go SDK"],
        files=["handler", "service", "store", "client", "model", "worker"],
        roots=["go.mod", "Makefile"], dirs=["migrations/", "scripts/", "deploy/helm/"],
    ),
    "python": dict(
        lang="Python 3.12", framework="FastAPI with Pydantic v2", ext="py", fence="python",
        libs=["SQLAlchemy 2", "Alembic", "httpx", "Dramatiq", "structlog", "pytest", "tenacity"],
        files=["api", "service", "repository", "models", "tasks", "client"],
        roots=["pyproject.toml", "Makefile"], dirs=["migrations/", "scripts/", "deploy/k8s/"],
    ),
    "typescript": dict(
        lang="TypeScript 5.6 on Node.js 22", framework="Fastify", ext="ts", fence="typescript",
        libs=["Prisma", "zod", "BullMQ", "pino", "vitest", "undici", "OpenTelemetry JS"],
        files=["index", "routes", "service", "repository", "schema", "queue"],
        roots=["package.json", "tsconfig.json"], dirs=["prisma/", "scripts/", "infra/terraform/"],
    ),
    "java": dict(
        lang="Java 21", framework="Spring Boot 3.3", ext="java", fence="java",
        libs=["Spring Data JPA", "Flyway", "Resilience4j", "Micrometer", "JUnit 5", "Testcontainers", "Jackson"],
        files=["Controller", "Service", "Repository", "Entity", "Listener", "Client"],
        roots=["pom.xml", "Makefile"], dirs=["db/migration/", "scripts/", "deploy/helm/"],
    ),
    "rust": dict(
        lang="Rust 1.85", framework="axum on tokio", ext="rs", fence="rust",
        libs=["sqlx", "axum", "tokio", "serde", "tracing", "rdkafka", "proptest"],
        files=["lib", "handler", "store", "model", "worker", "client"],
        roots=["Cargo.toml", "Makefile"], dirs=["migrations/", "scripts/", "deploy/helm/"],
    ),
}
DATABASES = ["PostgreSQL 16", "MySQL 8.4", "CockroachDB 24", "Amazon Aurora PostgreSQL", "SQL Server 2022"]
QUEUES = ["Kafka", "RabbitMQ", "Amazon SQS", "NATS JetStream", "Google Pub/Sub", "Redis Streams"]
CACHES = ["Redis 7", "Memcached", "Valkey 8", "an in-process LRU cache"]
CLOUDS = [
    ("AWS", "eu-west-1", "EKS"), ("AWS", "us-east-2", "ECS on Fargate"), ("Google Cloud", "europe-west4", "GKE"),
    ("Azure", "westeurope", "AKS"), ("Hetzner", "fsn1", "a Nomad cluster"), ("AWS", "ap-southeast-2", "EKS"),
]
CI = ["GitHub Actions", "GitLab CI", "Buildkite", "CircleCI", "Jenkins"]
OBS = ["Prometheus and Grafana", "Datadog", "Honeycomb", "Grafana Cloud", "New Relic", "OpenTelemetry into Tempo and Loki"]
TEAMS = ["platform", "core services", "payments", "data", "mobile", "growth", "operations", "SRE"]
PEOPLE = ["A. Okafor", "M. Lindqvist", "R. Haddad", "S. Tanaka", "J. Moreau", "P. Novak", "L. Fernandes", "K. Mensah"]
VERBS = ["validates", "enriches", "routes", "persists", "publishes", "aggregates", "reconciles", "archives", "deduplicates", "batches"]
ADJ = ["idempotent", "versioned", "append-only", "eventually consistent", "partitioned", "immutable", "rate-limited", "signed"]
QUALITIES = ["latency", "throughput", "availability", "cost", "operability", "correctness", "auditability", "recovery time"]

SENT = {
    "generic": [
        "{S} is the system that {aud} rely on to manage {es} from creation to archive.",
        "Every {e} passes through {C1} before it reaches {C2}, which keeps the write path short and easy to reason about.",
        "We keep {es} {adj}, so a retried request never produces a second record.",
        "The {team} team owns the service and carries its pager; the {team2} team reviews changes to its public interfaces.",
        "Most traffic arrives in bursts around the top of the hour, when {aud} synchronise their local state.",
        "{C1} {verb} incoming {es} and hands them to {C2} through {Q}.",
        "State lives in {DB}; {CACHE} only ever holds data that can be rebuilt from it.",
        "A typical day sees about {n1} {es} and {n2} read requests, with a peak of {n3} requests per second.",
        "Nothing in the request path calls a third party synchronously except the identity provider.",
        "The design favours {q1} over {q2}: when the two conflict, we accept a slower path rather than a wrong answer.",
        "Operators can replay any {e} from the event log without touching the database by hand.",
        "Configuration is read once at start-up and validated, so a bad value stops a rollout instead of a request.",
        "The boundary between {C1} and {C2} is a versioned contract; both sides accept the previous version for one release.",
        "Each service exposes health, readiness and metrics endpoints on a separate port that the load balancer never routes to.",
        "Background work is split into small jobs of at most {n4} items so that a deploy never waits long for a drain.",
        "We measured {q1} for three months before settling on the current limits; the numbers are in the dashboards linked below.",
        "The oldest part of the code base is {C2}, which predates the move to {Q} and still carries a compatibility shim.",
        "Writes are serialised per {e} with a row lock, which keeps the invariants local and the locks short.",
        "All timestamps are stored in UTC with microsecond precision and rendered in the viewer's time zone only at the edge.",
        "Teams that integrate with {S} use the published client libraries rather than calling the HTTP API directly.",
        "A failed call to {C2} is retried with exponential back-off and jitter, up to {n5} attempts.",
        "Data older than {n6} days moves to cold storage, where it stays queryable through the reporting path.",
        "Load tests run weekly against staging with production-shaped traffic recorded the week before.",
        "The service is deliberately small: {n7} thousand lines of {LANG}, most of it in {C1}.",
        "Every schema change is backwards compatible for one release, so old and new pods can run side by side.",
        "Errors that a caller can fix are reported with a stable code and a human-readable hint.",
        "The main risk we watch is {q1}: if it degrades, {aud} notice within minutes.",
        "When {Q} is unavailable, producers buffer to local disk for up to {n8} minutes before rejecting writes.",
        "Tracing covers every hop, so one request can be followed from the edge through {C1} to {DB}.",
        "New {es} are visible to readers within {n9} seconds at the 99th percentile.",
    ],
    "decision_context": [
        "The first version stored {es} in a single table without history, and two incidents in the spring showed we could not reconstruct what had happened.",
        "{aud} asked for {q1} guarantees that the previous design could not give without manual checks.",
        "Traffic grew by a factor of {n5} in a year, and the original approach started to cost more in {q2} than it saved in simplicity.",
        "Two teams were implementing the same {e} rules in different places, and the copies had already drifted apart.",
    ],
    "decision_outcome": [
        "We chose the second option because it keeps the invariant in one place and the failure modes are ones we already operate.",
        "We chose the first option: it is boring, it is well understood by the on-call rotation, and its limits are far above our forecast.",
        "We chose the second option after a two-week spike showed it halved {q1} regressions at a modest cost in {q2}.",
    ],
    "decision_consequence": [
        "The {team} team now owns an extra component, and its runbook grew by a page.",
        "Reads became slightly slower, which we offset with a cache in front of the hottest queries.",
        "We can no longer change the {e} format casually: every change needs a migration plan and a compatibility window.",
        "Local development needs one more container, which the make targets start automatically.",
    ],
}

FLOW_NAMES = ["Creating a {e}", "Updating a {e}", "Nightly {e} reconciliation", "Importing {es} in bulk",
              "Cancelling a {e}", "Searching {es}", "Exporting {es}", "Replaying failed {es}"]
DECISION_TITLES = [
    "Keep {es} in {DB} rather than a document store", "Publish {e} events through an outbox",
    "One deployable for the API and its workers", "Use {Q} for asynchronous work",
    "Cache {e} reads in {CACHE}", "Idempotency keys on every write endpoint",
    "Server-side rendering for the admin console", "Partition {es} by month",
    "Contract tests between {C1} and {C2}", "Feature flags evaluated in process",
]


def cap(s):
    return s[:1].upper() + s[1:]


def plural(e):
    if e.endswith("y") and not e.endswith("ay"):
        return e[:-1] + "ies"
    if e.endswith("s") or e.endswith("ch"):
        return e + "es"
    return e + "s"


def slugify(s):
    return "".join(c if c.isalnum() else "-" for c in s.lower()).strip("-").replace("--", "-")


# --------------------------------------------------------------------------------------
# Document model.

class Sec:
    __slots__ = ("level", "title", "blocks", "children", "key")

    def __init__(self, level, title, key=None):
        self.level = level
        self.title = title
        self.blocks = []
        self.children = []
        self.key = key

    def add(self, *blocks):
        self.blocks.extend(blocks)
        return self

    def child(self, title, key=None):
        c = Sec(self.level + 1, title, key)
        self.children.append(c)
        return c

    def size(self):
        return len(self.title) + sum(len(b) + 2 for b in self.blocks) + sum(c.size() for c in self.children)

    def shift(self, d):
        self.level += d
        for c in self.children:
            c.shift(d)

    def render(self, out):
        out.append("#" * self.level + " " + self.title)
        for b in self.blocks:
            out.append(b)
        for c in self.children:
            c.render(out)


class Component:
    def __init__(self, name, slug, purpose, stack, rng, refs):
        st = STACKS[stack]
        self.name = name
        self.slug = slug
        self.purpose = purpose
        if stack == "go":
            self.dir = f"internal/{slug.replace('-', '')}/"
        elif stack == "python":
            self.dir = f"src/app/{slug.replace('-', '_')}/"
        elif stack == "typescript":
            self.dir = f"apps/{slug}/src/"
        elif stack == "java":
            self.dir = f"services/{slug}/src/"
        else:
            self.dir = f"crates/{slug}/src/"
        names = rng.sample(st["files"], 2)
        self.files = [self.dir + f + "." + st["ext"] for f in names]
        refs.add(self.dir)
        for f in self.files:
            refs.add(f)


class Ctx:
    def __init__(self, rng, shape):
        self.rng = rng
        self.shape = shape
        self.refs = set()
        self.system = rng.choice(PREFIXES) + rng.choice(SUFFIXES)
        self.repo = slugify(self.system)
        self.domain, self.entities, self.aud = rng.choice(DOMAINS)
        self.stack = rng.choice(list(STACKS))
        self.st = STACKS[self.stack]
        self.db = rng.choice(DATABASES)
        self.queue = rng.choice(QUEUES)
        self.cache = rng.choice(CACHES)
        self.cloud = rng.choice(CLOUDS)
        self.ci = rng.choice(CI)
        self.obs = rng.choice(OBS)
        self.team = rng.choice(TEAMS)
        self.components = []
        self.used_names = set()
        self.decision_no = 0
        self.flow_no = 0
        self.lean = False
        for _ in range(rng.randint(2, 3)):
            self.new_component()

    def new_component(self):
        rng = self.rng
        if rng.random() < 0.55:
            e = rng.choice(self.entities)
            name, slug, purpose = rng.choice(ENTITY_ROLES)
            fill = dict(E=cap(e), e=e, es=plural(e))
            name, slug, purpose = (name.format(**fill), slugify(slug.format(**fill)), purpose.format(**fill))
        else:
            name, slug, purpose = rng.choice(ROLES)
        base, n = name, 2
        while name in self.used_names:
            name = f"{base} {n}"
            n += 1
        self.used_names.add(name)
        c = Component(name, slug, purpose, self.stack, rng, self.refs)
        self.components.append(c)
        return c

    def fill(self, template):
        rng = self.rng
        e = rng.choice(self.entities)
        c1, c2 = rng.sample(self.components, 2)
        q1, q2 = rng.sample(QUALITIES, 2)
        t1, t2 = rng.sample(TEAMS, 2)
        return template.format(
            S=self.system, e=e, es=plural(e), E=cap(e), aud=self.aud, C1=c1.name, C2=c2.name,
            adj=rng.choice(ADJ), verb=rng.choice(VERBS), team=t1, team2=t2, Q=self.queue,
            DB=self.db, CACHE=self.cache, q1=q1, q2=q2, LANG=self.st["lang"].split(" ")[0],
            n1=f"{rng.randint(2, 900) * 1000:,}", n2=f"{rng.randint(1, 60)} million",
            n3=f"{rng.randint(40, 4000):,}", n4=rng.choice([100, 250, 500, 1000]),
            n5=rng.randint(3, 8), n6=rng.choice([30, 90, 180, 400]), n7=rng.randint(12, 140),
            n8=rng.choice([5, 10, 15, 30]), n9=rng.choice([1, 2, 5, 10]),
        )

    def sentence(self, kind="generic"):
        return self.fill(self.rng.choice(SENT[kind]))

    def para(self, lo=3, hi=6):
        text = " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))
        # Occasional inline code, emphasis and a link into the repository.
        rng = self.rng
        if rng.random() < 0.35:
            c = rng.choice(self.components)
            f = rng.choice(c.files)
            text += f" The entry point is [{os.path.basename(f)}]({UP}{f})."
        if rng.random() < 0.3:
            text += f" See `{rng.choice(self.components).dir}` for the details."
        if rng.random() < 0.2:
            text = text.replace(" never ", " **never** ", 1)
        return wrap(text)

    # ---- blocks -------------------------------------------------------------------

    def flowchart(self, n=None):
        rng = self.rng
        comps = self.components[:]
        rng.shuffle(comps)
        comps = comps[: (n or rng.randint(4, 8))]
        d = rng.choice(["TD", "LR"])
        kw = rng.choice(["graph", "flowchart"])
        lines = [f"```mermaid", f"{kw} {d}", "    U[Clients] --> N0"]
        ids = []
        for i, c in enumerate(comps):
            ids.append(f"N{i}")
            lines.append(f"    N{i}[{c.name}]")
        lines.append(f"    DB[({self.db})]")
        lines.append(f"    Q{{{{{self.queue}}}}}")
        for i in range(1, len(ids)):
            j = rng.randrange(i)
            label = rng.choice(["", "", "|" + rng.choice(VERBS) + "|"])
            lines.append(f"    {ids[j]} -->{label} {ids[i]}")
        lines.append(f"    {rng.choice(ids)} --> DB")
        lines.append(f"    {rng.choice(ids)} -.-> Q")
        lines.append(f"    Q --> {rng.choice(ids)}")
        lines.append("```")
        return "\n".join(lines)

    def sequence(self):
        rng = self.rng
        comps = rng.sample(self.components, min(len(self.components), rng.randint(3, 5)))
        e = rng.choice(self.entities)
        lines = ["```mermaid", "sequenceDiagram", "    participant U as Client"]
        names = []
        for i, c in enumerate(comps):
            pid = f"P{i}"
            names.append(pid)
            lines.append(f"    participant {pid} as {c.name}")
        lines.append("    participant DB as Database")
        lines.append(f"    U->>P0: submit {e}")
        prev = "P0"
        for pid in names[1:]:
            lines.append(f"    {prev}->>{pid}: {rng.choice(VERBS)} {e}")
            if rng.random() < 0.3:
                lines.append(f"    Note over {prev},{pid}: {rng.choice(ADJ)} hand-off")
            prev = pid
        if rng.random() < 0.5:
            lines += [f"    alt {e} already known", f"        {prev}-->>P0: existing {e}", "    else new",
                      f"        {prev}->>DB: insert {e}", f"        DB-->>{prev}: ok", "    end"]
        else:
            lines += [f"    {prev}->>DB: write {e}", f"    DB-->>{prev}: committed"]
        if rng.random() < 0.3:
            lines += ["    loop every 30 s", f"        {names[-1]}->>DB: poll pending", "    end"]
        lines.append(f"    P0-->>U: 201 Created")
        lines.append("```")
        return "\n".join(lines)

    def code(self):
        rng = self.rng
        e = rng.choice(self.entities)
        typ = "".join(w.capitalize() for w in e.split())
        var = e.replace(" ", "_")
        f = self.st["fence"]
        if self.stack == "go":
            body = (f"type {typ} struct {{\n\tID        string\n\tState     string\n\tVersion   int64\n\tUpdatedAt time.Time\n}}\n\n"
                    f"func (s *Store) Save{typ}(ctx context.Context, v *{typ}) error {{\n"
                    f"\tconst q = `UPDATE {var}s SET state = $1, version = version + 1 WHERE id = $2 AND version = $3`\n"
                    f"\ttag, err := s.db.Exec(ctx, q, v.State, v.ID, v.Version)\n\tif err != nil {{\n\t\treturn fmt.Errorf(\"save {e}: %w\", err)\n\t}}\n"
                    f"\tif tag.RowsAffected() == 0 {{\n\t\treturn ErrConflict\n\t}}\n\treturn nil\n}}")
        elif self.stack == "python":
            body = (f"@dataclass(frozen=True)\nclass {typ}:\n    id: UUID\n    state: str\n    version: int\n    updated_at: datetime\n\n\n"
                    f"def save_{var}(session: Session, item: {typ}) -> None:\n"
                    f"    rows = session.execute(\n        update({typ}Row)\n        .where({typ}Row.id == item.id, {typ}Row.version == item.version)\n"
                    f"        .values(state=item.state, version=item.version + 1)\n    ).rowcount\n    if rows == 0:\n        raise ConflictError(item.id)")
        elif self.stack == "typescript":
            body = (f"export const {typ}Schema = z.object({{\n  id: z.string().uuid(),\n  state: z.enum(['pending', 'active', 'closed']),\n  version: z.number().int(),\n}});\n\n"
                    f"export async function save{typ}(db: Db, item: {typ}): Promise<void> {{\n"
                    f"  const res = await db.{var}.updateMany({{\n    where: {{ id: item.id, version: item.version }},\n    data: {{ state: item.state, version: {{ increment: 1 }} }},\n  }});\n"
                    f"  if (res.count === 0) throw new ConflictError(item.id);\n}}")
        elif self.stack == "java":
            body = (f"@Entity\npublic class {typ} {{\n    @Id private UUID id;\n    private String state;\n    @Version private long version;\n}}\n\n"
                    f"@Service\npublic class {typ}Service {{\n    private final {typ}Repository repository;\n\n"
                    f"    @Transactional\n    public {typ} advance(UUID id, String next) {{\n        var item = repository.findById(id).orElseThrow();\n"
                    f"        item.setState(next);\n        return repository.save(item);\n    }}\n}}")
        else:
            body = (f"#[derive(Debug, Clone, sqlx::FromRow)]\npub struct {typ} {{\n    pub id: Uuid,\n    pub state: String,\n    pub version: i64,\n}}\n\n"
                    f"pub async fn save(pool: &PgPool, item: &{typ}) -> Result<(), StoreError> {{\n"
                    f"    let done = sqlx::query(\"UPDATE {var}s SET state = $1, version = version + 1 WHERE id = $2 AND version = $3\")\n"
                    f"        .bind(&item.state).bind(item.id).bind(item.version)\n        .execute(pool).await?;\n"
                    f"    if done.rows_affected() == 0 {{\n        return Err(StoreError::Conflict(item.id));\n    }}\n    Ok(())\n}}")
        return f"```{f}\n{body}\n```"

    def config_block(self):
        rng = self.rng
        c = rng.choice(self.components)
        kind = rng.choice(["yaml", "json", "sql", "bash"])
        if kind == "yaml":
            body = (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {c.slug}\nspec:\n  replicas: {rng.randint(2, 12)}\n"
                    f"  template:\n    spec:\n      containers:\n        - name: {c.slug}\n          image: registry.local/{self.repo}/{c.slug}:1.{rng.randint(0, 40)}.{rng.randint(0, 9)}\n"
                    f"          resources:\n            requests: {{ cpu: {rng.choice(['250m', '500m', '1'])}, memory: {rng.choice(['256Mi', '512Mi', '1Gi'])} }}")
        elif kind == "json":
            e = rng.choice(self.entities)
            body = (f'{{\n  "type": "{e.replace(" ", "_")}.updated",\n  "version": 2,\n  "id": "0f8e6c2a-3b1d-4f7a-9a51-6c0d2e4b7f10",\n'
                    f'  "occurred_at": "2026-10-14T09:12:44Z",\n  "data": {{ "state": "{rng.choice(["active", "closed", "pending"])}", "attempt": {rng.randint(1, 5)} }}\n}}')
        elif kind == "sql":
            e = rng.choice(self.entities).replace(" ", "_")
            body = (f"CREATE TABLE {e}s (\n    id          uuid PRIMARY KEY,\n    tenant_id   uuid NOT NULL,\n    state       text NOT NULL,\n"
                    f"    version     bigint NOT NULL DEFAULT 0,\n    created_at  timestamptz NOT NULL DEFAULT now()\n);\n"
                    f"CREATE INDEX {e}s_tenant_state ON {e}s (tenant_id, state);")
        else:
            body = (f"make dev-up          # databases and {self.queue} in containers\nmake migrate\nmake run SERVICE={c.slug}\n"
                    f"curl -s localhost:8080/healthz")
        return f"```{kind}\n{body}\n```"

    def table(self, kind=None):
        rng = self.rng
        kind = kind or rng.choice(["targets", "endpoints", "env", "risks"])
        if kind == "targets":
            rows = ["| Metric | Target | Current |", "| --- | --- | --- |"]
            for q in rng.sample(["p50 latency", "p99 latency", "error rate", "availability", "throughput", "queue lag"], 4):
                rows.append(f"| {q} | {rng.randint(1, 500)} {rng.choice(['ms', 'per mille', 'req/s', 's'])} | {rng.randint(1, 500)} |")
        elif kind == "endpoints":
            rows = ["| Method | Path | Purpose |", "| --- | --- | --- |"]
            for _ in range(rng.randint(3, 7)):
                e = rng.choice(self.entities)
                p = "/v1/" + slugify(plural(e))
                m = rng.choice(["GET", "POST", "PATCH", "DELETE"])
                rows.append(f"| {m} | `{p}` | {cap(rng.choice(VERBS))} {plural(e)} |")
        elif kind == "env":
            rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
            for v in rng.sample(["DATABASE_URL", "QUEUE_URL", "CACHE_URL", "LOG_LEVEL", "HTTP_PORT", "WORKERS", "OTEL_ENDPOINT"], 4):
                rows.append(f"| `{v}` | {rng.choice(['unset', '8080', 'info', '4', 'local'])} | {self.sentence().split(',')[0].rstrip('.')} |")
        else:
            rows = ["| Risk | Likelihood | Mitigation |", "| --- | --- | --- |"]
            for q in rng.sample(QUALITIES, 3):
                rows.append(f"| {cap(q)} regression | {rng.choice(['low', 'medium', 'high'])} | {self.sentence().rstrip('.')} |")
        return "\n".join(rows)

    def field_list(self, fields):
        return "\n".join(f"- **{k}**: {v}" for k, v in fields)

    def bullets(self, n=None):
        n = n or self.rng.randint(3, 5)
        return "\n".join("- " + self.sentence() for _ in range(n))

    def ascii_boxes(self):
        names = [c.name for c in self.rng.sample(self.components, min(3, len(self.components)))]
        w = max(len(n) for n in names) + 4
        out = []
        for i, n in enumerate(names):
            out.append("+" + "-" * w + "+")
            out.append("| " + n.ljust(w - 2) + " |")
            out.append("+" + "-" * w + "+")
            if i < len(names) - 1:
                out.append(" " * (w // 2) + "|")
                out.append(" " * (w // 2) + "v")
        return "```\n" + "\n".join(out) + "\n```"


def wrap(text, width=92):
    lines, cur = [], ""
    for word in text.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Sections.

def component_section(ctx, parent, c, heading_style):
    if heading_style == "service":
        sec = parent.child(f"{c.name} - {c.purpose.split(',')[0].split(' and ')[0].rstrip('.')}")
    else:
        sec = parent.child(c.name)
    deps = ", ".join(x.name for x in ctx.rng.sample(ctx.components, min(2, len(ctx.components))) if x is not c) or ctx.db
    sec.add(ctx.field_list([
        ("Purpose", c.purpose),
        ("Location", f"`{c.dir}`"),
        ("Key Responsibilities", ctx.sentence() if ctx.lean else ctx.sentence().rstrip(".") + "; " + ctx.sentence()[0].lower() + ctx.sentence()[1:]),
        ("Dependencies", f"{deps}, {ctx.db}."),
    ]))
    if ctx.rng.random() < 0.4:
        sec.add(ctx.para(2, 4))
    return sec


def decision_section(ctx, parent):
    rng = ctx.rng
    ctx.decision_no += 1
    title = ctx.fill(DECISION_TITLES[(ctx.decision_no - 1) % len(DECISION_TITLES)])
    if ctx.decision_no > len(DECISION_TITLES):
        title += f" (revision {ctx.decision_no // len(DECISION_TITLES) + 1})"
    if ctx.shape == "adr":
        sec = parent.child(f"ADR-{ctx.decision_no:03d}: {title}")
        sec.add(f"**Status**: {rng.choice(['Accepted', 'Accepted', 'Superseded by a later record', 'Proposed'])}",
                f"**Date**: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}")
    elif ctx.shape == "enterprise":
        sec = parent.child(f"Decision {ctx.decision_no}: {title}")
    else:
        sec = parent.child(f"Decision: {title}")
    sec.add("**Context**: " + wrap(ctx.sentence("decision_context") + " " + ctx.sentence()))
    opts = ["**Options Considered**:"]
    for i, letter in enumerate("AB"):
        opts.append(f"{i + 1}. Option {letter}: {ctx.sentence().rstrip('.')}. Pros: {rng.choice(QUALITIES)}. Cons: {rng.choice(QUALITIES)}.")
    sec.add("\n".join(opts))
    sec.add("**Decision**: " + wrap(ctx.sentence("decision_outcome")))
    sec.add("**Consequences**: " + wrap(ctx.sentence("decision_consequence") + " " + ctx.sentence()))
    if ctx.shape == "adr":
        sec.add("**Alternatives Considered**: " + ctx.sentence())
    return sec


def flow_section(ctx, parent):
    rng = ctx.rng
    ctx.flow_no += 1
    e = rng.choice(ctx.entities)
    name = FLOW_NAMES[(ctx.flow_no - 1) % len(FLOW_NAMES)].format(e=e, es=plural(e))
    if ctx.flow_no > len(FLOW_NAMES):
        name += f", variant {ctx.flow_no}"
    sec = parent.child(("Example Flow: " if ctx.shape == "comprehensive" else "") + name)
    steps = []
    for i in range(3 if ctx.lean else rng.randint(4, 6)):
        s = ctx.sentence()
        if ctx.shape == "walkthrough" and rng.random() < 0.6:
            c = rng.choice(ctx.components)
            f = rng.choice(c.files)
            s = s.rstrip(".") + f" (`{f}:{rng.randint(1, STUB_LINES - 20)}`)."
        steps.append(f"{i + 1}. {s}")
    sec.add("\n".join(steps))
    sec.add(ctx.sequence())
    return sec


def tree_block(ctx):
    st = ctx.st
    lines = [f"{ctx.repo}/"]
    top = {}
    for c in ctx.components:
        first = c.dir.split("/")[0] + "/"
        top.setdefault(first, set()).add(c.dir)
    entries = sorted(top.items()) + [(d, None) for d in st["dirs"]] + [("docs/", None)]
    items = []
    for first, subs in entries:
        if subs is None:
            items.append((first, []))
            continue
        children = sorted({s[len(first):].split("/")[0] + "/" for s in subs})
        items.append((first, children))
    flat = [(e, ch) for e, ch in items] + [(r, []) for r in st["roots"]]
    for i, (entry, children) in enumerate(flat):
        last = i == len(flat) - 1
        lines.append(("└── " if last else "├── ") + entry)
        if "/" in entry.rstrip("/"):
            parts = entry.rstrip("/").split("/")
            for k in range(1, len(parts) + 1):
                ctx.refs.add("/".join(parts[:k]) + "/")
        elif entry.endswith("/"):
            ctx.refs.add(entry)
        else:
            ctx.refs.add(entry)
        for j, ch in enumerate(children):
            pre = "    " if last else "│   "
            lines.append(pre + ("└── " if j == len(children) - 1 else "├── ") + ch)
            ctx.refs.add(entry + ch)
    width = max(len(l) for l in lines) + 2
    out = [lines[0]]
    for l in lines[1:]:
        out.append(l.ljust(width) + "# " + ctx.rng.choice(["owned by " + ctx.team, "see below", "generated code excluded", "entry points", "shared helpers"]))
    return "```\n" + "\n".join(out) + "\n```"


def build(ctx, target):
    rng = ctx.rng
    shape = ctx.shape
    top = []  # (Sec) in document order
    # Small targets get a lean skeleton: fewer extra sections, less prose.
    lean = target < 9 * 1024

    def keep():
        return not lean or rng.random() < 0.3

    if lean:
        del ctx.components[2:]
    ctx.lean = lean

    req = {}

    def sec(title, key=None):
        s = Sec(2, title, key)
        top.append(s)
        if key:
            req[key] = s
        return s

    header = []
    date = f"2026-{rng.randint(2, 10):02d}-{rng.randint(1, 28):02d}"
    header.append(f"> Last updated: {date}")
    if shape == "enterprise":
        header.append("\n".join([
            f"**Version**: {rng.randint(1, 4)}.{rng.randint(0, 9)}  ",
            f"**Status**: {rng.choice(['Approved', 'In review', 'Draft for sign-off'])}  ",
            f"**Author**: {rng.choice(PEOPLE)}  ",
            f"**Reviewers**: {', '.join(rng.sample(PEOPLE, 2))}",
        ]))
    elif shape == "service":
        header.append(f"This document describes how {ctx.system} is put together, how its components talk to each other, and why.")
    header.append("---" if shape in ("service", "enterprise") else "")

    if shape == "enterprise" and keep():
        s = sec("📋 Executive Summary")
        s.add(ctx.para(1, 2))
        s.add(ctx.field_list([("Business owner", rng.choice(PEOPLE)), ("Criticality", rng.choice(["Tier 1", "Tier 2"])),
                              ("Users", ctx.aud)]))

    # Overview
    ov = sec("Overview", "Overview")
    ov.add(wrap(f"{ctx.system} is the {ctx.domain} system used by {ctx.aud}. " + ctx.sentence() + " " + ctx.sentence()))
    goals = "\n".join("- " + ctx.sentence() for _ in range(2))
    ov.add(("**Key Goals:**" if rng.random() < 0.5 else "**Key Goals**:") + "\n" + goals)
    if shape == "service":
        ov.add(f"**Architecture Style**: {rng.choice(['Modular monolith', 'Event-driven services', 'Microservices', 'Serverless functions'])}",
               f"**Deployment Model**: {rng.choice(['Single region, three zones', 'Multi-region active-passive', 'Edge plus one core region'])}")

    if shape == "enterprise" and keep():
        s = sec("🎯 Business Context")
        s.child("Problem Statement").add(ctx.para(1, 2))
        s.child("Requirements").add(ctx.table("targets"), ctx.bullets(2))

    # System Architecture
    sa = sec("System Architecture", "System Architecture")
    if not lean:
        sa.add(ctx.para(1, 2))
    diag_title = {"adr": "High-Level Diagram", "walkthrough": "Architecture Diagram", "enterprise": "High-Level Diagram",
                  "service": "System Diagram"}.get(shape, "Architecture Diagram")
    ad = sa.child(diag_title, "diagram")
    ad.add(wrap(ctx.sentence()), ctx.flowchart())
    if shape == "service":
        ad.add(ctx.ascii_boxes())
    comps_title = {"service": "Core Components", "walkthrough": "Component Breakdown"}.get(shape, "Components")
    comps = sa.child(comps_title, "components")
    for c in ctx.components:
        component_section(ctx, comps, c, shape)

    if shape == "walkthrough" and keep():
        s = sec("Design Patterns")
        s.child(rng.choice(["Adapter Pattern", "Repository Pattern", "Outbox Pattern", "Strategy Pattern"])).add(ctx.para(1, 2), ctx.code())
        s2 = sec("Layer Separation")
        s2.add(ctx.ascii_boxes(), ctx.para(1, 2))
        s2.child("Why Layers?").add(ctx.para(1, 2))

    # Data Flow
    df = sec("Data Flow", "Data Flow")
    df.add(ctx.para(1, 2))
    flow_section(ctx, df)

    if shape == "adr" and keep():
        s = sec("Data Architecture")
        s.child("Data Models").add(ctx.code())
        s.child("Storage Strategy").add(ctx.para(1, 2), ctx.field_list([("Primary", ctx.db), ("Cache", ctx.cache), ("Events", ctx.queue)]))
    if shape == "walkthrough" and keep():
        s = sec("Data Models")
        s.add(ctx.code())
    if shape == "service" and keep():
        s = sec("API Architecture")
        s.child("API Style").add(ctx.para(1, 2))
        s.child("Endpoints Overview").add(ctx.table("endpoints"))
        s = sec("Async Processing")
        s.child("Message Queue").add(ctx.para(1, 2), ctx.config_block())
        s.child("Background Jobs").add(ctx.bullets(2))

    # Key Design Decisions
    kd = sec("Key Design Decisions", "Key Design Decisions")
    decision_section(ctx, kd)

    # Technology Stack
    ts = sec("Technology Stack", "Technology Stack")
    ts.child("Core Technologies").add(ctx.field_list([
        ("Language", ctx.st["lang"]), ("Framework", ctx.st["framework"]), ("Database", ctx.db),
        ("Messaging", ctx.queue), ("Deployment", f"{ctx.cloud[2]} on {ctx.cloud[0]}")]))
    ts.child("Key Libraries").add("\n".join(f"- {lib}: {ctx.sentence().split(',')[0].rstrip('.').lower()}." for lib in rng.sample(ctx.st["libs"], 4)))
    ts.child("Infrastructure").add(f"- {ctx.cloud[0]} in {ctx.cloud[1]}\n- {ctx.ci} for CI\n- {ctx.obs} for observability")

    # Directory Structure
    ds = sec("Directory Structure", "Directory Structure")
    ds.add(tree_block(ctx))
    kdirs = rng.sample(ctx.components, min(3, len(ctx.components)))
    ds.add(("**Key Directories:**" if rng.random() < 0.5 else "**Key Directories**:") + "\n" +
           "\n".join(f"- `{c.dir}`: {c.purpose[0].lower() + c.purpose[1:]}" for c in kdirs))

    # Deployment Architecture
    da = sec("Deployment Architecture", "Deployment Architecture")
    if not lean:
        da.add(ctx.para(1, 2))
    da.child("Environments").add(ctx.field_list([
        ("Development", "Docker Compose brings up the databases; services run natively."),
        ("Staging", f"A one-third copy of production in {ctx.cloud[1]}."),
        ("Production", f"{ctx.cloud[2]} across three zones in {ctx.cloud[1]}.")]))
    da.child("Deployment Process").add("\n".join(f"{i + 1}. {ctx.sentence()}" for i in range(2)))

    if shape in ("adr", "enterprise", "service") and keep():
        s = sec("Monitoring & Observability" if shape != "service" else "Monitoring and Observability")
        s.child("Metrics").add(ctx.table("targets"))
        s.child("Alerting").add(ctx.bullets(2))

    # Security / Performance
    sc = sec("Security Considerations", "Security Considerations")
    if not lean:
        sc.add(ctx.para(1, 2))
    sc.add(ctx.field_list([("Authentication", ctx.sentence()), ("Data Protection", ctx.sentence()), ("API Security", ctx.sentence())]))
    pc = sec("Performance Considerations", "Performance Considerations")
    pc.add(ctx.field_list([("Caching Strategy", ctx.sentence()), ("Scalability", ctx.sentence()), ("Bottlenecks", ctx.sentence())]))

    if shape == "adr" and keep():
        s = sec("Disaster Recovery")
        s.child("Backup Strategy").add(ctx.bullets(2))
        s.child("Failure Scenarios").add(ctx.table("risks"))
    if shape == "walkthrough" and keep():
        s = sec("Configuration")
        s.child("Environment Variables").add(ctx.table("env"))
        s = sec("Error Handling Strategy")
        s.add(ctx.para(1, 2))
    if shape == "service" and keep():
        s = sec("Integration Points")
        s.child("External Services").add(ctx.bullets(2))

    # Future Considerations
    fc = sec("Future Considerations", "Future Considerations")
    fc.child("Planned Improvements").add("\n".join(f"- [{'x' if i == 0 else ' '}] {ctx.sentence()}" for i in range(3)))
    fc.child("Known Limitations").add(ctx.bullets(2))

    if shape == "walkthrough" and keep():
        s = sec("Key Files Reference")
        s.add("\n".join(f"- `{f}`: {ctx.sentence().split(',')[0].rstrip('.').lower()}" for c in ctx.components[:4] for f in c.files[:1]))
        sec("Next Steps").add(ctx.bullets(3))
    if shape == "service" and keep():
        s = sec("Related Documentation")
        links = [("API reference", "api/openapi.yaml"), ("Runbooks", "ops/runbooks/"), ("Decision records", "docs/adr/")]
        for _, p in links:
            ctx.refs.add(p)
        s.add("\n".join(f"- [{t}]({UP}{p})" for t, p in links))
    if shape == "enterprise" and keep():
        s = sec("👥 Stakeholders")
        s.add("| Role | Name | Responsibility |\n| --- | --- | --- |\n" + "\n".join(
            f"| {r} | {rng.choice(PEOPLE)} | {ctx.sentence().split(',')[0].rstrip('.')} |" for r in ["Owner", "Architect", "Security", "Operations"]))
        s = sec("📅 Change Log")
        s.add("| Date | Version | Change |\n| --- | --- | --- |\n" + "\n".join(
            f"| 2026-{m:02d}-{rng.randint(1, 28):02d} | 1.{i} | {ctx.sentence().split(',')[0].rstrip('.')} |" for i, m in enumerate(sorted(rng.sample(range(1, 11), 3)))))
        s = sec("✅ Review Checklist")
        s.add("\n".join(f"- [{rng.choice(['x', 'x', ' '])}] {t}" for t in ["Diagrams current", "Decisions recorded", "Security reviewed", "Runbooks linked"]))

    footer = ""
    if shape == "adr":
        footer = f"---\n\n**Document Version**: {rng.randint(1, 3)}.{rng.randint(0, 9)}  \n**Maintained by**: the {ctx.team} team"

    # Grow to the target size with more of what real documents have more of.
    def total():
        return sum(s.size() for s in top) + 400

    growers = [
        (4, lambda: component_section(ctx, comps, ctx.new_component(), shape)),
        (3, lambda: flow_section(ctx, df)),
        (3, lambda: decision_section(ctx, kd)),
        (6, lambda: rng.choice(top).add(ctx.para())),
        (2, lambda: rng.choice([sa, df, da]).add(ctx.code() if rng.random() < 0.5 else ctx.config_block())),
        (2, lambda: rng.choice([pc, sc, da]).add(ctx.table())),
        (1, lambda: da.child(f"Infrastructure Diagram {len(da.children)}" if any(c.title.startswith("Infrastructure Diagram") for c in da.children) else "Infrastructure Diagram").add(ctx.para(2, 3), ctx.flowchart())),
        (2, lambda: rng.choice([sc, pc, fc]).add(ctx.bullets())),
    ]
    weights = [w for w, _ in growers]
    cur = total()
    while cur < target:
        _, g = rng.choices(growers, weights)[0]
        before = sum(s.size() for s in top)
        g()
        cur += sum(s.size() for s in top) - before
    return top, req, header, footer


def apply_defect(ctx, top, req, kind):
    rng = ctx.rng
    if kind == "placeholder":
        comps = None
        for s in top:
            if s.key == "System Architecture":
                comps = next(c for c in s.children if c.key == "components")
        comps.children[0].title = "[Component Name]"
        return comps.children[0].title
    # A trailing footer (the adr shape's version block) counts as the last section's
    # content, so `empty` never picks the last section.
    name = rng.choice(DEFECT_TARGETS[:-1] if kind == "empty" else DEFECT_TARGETS)
    s = req[name]
    if kind == "removed":
        top.remove(s)
    elif kind == "demoted":
        s.shift(1)
    elif kind == "empty":
        s.blocks = []
        s.children = []
    return name


def render(top, header, footer):
    out = ["# Architecture"]
    out += [h for h in header if h]
    for s in top:
        s.render(out)
    if footer:
        out.append(footer)
    return "\n\n".join(out) + "\n"


def profile_outline(shape):
    """The sections of archlint's built-in profile SHAPE as (level, title), in order."""
    with open(os.path.join(RULES, f"{shape}.toml"), "rb") as f:
        prof = tomllib.load(f)
    return [(s.get("level", 2), s["title"]) for s in prof.get("sections", [])]


def nativize(ctx, top, shape):
    """The generated content re-sectioned under SHAPE's own template headings, in the
    template's order, as a team that started from that template would write it. The
    comprehensive profile then finds most of its sections missing."""
    outline = profile_outline(shape)
    if shape == "comprehensive" or not outline:
        return top
    out, last = [], None
    pool = list(top)
    for level, title in outline:
        if level <= 2 or last is None:
            last = Sec(2, title)
            out.append(last)
            if pool:
                donor = pool.pop(0)
                last.blocks = donor.blocks
                last.children = donor.children
            else:
                last.add(ctx.para(1, 2))
        else:
            last.child(title).add(ctx.para(1, 2))
    # Content left over goes under the last section, one level down.
    for s in pool:
        s.shift(1)
        last.children.append(s)
    return out


def break_references(ctx, text, refs):
    """One referenced file misspelt in TEXT and left out of REFS, so the document has a
    dead reference whose closest existing path is one edit away."""
    files = sorted(r for r in refs if not r.endswith("/") and r in text)
    if not files:
        return text, refs, None
    good = ctx.rng.choice(files)
    head, _, name = good.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not stem:
        return text, refs, None
    bad = (head + "/" if head else "") + stem[:-1] + dot + ext if len(stem) > 2 else good + ".old"
    return text.replace(good, bad, 1), refs, bad


def make_doc(args):
    global UP
    seed, index, shape, target, defect, opts = args
    UP = opts["up"]
    rng = random.Random(f"{seed}:{index}")
    ctx = Ctx(rng, shape)
    top, req, header, footer = build(ctx, target)
    where = apply_defect(ctx, top, req, defect) if defect else None
    if opts["native"]:
        top = nativize(ctx, top, shape)
    for r in opts["extra_refs"].get(index, []):
        ctx.refs.add(r)
        top[-1].add(f"The generated asset [{os.path.basename(r)}]({UP}{r}) is built by CI.")
    text = render(top, header, footer)
    dead = None
    if opts["dead_rate"] and random.Random(f"{seed}:{index}:dead").random() < opts["dead_rate"]:
        text, _, dead = break_references(ctx, text, ctx.refs)
    return text, sorted(ctx.refs), where, dead


def make_adr(args):
    """A short decision record (1-3 KB), numbered, as an ADR folder holds them."""
    seed, index, _, _, _, opts = args
    rng = random.Random(f"{seed}:adr:{index}")
    ctx = Ctx(rng, "adr")
    title = ctx.fill(DECISION_TITLES[index % len(DECISION_TITLES)])
    date = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
    parts = [
        f"# {index + 1}. {title}",
        f"Date: {date}",
        "## Status",
        rng.choice(["Accepted", "Proposed", f"Superseded by [ADR {index + 2}](./{index + 2:04d}-next.md)"]),
        "## Context",
        ctx.para(2, 4),
        "## Decision",
        wrap(ctx.sentence("decision_outcome") + " " + ctx.sentence()),
        "## Consequences",
        ctx.bullets(3),
    ]
    return "\n\n".join(parts) + "\n", sorted(ctx.refs), None, None


# --------------------------------------------------------------------------------------
# Corpus.

def stub_text(path):
    ext = os.path.splitext(path)[1]
    mark = {".py": "#", ".rs": "//", ".go": "//", ".ts": "//", ".java": "//", ".toml": "#", ".yaml": "#"}.get(ext, "#")
    return f"{mark} {path}: a stub the generated documents reference\n" + f"{mark}\n" * (STUB_LINES - 1)


def write_stubs(root, refs):
    for r in sorted(refs):
        p = os.path.join(root, r)
        if r.endswith("/"):
            os.makedirs(p, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
            if not os.path.exists(p):
                with open(p, "w") as f:
                    f.write(stub_text(r))


def plan(count, seed, defect_rate, opts):
    rng = random.Random(f"{seed}:plan")
    n_def = round(count * defect_rate)
    defective = set(rng.sample(range(count), n_def)) if count else set()
    order = sorted(defective)
    kinds = {i: DEFECTS[k % len(DEFECTS)] for k, i in enumerate(order)}
    jobs = []
    for i in range(count):
        shape = SHAPES[i % len(SHAPES)]
        kb = math.exp(rng.gauss(math.log(14.0), 0.6))
        kb = min(56.0, max(5.0, kb))
        jobs.append((seed, i, shape, int(kb * 1024), kinds.get(i), opts))
    return jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--count", type=int, help="number of documents (5-60 KB each)")
    g.add_argument("--single-mb", type=float, help="one document of about this many MB")
    g.add_argument("--single-kb", type=float, help="one document of about this many KB")
    g.add_argument("--adr", type=int, metavar="N", help="N short decision records in one folder, docs/adr/")
    ap.add_argument("--out", required=True, help="corpus folder (replaced if it exists)")
    ap.add_argument("--seed", default="archlint-bench-1")
    ap.add_argument("--defect-rate", type=float, default=0.10)
    ap.add_argument("--layout", choices=["nested", "flat"], default="nested",
                    help="nested: docs/dNNNNN/ARCHITECTURE.md; flat: every document in docs/")
    ap.add_argument("--native", action="store_true",
                    help="each document sectioned as its own template has it (fails comprehensive)")
    ap.add_argument("--dead-rate", type=float, default=0.0,
                    help="fraction of documents with one misspelt file reference")
    ap.add_argument("--repo-files", type=int, default=0,
                    help="this many extra non-document files (half in one folder), referenced by the documents")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()

    flat = a.layout == "flat" or a.adr is not None
    opts = {"up": "../" if flat else "../../", "native": a.native, "dead_rate": a.dead_rate, "extra_refs": {}}
    count = a.count if a.count is not None else a.adr
    extra = []
    if a.repo_files:
        rng = random.Random(f"{a.seed}:repo-files")
        for i in range(a.repo_files):
            if i % 2 == 0:
                extra.append(f"assets/generated/chunk-{i:06d}.js")
            else:
                extra.append(f"pkg/mod{i % 97:02d}/part{i // 97:04d}/file-{i:06d}.go")
        for i in range(count or 1):
            opts["extra_refs"][i] = rng.sample(extra, 3)
    if count is not None:
        jobs = plan(count, a.seed, a.defect_rate if a.adr is None else 0, opts)
    else:
        size = int(a.single_mb * 1024 * 1024) if a.single_mb else int(a.single_kb * 1024)
        jobs = [(a.seed, 0, "comprehensive", size, None, opts)]

    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(os.path.join(a.out, ".git"))
    include = '["docs/adr/*.md"]' if a.adr is not None else '["docs/*.md"]' if flat else '["**/ARCHITECTURE.md"]'
    with open(os.path.join(a.out, "archlint.toml"), "w") as f:
        f.write('# Written by benches/gen_corpus.py: check every generated document, nothing else.\n'
                f'include = {include}\n')

    refs = set(extra)
    manifest = []
    total = 0
    width = max(5, len(str(len(jobs))))
    chunk = max(1, len(jobs) // (a.jobs * 8))
    maker = make_adr if a.adr is not None else make_doc
    with Pool(a.jobs) as pool:
        for job, (text, doc_refs, where, dead) in zip(jobs, pool.imap(maker, jobs, chunksize=chunk)):
            _, i, shape, target, defect, _ = job
            if a.adr is not None:
                rel = f"docs/adr/{i + 1:04d}-{slugify(text.splitlines()[0].split('. ', 1)[1])[:40]}.md"
                shape = "decision record"
            elif flat:
                rel = f"docs/{shape}-{i + 1:0{width}d}.md"
            else:
                rel = f"docs/d{i + 1:0{width}d}/ARCHITECTURE.md"
            path = os.path.join(a.out, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = text.encode("utf-8")
            with open(path, "wb") as f:
                f.write(data)
            total += len(data)
            refs.update(doc_refs)
            manifest.append({"path": rel, "shape": shape, "bytes": len(data), "defect": defect, "where": where,
                             "dead": dead, "native": a.native})
    write_stubs(a.out, refs)
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump({"seed": a.seed, "documents": len(manifest), "bytes": total, "files": manifest}, f, indent=1)
    n_def = sum(1 for m in manifest if m["defect"])
    n_dead = sum(1 for m in manifest if m["dead"])
    print(f"{a.out}: {len(manifest)} documents, {total / 1e6:.1f} MB, {n_def} with a defect, {n_dead} with a dead "
          f"reference, {len(refs)} referenced paths stubbed", file=sys.stderr)


if __name__ == "__main__":
    main()
