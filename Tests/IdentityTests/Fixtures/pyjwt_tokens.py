"""Signs test tokens with PyJWT + cryptography, an implementation independent
of Gatehouse's own signer. Keys are generated here, at test time, and thrown
away. Prints {"jwks": {...}, "tokens": {"RS256": "...", ...}} on stdout.

Usage: python3 pyjwt_tokens.py ISSUER AUDIENCE
"""
import json
import sys
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

issuer, audience = sys.argv[1], sys.argv[2]
now = int(time.time())
claims = {"iss": issuer, "aud": [audience, "other"], "sub": "py-agent", "iat": now, "exp": now + 300,
          "scope": "read write", "azp": "py-client"}

rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
p256 = ec.generate_private_key(ec.SECP256R1())
p384 = ec.generate_private_key(ec.SECP384R1())
ed = ed25519.Ed25519PrivateKey.generate()

def jwk(alg_impl, key, kid, alg):
    d = json.loads(alg_impl.to_jwk(key.public_key()))
    d.update({"kid": kid, "alg": alg, "use": "sig"})
    return d

keys = [
    jwk(RSAAlgorithm, rsa_key, "py-rsa", "RS256"),
    jwk(RSAAlgorithm, rsa_key, "py-rsa-pss", "PS256"),
    jwk(ECAlgorithm, p256, "py-p256", "ES256"),
    jwk(ECAlgorithm, p384, "py-p384", "ES384"),
    jwk(OKPAlgorithm, ed, "py-ed", "EdDSA"),
]
tokens = {
    "RS256": jwt.encode(claims, rsa_key, algorithm="RS256", headers={"kid": "py-rsa"}),
    "PS256": jwt.encode(claims, rsa_key, algorithm="PS256", headers={"kid": "py-rsa-pss"}),
    "ES256": jwt.encode(claims, p256, algorithm="ES256", headers={"kid": "py-p256"}),
    "ES384": jwt.encode(claims, p384, algorithm="ES384", headers={"kid": "py-p384"}),
    "EdDSA": jwt.encode(claims, ed, algorithm="EdDSA", headers={"kid": "py-ed"}),
    # Signed with a key that is not published under the kid it names.
    "forged": jwt.encode(claims, rsa.generate_private_key(public_exponent=65537, key_size=2048),
                         algorithm="RS256", headers={"kid": "py-rsa"}),
}
print(json.dumps({"jwks": {"keys": keys}, "tokens": tokens}))
