#!/usr/bin/env python3
"""Regenerates the fuzz seed corpora under src/test/resources/io/rcsrouter/fuzz/ from what the repository holds:
samples/ and src/test/resources/bad-input/ (callback bodies), src/test/resources/classify/phrases.csv (texts), and
a few credential shapes. Run from the repository root after adding samples or bad-input cases; commit the result
(the build reads only the copied seeds). Files already there (crash-* findings kept as seeds) are not touched."""
import base64, csv, glob, hashlib, io, os

ROOT = "src/test/resources/io/rcsrouter/fuzz"
MAX_SEED = 16_384  # larger bodies (the 413 and token-count cases) would only slow every mutation down


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def bad_input_body(path):
    raw = open(path, "rb").read()
    head, body = raw.split(b"\n---\n", 1)
    if b"body-encoding: base64" in head:
        body = base64.b64decode(b"".join(body.split()))
    return body


bodies = {}
for p in sorted(glob.glob("samples/*/*.json")):
    bodies[p.replace("/", "-")] = open(p, "rb").read()
for p in sorted(glob.glob("src/test/resources/bad-input/*.txt")):
    bodies["bad-input-" + os.path.basename(p)] = bad_input_body(p)
for name, body in bodies.items():
    if len(body) <= MAX_SEED:
        write("CallbackParserFuzzTestInputs/parse", name, body)
        write("CrmMappingFuzzTestInputs/map", name, body)

# FuzzedDataProvider seeds: primitives are taken from the END of the input, strings from the start.
# classify: last byte 0 = typed text (then the whole rest is the text)
with open("src/test/resources/classify/phrases.csv", encoding="utf-8") as f:
    rows = list(csv.reader(line for line in f if not line.startswith("#")))
for i, row in enumerate(rows[1:] if rows and rows[0][0] == "expected" else rows):
    if len(row) >= 4:
        text = row[3].encode("utf-8")
        write("KeywordClassifierFuzzTestInputs/classify", "%03d-%s" % (i, hashlib.sha1(text).hexdigest()[:8]),
              text + b"\x00")

# credentials: last byte % 3 picks the check (0 Basic header, 1 bearer token, 2 token request body);
# for the token request, the byte before it says whether a Basic header comes first (odd: yes).
def b64(s):
    return base64.b64encode(s.encode()).decode()


def jwt(header, claims):
    part = lambda o: base64.urlsafe_b64encode(o.encode()).rstrip(b"=").decode()
    return part(header) + "." + part(claims) + "." + part("not-a-signature")


cred = {
    "basic-right": ("Basic " + b64("kaleyra:pa:ss")).encode() + b"\x00",
    "basic-wrong": ("basic   " + b64("kaleyra:nope") + "  ").encode() + b"\x00",
    "basic-no-colon": ("Basic " + b64("kaleyra")).encode() + b"\x00",
    "basic-not-base64": b"Basic !!!\x00",
    "bearer-unsigned": ("Bearer " + jwt('{"alg":"HS256","typ":"JWT"}',
        '{"iss":"rcs-callback-router","aud":"rcs-callbacks","sub":"client","exp":1776000000}')).encode() + b"\x01",
    "bearer-alg-none": ("Bearer " + jwt('{"alg":"none"}', '{"sub":"client"}')).encode() + b"\x01",
    "bearer-three-dots": b"Bearer a.b.c\x01",
    "form-right": b"grant_type=client_credentials&client_id=client&client_secret=secret\x00\x02",
    "form-encoded": b"client_id=cli%65nt&client_secret=s+cret\x00\x02",
    "json-snake": b'{"client_id":"client","client_secret":"secret"}\x00\x02',
    "json-camel": b'{"clientId":"client","clientSecret":1}\x00\x02',
    "basic-header-and-body": ("Basic " + b64("client:secret")).encode() + b"\x01\x02",
}
for name, data in cred.items():
    write("AuthFuzzTestInputs/credentials", name, data)
