#!/usr/bin/env python3
"""Generates the inspection benchmark's inputs (Docs/BENCHMARKS.md, "Inspection").

- corpus.jsonl: ~1 MiB of realistic JSON API responses, one response per line:
  user lists, orders, log pages, support tickets with free text, search
  results, audit events, metrics, config documents. About 1% of the values
  are PII or secrets (cards, SSNs, emails, phones, IBANs, IPv4 addresses,
  AWS/GitHub/Slack/Google keys, JWTs, a PEM key); the rest include the usual
  look-alikes (order numbers, UUIDs, timestamps, versions, hashes, prices).
  Some strings use JSON escapes (\\n, \\u00e9, \\/, \\u0040).
- patterns.json: 1,000 distinct named custom patterns of the kind operators
  write (internal ID formats, project code names, internal host names,
  ticket keys, account numbers). The benchmark uses the first 10 and all
  1,000; a few of them occur in the corpus.
- expected.json: every PII value or secret planted (decoded), in order, to
  check the detectors' findings on the corpus against.

Deterministic: a fixed seed and no clock; the same Python 3 gives the same
bytes (the sha256 is printed). Usage:

    python3 Benchmarks/inspect/make-corpus.py [--out DIR]   # default: .build/inspect-bench
"""
import argparse
import base64
import hashlib
import json
import os
import random

R = random.Random(20261125)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
HEX = "0123456789abcdef"


def rnd(n, alphabet=ALNUM):
    return "".join(R.choice(alphabet) for _ in range(n))


# ---------------------------------------------------------------- PII makers

def luhn_complete(prefix, length):
    body = prefix + rnd(length - len(prefix) - 1, DIGITS)
    total = 0
    for i, c in enumerate(reversed(body)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return body + str((10 - total % 10) % 10)


def card():
    prefix, length = R.choice([("4", 16), ("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("37", 15),
                               ("34", 15), ("6011", 16), ("65", 16), ("3530", 16)])
    n = luhn_complete(prefix, length)
    style = R.random()
    if style < 0.6:
        return n
    sep = " " if style < 0.8 else "-"
    if length == 15:
        return sep.join([n[:4], n[4:10], n[10:]])
    return sep.join(n[i:i + 4] for i in range(0, 16, 4))


def ssn():
    while True:
        area = R.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"


FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
         "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin", "zoe", "marta", "jonas", "li",
         "amara", "sofia", "kenji", "fatima", "lucas", "ines"]
LAST = ["smith", "jones", "garcia", "müller", "rossi", "dubois", "tanaka", "kowalski", "nguyen", "silva", "okafor",
        "andersen", "novak", "ivanova", "haddad", "fischer", "moreau", "costa", "kim", "patel"]
DOMAINS = ["example.com", "example.org", "mail.example.net", "corp.example.io", "example.co.uk", "exämple.de"]


def email():
    local = R.choice(FIRST) + R.choice([".", "_", ""]) + R.choice(LAST).replace("ü", "u")
    if R.random() < 0.3:
        local += str(R.randint(1, 99))
    return f"{local}@{R.choice(DOMAINS)}"


def phone():
    return R.choice([
        lambda: f"+1 ({R.randint(201, 989)}) {R.randint(201, 989)}-{R.randint(0, 9999):04d}",
        lambda: f"+44 20 {R.randint(7000, 8999)} {R.randint(0, 9999):04d}",
        lambda: f"+49{R.randint(30, 89)}{R.randint(1000000, 9999999)}",
        lambda: f"{R.randint(201, 989)}-{R.randint(201, 989)}-{R.randint(0, 9999):04d}",
        lambda: f"+33 6 {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)}",
    ])()


IBAN_BBAN = {"DE": (8, 10, None), "FR": (10, 11, 2), "NL": (4, 10, None), "GB": (4, 14, None), "ES": (0, 20, None)}


def iban():
    cc = R.choice(sorted(IBAN_BBAN))
    letters, digits, tail = IBAN_BBAN[cc]
    if cc in ("NL", "GB"):
        bban = rnd(4, UPPER) + rnd(digits, DIGITS)
    elif cc == "FR":
        bban = rnd(digits, DIGITS) + rnd(11, DIGITS) + rnd(2, DIGITS)
        bban = bban[:23]
    elif cc == "DE":
        bban = rnd(18, DIGITS)
    else:
        bban = rnd(20, DIGITS)
    numeric = "".join(str(int(c, 36)) for c in bban + cc + "00")
    check = 98 - int(numeric) % 97
    value = f"{cc}{check:02d}{bban}"
    if R.random() < 0.3:
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return value


def ipv4():
    return R.choice([f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
                     f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
                     f"203.0.113.{R.randint(1, 254)}"])


def b64url(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jwt():
    header = b64url(json.dumps({"alg": R.choice(["RS256", "HS256", "ES256"]), "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": f"usr_{rnd(10)}", "iss": "https://id.example.com", "exp": 1767225600 + R.randint(0, 10 ** 6)}).encode())
    return f"{header}.{payload}.{rnd(43, ALNUM + '-_')}"


def secret():
    return R.choice([
        lambda: "AKIA" + rnd(16, UPPER + "234567"),
        lambda: "ghp_" + rnd(36),
        lambda: "xoxb-" + rnd(12, DIGITS) + "-" + rnd(13, DIGITS) + "-" + rnd(24),
        lambda: "AIza" + rnd(35, ALNUM + "_-"),
        jwt,
    ])()


PEM = "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(rnd(64, ALNUM + "+/") for _ in range(12)) + "\n-----END RSA PRIVATE KEY-----"

# --------------------------------------------------------- look-alike values

def uuid():
    return f"{rnd(8, HEX)}-{rnd(4, HEX)}-4{rnd(3, HEX)}-{R.choice('89ab')}{rnd(3, HEX)}-{rnd(12, HEX)}"


def ts():
    return (f"2026-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:"
            f"{R.randint(0, 59):02d}.{R.randint(0, 999):03d}Z")


def price():
    return round(R.uniform(1, 2000), 2)


def version():
    return f"{R.randint(0, 12)}.{R.randint(0, 40)}.{R.randint(0, 200)}"


WORDS = ("the order was shipped from our warehouse and should arrive within three business days please contact "
         "support if anything is missing we have updated the invoice refund processed customer reported that the "
         "dashboard loads slowly after the last release build deployed to staging cluster rollback completed "
         "latency p99 increased migration finished backup verified retry scheduled token rotated quota exceeded "
         "feature flag enabled for beta users café naïve résumé straße 東京 données").split()


def sentence(n=None):
    n = n or R.randint(6, 18)
    s = " ".join(R.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def paragraph(k=None):
    return " ".join(sentence() for _ in range(k or R.randint(2, 6)))


# ------------------------------------------------------------- PII counting

class Budget:
    """Decides which PII-capable values carry PII, so that about 1% of all
    string and number values do, and counts both."""

    def __init__(self, rate):
        self.rate = rate
        self.values = 0
        self.pii = 0
        self.planted = []  # every PII value or secret written, for expected.json

    def value(self, v):
        self.values += 1
        return v

    def maybe(self, make, otherwise, weight=1.0):
        self.values += 1
        if R.random() < self.rate * weight:
            return self.plant(make())
        return otherwise()

    def plant(self, v):
        self.pii += 1
        self.planted.append(v)
        return v


B = Budget(0.022)
V = B.value


def tally(obj):
    """Counts leaf values (strings and numbers) of `obj` into the budget."""
    if isinstance(obj, dict):
        for v in obj.values():
            tally(v)
    elif isinstance(obj, list):
        for v in obj:
            tally(v)


# ------------------------------------------------------------ response kinds

def user():
    first, last = R.choice(FIRST), R.choice(LAST)
    return {
        "id": V(f"usr_{rnd(12)}"),
        "name": V(f"{first.title()} {last.title()}"),
        "username": V(f"{first}{R.randint(1, 999)}"),
        "contact": {
            "email": B.maybe(email, lambda: None, weight=8), "email_verified": R.random() < 0.8,
            "phone": B.maybe(phone, lambda: None, weight=4),
        },
        "roles": [V(r) for r in R.sample(["viewer", "editor", "admin", "billing", "support"], R.randint(1, 3))],
        "created_at": V(ts()),
        "last_login": {"at": V(ts()), "ip": B.maybe(ipv4, lambda: "[hidden]", weight=3), "agent": V(f"agent-cli/{version()}")},
        "preferences": {"locale": V(R.choice(["en-US", "de-DE", "fr-FR", "ja-JP"])), "theme": V(R.choice(["dark", "light"])),
                        "notifications": {"email": R.random() < 0.5, "sms": False}},
        "org": {"id": V(f"org_{rnd(8)}"), "plan": V(R.choice(["team", "enterprise", "free"])), "seats": V(R.randint(1, 500))},
    }


def users_page():
    n = R.randint(10, 30)
    return {"data": [user() for _ in range(n)], "meta": {"page": V(R.randint(1, 40)), "per_page": V(n), "total": V(R.randint(500, 5000)),
            "next": V(f"https:\\/\\/api.example.com\\/v2\\/users?page={R.randint(2, 41)}&cursor={rnd(24)}")}}


def order():
    items = [{"sku": V(f"SKU-{rnd(3, UPPER)}-{R.randint(1000, 9999)}"), "name": V(" ".join(R.sample(WORDS, 3)).title()),
              "qty": V(R.randint(1, 5)), "unit_price": V(price()), "tax_rate": V(R.choice([0.07, 0.19, 0.2]))}
             for _ in range(R.randint(1, 6))]
    return {
        "id": V(f"ord_{rnd(14)}"),
        "number": V(R.randint(10 ** 15, 10 ** 16 - 1)),  # 16-digit order number (rarely Luhn-valid with a card IIN)
        "status": V(R.choice(["paid", "shipped", "pending", "refunded"])),
        "customer": {"id": V(f"cus_{rnd(14)}"), "email": B.maybe(email, lambda: None, weight=6)},
        "items": items,
        "payment": {"method": V("card"), "brand": V(R.choice(["visa", "mastercard", "amex"])), "last4": V(f"{R.randint(0, 9999):04d}"),
                    "pan": B.maybe(card, lambda: None, weight=10), "exp": V(f"{R.randint(1, 12):02d}/{R.randint(27, 33)}"),
                    "fingerprint": V(rnd(16)), "iban": B.maybe(iban, lambda: None, weight=3)},
        "shipping": {"name": V(f"{R.choice(FIRST).title()} {R.choice(LAST).title()}"),
                     "address": {"line1": V(f"{R.randint(1, 999)} {R.choice(WORDS).title()} Street"), "city": V(R.choice(["Berlin", "Lyon", "Austin", "Osaka", "Leeds"])),
                                 "postal_code": V(f"{R.randint(10000, 99999)}"), "country": V(R.choice(["DE", "FR", "US", "JP", "GB"]))},
                     "tracking": V(f"1Z{rnd(6, UPPER + DIGITS)}{R.randint(10 ** 9, 10 ** 10 - 1)}"),
                     "phone": B.maybe(phone, lambda: None, weight=3)},
        "totals": {"subtotal": V(price()), "tax": V(price()), "shipping": V(round(R.uniform(0, 30), 2)), "currency": V(R.choice(["EUR", "USD", "GBP"]))},
        "created_at": V(ts()), "updated_at": V(ts()),
        "metadata": {"source": V(R.choice(["web", "ios", "android", "api"])), "ref": V(f"INV-{R.randint(2020, 2026)}-{R.randint(1, 99999):05d}"),
                     "ticket": V(f"OPS-{R.randint(100, 9999)}")},
    }


def orders_page():
    return {"orders": [order() for _ in range(R.randint(5, 15))], "has_more": R.random() < 0.5, "request_id": V(uuid())}


def log_entry():
    level = R.choice(["debug", "info", "info", "info", "warn", "error"])
    msg = R.choice([
        lambda: f"GET /api/v2/orders/{R.randint(1, 10 ** 6)} 200 {R.randint(1, 900)}ms",
        lambda: f"user usr_{rnd(12)} logged in from {B.maybe(ipv4, lambda: 'an unknown address', weight=3)}",
        lambda: f"payment failed for card ending {R.randint(0, 9999):04d}: insufficient funds",
        lambda: f"retrying upstream call (attempt {R.randint(1, 5)}/5) after {R.randint(1, 30)}s",
        lambda: f"deployed build {version()}+{rnd(7, HEX)} to {R.choice(['prod', 'staging'])}",
        lambda: f"config reloaded: {R.randint(1, 80)} routes, {R.randint(1, 20)} policies",
        lambda: f"slow query {R.randint(200, 9000)}ms: SELECT id, status FROM orders WHERE customer_id = $1 LIMIT 50",
        lambda: f"token refresh for client {rnd(8)} with {B.maybe(secret, lambda: 'a rotated credential', weight=3)}",
    ])()
    B.values += 1
    entry = {"ts": V(ts()), "level": V(level), "service": V(R.choice(["checkout", "auth", "search", "billing", "gateway"])),
             "msg": msg, "trace_id": V(rnd(32, HEX)), "span_id": V(rnd(16, HEX)), "duration_ms": V(round(R.uniform(0.1, 900), 3)),
             "host": V(f"ip-10-0-{R.randint(0, 255)}-{R.randint(0, 255)}.internal")}
    if level == "error":
        entry["error"] = {"type": V(R.choice(["TimeoutError", "ValueError", "UpstreamError"])),
                          "stack": V("\n".join(f"  at {R.choice(WORDS)}.{R.choice(WORDS)} (src/{R.choice(WORDS)}.ts:{R.randint(1, 900)}:{R.randint(1, 80)})" for _ in range(R.randint(3, 8))))}
    return entry


def logs_page():
    return {"logs": [log_entry() for _ in range(R.randint(20, 60))], "cursor": V(rnd(40)), "took_ms": V(R.randint(1, 300))}


def comment():
    text = paragraph()
    if R.random() < 0.25:
        text += "\n\n" + paragraph()
    B.values += 1
    if R.random() < 0.01 * 6:
        pii = B.plant(R.choice([email, phone, card, ssn, iban])())
        text += f" You can reach me at {pii} if needed."
    return {"id": V(R.randint(10 ** 6, 10 ** 7)), "author": V(f"{R.choice(FIRST)}.{R.choice(LAST)}"), "body": text, "created_at": V(ts()),
            "reactions": {"+1": V(R.randint(0, 20)), "heart": V(R.randint(0, 5))}}


def ticket():
    return {"ticket": {"id": V(f"SUP-{R.randint(1000, 99999)}"), "subject": V(sentence(R.randint(4, 9))), "status": V(R.choice(["open", "pending", "solved"])),
                       "priority": V(R.choice(["low", "normal", "high", "urgent"])), "requester": {"id": V(f"usr_{rnd(12)}"), "ssn": B.maybe(ssn, lambda: None, weight=8)},
                       "description": V(paragraph(R.randint(3, 8))), "tags": [V(R.choice(WORDS)) for _ in range(R.randint(1, 5))],
                       "comments": [comment() for _ in range(R.randint(1, 8))], "custom_fields": {"product_version": V(version()), "region": V(R.choice(["eu-west-1", "us-east-1"]))}}}


def search_page():
    hits = [{"id": V(uuid()), "score": V(round(R.uniform(0, 30), 4)), "title": V(sentence(R.randint(3, 8))),
             "snippet": V("…" + sentence() + "…"), "url": V(f"https://docs.example.com/{R.choice(WORDS)}/{rnd(6).lower()}"),
             "updated": V(ts()), "lang": V(R.choice(["en", "de", "fr", "ja"]))} for _ in range(R.randint(10, 25))]
    return {"query": V(" ".join(R.sample(WORDS, 2))), "hits": hits, "total": V(R.randint(10, 10 ** 5)), "took": V(R.randint(1, 90))}


def audit_event():
    actor = {"type": V("user"), "id": V(f"usr_{rnd(12)}"), "email": B.maybe(email, lambda: None, weight=5),
             "ip": B.maybe(ipv4, lambda: None, weight=3)}
    return {"id": V(f"evt_{rnd(20)}"), "action": V(R.choice(["repo.push", "member.added", "secret.rotated", "policy.updated", "login.success"])),
            "actor": actor, "target": {"type": V(R.choice(["repository", "member", "policy"])), "id": V(f"{R.randint(10 ** 5, 10 ** 8)}")},
            "changes": {"before": V(rnd(7, HEX)), "after": V(rnd(7, HEX))}, "occurred_at": V(ts()),
            "user_agent": V(f"Mozilla/5.0 (X11; Linux x86_64) Chrome/{R.randint(100, 131)}.0.{R.randint(1000, 6999)}.{R.randint(10, 200)}")}


def audit_page():
    return {"events": [audit_event() for _ in range(R.randint(10, 30))], "next_cursor": V(rnd(32))}


def metrics():
    series = [{"metric": V(R.choice(["http_requests_total", "latency_ms_p99", "cpu_seconds", "queue_depth"])),
               "labels": {"service": V(R.choice(["checkout", "auth", "search"])), "region": V(R.choice(["eu-west-1", "us-east-1"]))},
               "points": [[V(1767225600 + 60 * k), V(round(R.uniform(0, 5000), 3))] for k in range(R.randint(10, 30))]}
              for _ in range(R.randint(3, 8))]
    return {"series": series, "step": V(60), "from": V(ts()), "to": V(ts())}


def config_doc():
    cfg = {"service": V(R.choice(["billing", "checkout", "search"])), "version": V(version()),
           "env": {"LOG_LEVEL": V("info"), "DB_HOST": V(f"db-{R.randint(1, 9)}.internal"), "DB_USER": V("app"),
                   "API_TOKEN": B.maybe(secret, lambda: "${API_TOKEN}", weight=8), "FEATURE_FLAGS": V("beta_search,new_checkout")},
           "replicas": V(R.randint(1, 12)), "image": V(f"registry.example.com/{R.choice(WORDS)}:{version()}"),
           "checksum": V("sha256:" + rnd(64, HEX))}
    if R.random() < 0.35:
        B.values += 1
        cfg["tls"] = {"key": B.plant(PEM)}
    return {"config": cfg}


def internal_refs():
    """Values that match some of the custom patterns (internal IDs)."""
    return {"links": [{"kind": V("jira"), "key": V(f"PROJ{R.randint(0, 9)}-{R.randint(1, 9999)}")},
                      {"kind": V("account"), "key": V(f"ACCT-{rnd(2, UPPER)}-{R.randint(100000, 999999)}")},
                      {"kind": V("host"), "key": V(f"node-{R.randint(1, 99)}.svc{R.randint(0, 9)}.corp.example.com")}]}


KINDS = [(users_page, 3), (orders_page, 3), (logs_page, 3), (ticket, 3), (search_page, 2), (audit_page, 2), (metrics, 1),
         (config_doc, 1), (internal_refs, 1)]


def corpus(target):
    lines = []
    size = 0
    weighted = [k for k, w in KINDS for _ in range(w)]
    while size < target:
        doc = R.choice(weighted)()
        # Escaped forms: the raw `\/` in users_page URLs is in the string already; also some \u escapes.
        line = json.dumps(doc, ensure_ascii=R.random() < 0.15, separators=(",", ":") if R.random() < 0.6 else (", ", ": "))
        line = line.replace("\\\\/", "\\/")  # the `\/` escapes written above, as APIs that escape slashes send them
        lines.append(line)
        size += len(line.encode()) + 1
    return lines


# ----------------------------------------------------------- custom patterns

def key(j):
    """Jira-style project keys: PROJ0–PROJ9 (they occur in the corpus), then others."""
    return f"PROJ{j}" if j < 10 else "".join(random.Random(j).choice(UPPER) for _ in range(3)) + f"{j}"


def codename():
    return "".join(R.choice("bcdfghjklmnprstvz") + R.choice("aeiou") for _ in range(3))


def patterns(n):
    """`n` distinct named patterns of the shapes operators write. The first
    ten cover one of each family; names are unique."""
    out = []
    seen = set()
    families = [
        lambda j: (f"jira_{key(j)}", rf"\b{key(j)}-[0-9]{{1,5}}\b"),
        lambda j: (f"account_{j}", rf"\bACCT-[A-Z]{{2}}-{j:03d}[0-9]{{3}}\b"),
        lambda j: (f"corp_host_svc{j}", rf"\b[a-z0-9-]+\.svc{j}\.corp\.example\.com\b"),
        lambda j: (f"codename_{j}", rf"\bproject[ _-]?{codename()}\b"),
        lambda j: (f"employee_id_{j}", rf"\bE{j:04d}-[0-9]{{6}}\b"),
        lambda j: (f"contract_{j}", rf"\bCTR/{2000 + j % 30}/{rnd(3, UPPER)}/[0-9]{{4,6}}\b"),
        lambda j: (f"db_dsn_{j}", rf"\bpostgres://[a-z0-9_]+:[^@\s]+@db{j}\.internal\b"),
        lambda j: (f"api_key_{j}", rf"\bik{j:03d}_[A-Za-z0-9]{{32}}\b"),
        lambda j: (f"badge_{j}", rf"\bBADGE{j:04d}[A-Z]{{2}}\b"),
        lambda j: (f"vault_path_{j}", rf"\bsecret/data/team{j}/[a-z0-9/_-]+"),
    ]
    i = 0
    while len(out) < n:
        name, regex = families[i % len(families)](i // len(families))
        i += 1
        if name in seen:
            continue
        seen.add(name)
        out.append({"name": name, "regex": regex, "caseless": name.startswith("codename")})
    return out


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--out", default=os.path.join(root, ".build", "inspect-bench"))
    ap.add_argument("--bytes", type=int, default=1 << 20)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    lines = corpus(args.bytes)
    data = ("\n".join(lines) + "\n").encode()
    with open(os.path.join(args.out, "corpus.jsonl"), "wb") as f:
        f.write(data)
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(B.planted, f, ensure_ascii=False, indent=0)
        f.write("\n")
    pats = patterns(1000)
    with open(os.path.join(args.out, "patterns.json"), "w") as f:
        json.dump(pats, f, indent=0)
        f.write("\n")
    print(f"corpus.jsonl: {len(lines)} responses, {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"values: {B.values}, with PII or a secret: {B.pii} ({100.0 * B.pii / B.values:.2f}%)")
    print(f"patterns.json: {len(pats)} patterns")


if __name__ == "__main__":
    main()
