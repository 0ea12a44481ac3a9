"""The masking benchmarks' fixtures, written once for compare.sh and
mask-callgrind.sh: a 1 KiB JSON document holding three values the policy
redacts (a card number, an email, an SSN), and the 50-rule policy (49 deny
rules on paths and methods that never match, and one mask rule redacting 8
detectors in responses).

Usage: python3 Benchmarks/mask_fixtures.py PII_JSON POLICY_JSON
"""
import json
import sys


def pii_document():
    items = [{"id": i, "name": "item-%04d" % i, "ok": True} for i in range(16)]
    doc = {"customer": {"card": "4111 1111 1111 1111", "email": "alice@example.com", "ssn": "536-22-8901"},
           "items": items}
    return json.dumps(doc)[:1024]


def policy():
    rules = [{"id": "deny-%02d" % i, "match": {"paths": ["/never-%02d/**" % i], "methods": ["POST", "DELETE"]},
              "action": {"deny": {"status": 403, "message": "no"}}} for i in range(49)]
    rules.append({"id": "mask-responses", "match": {"routes": ["bench"]},
                  "action": {"mask": {"detectors": ["credit_card", "us_ssn", "email", "phone", "iban",
                                                    "aws_access_key_id", "github_token", "jwt"],
                                      "strategy": "redact", "direction": "response"}}})
    return {"route_defaults": {"*": "allow"}, "rules": rules}


if __name__ == "__main__":
    with open(sys.argv[1], "w") as f:
        print(pii_document(), file=f)
    with open(sys.argv[2], "w") as f:
        json.dump(policy(), f, indent=1)
