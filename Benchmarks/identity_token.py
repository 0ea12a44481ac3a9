"""For Benchmarks/compare.sh --with-identity: makes an RSA 2048 key, writes
the public JWKS to DIR/jwks.json and prints one RS256 access token for
ISSUER (audience "gatehouse", scope "bench", valid for a day). Test keys
only, made at run time with `cryptography` and PyJWT.

Usage: python3 identity_token.py DIR ISSUER
"""
import json
import sys
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

directory, issuer = sys.argv[1], sys.argv[2]
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
public.update({"kid": "bench-1", "alg": "RS256", "use": "sig"})
with open(f"{directory}/jwks.json", "w") as f:
    json.dump({"keys": [public]}, f)
now = int(time.time())
claims = {"iss": issuer, "aud": "gatehouse", "sub": "bench-agent", "azp": "bench-client", "scope": "bench",
          "iat": now, "exp": now + 86400}
print(jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench-1", "typ": "at+jwt"}))
