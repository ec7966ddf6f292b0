"""Integration test of `merit serve` on a loopback port: authentication and
webhook signatures, the limits, signals, the decision log, and every endpoint
equal to the CLI on the same input. Standard library only.

usage: python3 test_serve.py MERIT_BINARY SOURCE_DIR
"""
import csv
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

MERIT = SRC = None
MODEL_ID = "sales_enablement"


def start_server(tmp, *extra, model=None, keys=None):
    """Starts merit serve on a free loopback port; returns (process, port)."""
    cmd = [MERIT, "serve", "--model", model or os.path.join(tmp, "model.json"),
           "--api-keys", keys or os.path.join(tmp, "keys.txt"), "--listen", "127.0.0.1:0", "--threads", "2"]
    if os.geteuid() == 0:
        cmd += ["--user", "nobody"]
    proc = subprocess.Popen(cmd + list(extra), stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    if "listening on 127.0.0.1:" not in line:
        proc.kill()
        raise RuntimeError("merit serve did not start: " + line + proc.stderr.read())
    port = int(line.split("listening on 127.0.0.1:")[1].split()[0])
    # Keep reading stderr so the server never blocks on a full pipe.
    proc.log = []
    threading.Thread(target=lambda: proc.log.extend(proc.stderr), daemon=True).start()
    return proc, port


def call(port, method, path, body=None, key=None, headers=None, raw=None):
    """One request; returns (status, headers dict, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = dict(headers or {})
    if key is not None:
        h["Authorization"] = "Bearer " + key
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    if data is not None:
        h.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    out = (r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    conn.close()
    return out


def cli(*args):
    r = subprocess.run([MERIT, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(args) + ": " + r.stderr)
    return r.stdout


def pool_documents():
    with open(os.path.join(SRC, "examples", "pool.csv")) as f:
        rows = list(csv.DictReader(f))
    return [{"candidate_id": r.pop("candidate_id"),
             "scores": {k: (float(v) if v.strip() else None) for k, v in r.items()}} for r in rows]


def evidence_documents():
    docs = {}
    with open(os.path.join(SRC, "examples", "evidence_long.csv")) as f:
        for r in csv.DictReader(f):
            cid = r.pop("candidate_id")
            r["value"] = r["value"] if r["value"].strip() else None
            docs.setdefault(cid, []).append(r)
    return [{"candidate_id": c, "evidence": ev} for c, ev in docs.items()]


def cli_rows(*args):
    return {r["candidate_id"]: r for r in map(json.loads, cli(*args, "--output-format", "jsonl", "--no-band",
                                                               "--quiet", "--explain").splitlines())}


class Serve(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="merit-serve-")
        os.chmod(cls.tmp, 0o755)
        cls.model = os.path.join(cls.tmp, "model.json")
        shutil.copy(os.path.join(SRC, "competency_models", "sales_enablement.json"), cls.model)
        os.chmod(cls.model, 0o644)
        cls.key = "k" * 8 + "0123456789abcdef-test-key"
        line = subprocess.run([MERIT, "serve", "hash-key"], input=cls.key + "\n", capture_output=True, text=True,
                              check=True).stdout
        with open(os.path.join(cls.tmp, "keys.txt"), "w") as f:
            f.write("# test key\n" + line)
        cls.secret = "greenhouse-shared-secret"
        with open(os.path.join(cls.tmp, "secret.txt"), "w") as f:
            f.write(cls.secret + "\n")
        cls.log = os.path.join(cls.tmp, "decisions.jsonl")
        cls.proc, cls.port = start_server(cls.tmp, "--webhook-secret", os.path.join(cls.tmp, "secret.txt"),
                                          "--audit-log", cls.log, "--timeout", "2")

    @classmethod
    def tearDownClass(cls):
        if cls.proc.poll() is None:
            cls.proc.terminate()
            cls.proc.wait(10)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def get(self, path, key=True):
        return call(self.port, "GET", path, key=self.key if key else None)

    def post(self, path, body=None, key=True, **kw):
        return call(self.port, "POST", path, body, key=self.key if key else None, **kw)

    def assertError(self, resp, status, code, message, pointer=None):
        st, headers, body = resp
        self.assertEqual(st, status, body)
        self.assertEqual(headers["content-type"], "application/json")
        err = {"code": code, "message": message}
        if pointer is not None:
            err["pointer"] = pointer
        self.assertEqual(json.loads(body), {"error": err})
        self.assertNotIn(self.tmp.encode(), body)

    # ---- authentication ---------------------------------------------------------

    def test_healthz_needs_no_key(self):
        st, _, body = self.get("/healthz", key=False)
        self.assertEqual((st, json.loads(body)), (200, {"status": "ok", "models": 1}))

    def test_missing_wrong_and_malformed_keys_get_401(self):
        msg = "send 'Authorization: Bearer <key>' with a key from the server's key file"
        for headers in ({}, {"Authorization": "Bearer wrong-key-wrong-key"}, {"Authorization": "Basic " + self.key},
                        {"Authorization": "Bearer " + self.key + "x"}):
            resp = call(self.port, "GET", "/v1/models", headers=headers)
            self.assertError(resp, 401, "unauthorized", msg)
            self.assertEqual(resp[1]["www-authenticate"], "Bearer")
        self.assertEqual(self.post("/v1/score", {"candidates": []}, key=False)[0], 401)

    def test_key_file_and_hash_key_errors(self):
        r = subprocess.run([MERIT, "serve", "hash-key"], input="short\n", capture_output=True, text=True)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(r.stderr, "merit serve: error: <stdin>: the key is 5 characters; use at least 16 random "
                                   "characters (e.g. 'openssl rand -hex 32')\n")
        bad = os.path.join(self.tmp, "bad_keys.txt")
        with open(bad, "w") as f:
            f.write("# comment\nnot a key line\n")
        r = subprocess.run([MERIT, "serve", "--model", self.model, "--api-keys", bad, "--listen", "127.0.0.1:0"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(r.stderr, "merit serve: error: %s:2: expected a line of 'merit serve hash-key': "
                                   "merit-key/1 <salt hex> <sha256 hex>\n" % bad)

    def test_command_line_errors(self):
        keys = os.path.join(self.tmp, "keys.txt")
        empty = os.path.join(self.tmp, "empty_secret.txt")
        open(empty, "w").close()
        cases = [
            (["--model", self.model], 2, "merit serve: missing required option --api-keys (see 'merit serve --help')"),
            (["--api-keys", keys], 2, "merit serve: missing required option --model (see 'merit serve --help')"),
            (["bogus"], 2, "merit serve: unknown argument 'bogus' (the subcommand is hash-key) "
                           "(see 'merit serve --help')"),
            (["--model", self.model, "--api-keys", keys, "--listen", "localhost:80"], 3,
             "merit serve: error: --listen: 'localhost' is not an IP address (give one, e.g. 127.0.0.1)"),
            (["--model", self.model, "--api-keys", keys, "--listen", "127.0.0.1"], 3,
             "merit serve: error: --listen: give HOST:PORT, e.g. 127.0.0.1:8080, got '127.0.0.1'"),
            (["--model", self.model, "--api-keys", keys, "--listen", "127.0.0.1:99999"], 3,
             "merit serve: error: --listen: the port must be a number 0..65535, got '99999'"),
            (["--model", self.model, "--api-keys", keys, "--webhook-secret", empty], 3,
             "merit serve: error: %s: the webhook secret file is empty" % empty),
            (["--model", self.model, "--model", self.model, "--api-keys", keys], 3,
             "merit serve: error: %s: model 'sales_enablement' is given twice; each --model needs its own id"
             % self.model),
        ]
        for args, code, message in cases:
            r = subprocess.run([MERIT, "serve", *args], capture_output=True, text=True, timeout=30)
            self.assertEqual((r.returncode, r.stderr), (code, message + "\n"), args)

    @unittest.skipUnless(os.geteuid() == 0, "needs root")
    def test_refuses_to_run_as_root_without_user(self):
        r = subprocess.run([MERIT, "serve", "--model", self.model, "--api-keys", os.path.join(self.tmp, "keys.txt"),
                            "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "merit serve: refusing to run as root; run as an unprivileged user, or pass "
                                   "--user NAME to switch to one after binding (see 'merit serve --help')\n")

    # ---- endpoints equal to the CLI ------------------------------------------------

    def test_models_and_profiles_equal_the_cli(self):
        st, _, body = self.get("/v1/models")
        self.assertEqual(st, 200)
        (m,) = json.loads(body)["models"]
        text = cli("profiles", self.model)
        self.assertTrue(text.startswith("%s %s - " % (m["id"], m["version"])), text[:80])
        listed = [ln for ln in text.splitlines() if ln and not ln.startswith(" ")][1:]
        self.assertEqual(m["profiles"], listed)
        st, _, body = self.get("/v1/models/%s/profiles" % MODEL_ID)
        self.assertEqual(st, 200)
        doc = json.loads(body)
        self.assertEqual([p["id"] for p in doc["profiles"]], listed)
        self.assertEqual(doc["model"]["content_hash"], m["content_hash"])
        self.assertError(self.get("/v1/models/nope/profiles"), 404, "not_found",
                         "unknown model 'nope' (this server has %s)" % MODEL_ID)

    def check_against_cli(self, results, rows, profile):
        self.assertEqual(len(results), len(rows))
        for r in results:
            c = rows[r["candidate_id"]]
            self.assertEqual(r["profile"], profile)
            self.assertEqual(r["status"], c["status"])
            if r["fit"] is None:
                self.assertIn(c["fit"], (None, ""))
            else:
                self.assertAlmostEqual(r["fit"], float(c["fit"]), places=6)
            self.assertAlmostEqual(r["coverage"], float(c["coverage"]), places=6)
            for comp, v in r["contributions"].items():
                self.assertAlmostEqual(v, float(c["contrib_" + comp]), places=6)

    def test_score_equals_the_cli_in_the_order_given(self):
        docs = pool_documents()[::-1]
        for profile in ("sales_enablement", "sales_operations"):
            st, _, body = self.post("/v1/score", {"model": MODEL_ID, "profile": profile, "candidates": docs})
            self.assertEqual(st, 200, body)
            results = json.loads(body)["results"]
            self.assertEqual([r["candidate_id"] for r in results], [d["candidate_id"] for d in docs])
            self.check_against_cli(results, cli_rows("score", "--model", self.model, "--profile", profile,
                                                     "--candidates", os.path.join(SRC, "examples", "pool.csv")), profile)

    def test_evidence_equals_the_cli(self):
        docs = evidence_documents()
        st, _, body = self.post("/v1/evidence", {"candidates": docs})
        self.assertEqual(st, 200, body)
        results = json.loads(body)["results"]
        self.assertTrue(all("evidence" in r for r in results))
        self.check_against_cli(results, cli_rows("score", "--model", self.model, "--evidence",
                                                 os.path.join(SRC, "examples", "evidence_long.csv")), "sales_enablement")

    def test_greenhouse_scorecards_equal_the_cli(self):
        path = os.path.join(SRC, "examples", "greenhouse_scorecards.json")
        with open(path) as f:
            cards = json.load(f)
        by = {}
        for c in cards:
            by.setdefault(c["candidate_id"], []).append(c)
        docs = [{"candidate_id": cid, "greenhouse_scorecards": cs} for cid, cs in by.items()]
        st, _, body = self.post("/v1/evidence", {"candidates": docs})
        self.assertEqual(st, 200, body)
        self.check_against_cli(json.loads(body)["results"], cli_rows("score", "--model", self.model, "--evidence", path),
                               "sales_enablement")

    def test_roles_equal_merit_roles(self):
        docs = pool_documents()
        st, _, body = self.post("/v1/roles", {"candidates": docs})
        self.assertEqual(st, 200, body)
        want = [json.loads(ln) for ln in cli("roles", "--model", self.model, "--candidates",
                                             os.path.join(SRC, "examples", "pool.csv")).splitlines()]
        self.assertEqual(json.loads(body)["results"], want)

    def test_openapi_is_the_document_in_docs(self):
        st, _, body = self.get("/openapi.json", key=False)
        self.assertEqual(st, 200)
        with open(os.path.join(SRC, "docs", "openapi.json")) as f:
            self.assertEqual(json.loads(body), json.load(f))
        self.assertEqual(json.loads(body)["openapi"], "3.1.0")

    # ---- bad input ----------------------------------------------------------------

    def test_bad_bodies_get_typed_errors(self):
        self.assertError(self.post("/v1/score", raw=b'{"candidates": [}'), 400, "parse",
                         "the body: invalid JSON: syntax error while parsing value - unexpected '}'; expected "
                         "'[', '{', or a literal (at 1:17)")
        self.assertError(self.post("/v1/score", raw=b"[1]"), 422, "schema", "the body must be a JSON object")
        self.assertError(self.post("/v1/score", {"profile": "sales_enablement"}), 422, "schema",
                         "missing required key 'candidates'")
        self.assertError(self.post("/v1/score", {"candidates": {}}), 422, "schema",
                         "candidates must be an array of candidate documents", "/candidates")
        self.assertError(self.post("/v1/score", {"candidates": [], "top": 3}), 422, "schema",
                         "unknown key 'top' (expected 'model', 'profile', 'candidates')", "/top")
        self.assertError(self.post("/v1/score", {"model": "x", "candidates": []}), 422, "not_found",
                         "unknown model 'x' (this server has sales_enablement)", "/model")
        self.assertError(self.post("/v1/score", {"profile": "cfo", "candidates": []}), 422, "not_found",
                         "unknown profile 'cfo' in model 'sales_enablement' (it has sales_enablement, "
                         "sales_operations, head_of_sales_enablement, vp_sales_enablement_and_operations)", "/profile")
        self.assertError(self.post("/v1/score", {"candidates": [{"candidate_id": "a", "scores": {"nope": 3}}]}), 422,
                         "reference", json.loads(self.capi_error({"candidate_id": "a", "scores": {"nope": 3}}))[0],
                         "/candidates/0" + json.loads(self.capi_error({"candidate_id": "a", "scores": {"nope": 3}}))[1])
        self.assertError(self.post("/v1/evidence", {"candidates": pool_documents()[:1]}), 422, "schema",
                         "POST /v1/evidence takes 'evidence' or 'greenhouse_scorecards'; send competency scores to "
                         "/v1/score", "/candidates/0/scores")
        self.assertError(self.post("/v1/nothing", {}), 404, "not_found", "no endpoint /v1/nothing (see /openapi.json)")
        self.assertError(self.get("/v1/score"), 405, "method_not_allowed", "use POST on /v1/score")

    def capi_error(self, doc):
        """The C ABI's message and location for a document, as the CLI's candidate reader gives it."""
        path = os.path.join(self.tmp, "one.json")
        with open(path, "w") as f:
            json.dump([doc], f)
        r = subprocess.run([MERIT, "score", "--model", self.model, "--candidates", path], capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 3)
        # merit score: error: FILE#/0/scores/nope: message
        place, message = r.stderr.strip().split(": error: ", 1)[1].split(": ", 1)
        return json.dumps([message, place.split("#/0", 1)[1]])

    def test_protected_attributes_are_refused_as_in_the_cli(self):
        self.assertError(self.post("/v1/score", {"candidates": [], "gender": "f"}), 422, "protected_attribute",
                         "key 'gender' names a protected characteristic ('gender'); demographic data never enters a "
                         "score", "/gender")
        doc = {"candidate_id": "a", "scores": {"content_clarity": 3, "ethnicity": 2}}
        message, place = json.loads(self.capi_error(doc))
        self.assertError(self.post("/v1/score", {"candidates": [doc]}), 422, "protected_attribute", message,
                         "/candidates/0" + place)

    # ---- limits -------------------------------------------------------------------

    def test_body_over_the_limit_gets_413(self):
        big = json.dumps({"candidates": [{"candidate_id": "x" * (1 << 20), "scores": {}}]}).encode()
        self.assertError(self.post("/v1/score", raw=big), 413, "body_too_large", "the body is larger than 1048576 bytes")

    def test_too_many_candidates_get_413(self):
        docs = [{"candidate_id": str(i), "scores": {}} for i in range(1001)]
        self.assertError(self.post("/v1/score", {"candidates": docs}), 413, "too_many_candidates",
                         "the body has 1001 candidates; send at most 1000 per request", "/candidates")

    def test_nesting_deeper_than_the_limit_gets_400(self):
        deep = b'{"candidates": ' + b"[" * 40 + b"]" * 40 + b"}"
        self.assertError(self.post("/v1/score", raw=deep), 400, "too_deep",
                         "the body nests arrays and objects deeper than 32 levels (at byte 46)")

    def test_slow_clients_are_cut_off(self):
        s = socket.create_connection(("127.0.0.1", self.port))
        s.sendall(b"POST /v1/score HTTP/1.1\r\nHost: x\r\n")
        s.settimeout(10)
        t0 = time.monotonic()
        self.assertEqual(s.recv(100), b"")
        self.assertLess(time.monotonic() - t0, 5)
        s.close()

    def test_malformed_http_gets_400(self):
        s = socket.create_connection(("127.0.0.1", self.port))
        s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        s.settimeout(10)
        data = s.recv(1000)
        s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 400"), data)
        self.assertIn(b'{"error":{"code":"bad_request","message":"the request is not well-formed HTTP/1.1"}}', data)

    def test_concurrency_over_the_limit_gets_503_with_retry_after(self):
        proc, port = start_server(self.tmp, "--max-in-flight", "1")
        try:
            docs = evidence_documents() * 2
            body = json.dumps({"candidates": docs}).encode()
            statuses, bad = [], []

            def one():
                st, headers, b = call(port, "POST", "/v1/evidence", key=self.key, raw=body)
                statuses.append(st)
                if st == 503 and (headers.get("retry-after") != "1" or json.loads(b) != {"error": {
                        "code": "overloaded",
                        "message": "the server is answering 1 requests already; retry after the time in Retry-After"}}):
                    bad.append(b)

            for _ in range(5):
                threads = [threading.Thread(target=one) for _ in range(12)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                if 503 in statuses:
                    break
            self.assertEqual(bad, [])
            self.assertIn(503, statuses)
            self.assertIn(200, statuses)
            self.assertEqual(set(statuses), {200, 503})
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(10), 0)

    def test_headers_over_the_limit_get_431(self):
        resp = call(self.port, "GET", "/v1/models", key=self.key, headers={"X-Padding": "p" * 17000})
        self.assertError(resp, 431, "headers_too_large", "the request line and headers are larger than 16384 bytes")

    # ---- webhooks -----------------------------------------------------------------

    def signed(self, raw, secret=None):
        digest = hmac.new((secret or self.secret).encode(), raw, hashlib.sha256).hexdigest()
        return {"Signature": "sha256 " + digest}

    def test_webhook_signature_and_replay(self):
        raw = json.dumps({"candidates": evidence_documents()[:2]}).encode()
        st, _, body = self.post("/v1/webhooks/greenhouse", raw=raw, key=False, headers=self.signed(raw))
        self.assertEqual(st, 200, body)
        st2, _, body2 = self.post("/v1/evidence", raw=raw)
        self.assertEqual(json.loads(body), json.loads(body2))
        self.assertError(self.post("/v1/webhooks/greenhouse", raw=raw, key=False, headers=self.signed(raw)), 409,
                         "replayed", "this signature was already received within the replay window")
        msg = "the Signature header must be 'sha256 <hex HMAC-SHA256 of the body with the shared secret>'"
        other = raw.replace(b"candidates", b"candidates", 1) + b" "
        for headers in ({}, self.signed(other, secret="wrong"), {"Signature": "sha1 abc"},
                        {"Signature": "sha256 zz"}, self.signed(raw[:-1])):
            self.assertError(self.post("/v1/webhooks/greenhouse", raw=other, key=False, headers=headers), 401,
                             "bad_signature", msg)

    def test_webhooks_are_off_without_a_secret(self):
        proc, port = start_server(self.tmp)
        try:
            raw = b'{"candidates": []}'
            self.assertError(call(port, "POST", "/v1/webhooks/greenhouse", raw=raw, headers=self.signed(raw)), 404,
                             "not_found", "webhooks are off: start the server with --webhook-secret FILE")
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(10), 0)

    def test_a_failed_webhook_can_be_retried(self):
        raw = json.dumps({"candidates": [{"candidate_id": "z", "evidence": [{"competency_id": "nope"}]}]}).encode()
        first = self.post("/v1/webhooks/greenhouse", raw=raw, key=False, headers=self.signed(raw))
        self.assertEqual(first[0], 422)
        self.assertEqual(self.post("/v1/webhooks/greenhouse", raw=raw, key=False, headers=self.signed(raw)), first)

    # ---- the decision log and metrics ----------------------------------------------

    def test_every_decision_is_logged_before_its_response(self):
        docs = pool_documents()[:3]
        raw = json.dumps({"profile": "sales_operations", "candidates": docs}).encode()
        st, _, body = self.post("/v1/score", raw=raw)
        self.assertEqual(st, 200)
        # Read as soon as the response arrived: the block must be there already.
        with open(self.log) as f:
            lines = [json.loads(ln) for ln in f]
        digest = hashlib.sha256(raw).hexdigest()
        at = next(i for i, r in enumerate(lines) if r["record"] == "header" and r["input"]["sha256"] == digest)
        header, records = lines[at], lines[at + 1:at + 4]
        st, _, models = self.get("/v1/models")
        self.assertEqual(header["model"]["content_hash"], json.loads(models)["models"][0]["content_hash"])
        self.assertEqual(header["profile"]["id"], "sales_operations")
        self.assertEqual(header["command_line"], "merit serve POST /v1/score")
        results = {r["candidate_id"]: r for r in json.loads(body)["results"]}
        self.assertEqual(sorted(r["candidate_id"] for r in records), sorted(results))
        for rec in records:
            self.assertEqual(rec["status"], results[rec["candidate_id"]]["status"])
            self.assertEqual(rec["fit"], results[rec["candidate_id"]]["fit"])

    def test_metrics(self):
        self.post("/v1/score", {"candidates": pool_documents()[:2]})
        st, headers, body = self.get("/metrics")
        self.assertEqual(st, 200)
        self.assertEqual(headers["content-type"], "text/plain; version=0.0.4")
        text = body.decode()
        self.assertRegex(text, r'merit_http_requests_total\{endpoint="/v1/score",status="200"\} [1-9]')
        self.assertRegex(text, r'merit_http_request_duration_seconds_bucket\{endpoint="/v1/score",le="\+Inf"\} [1-9]')
        self.assertRegex(text, r"merit_candidates_scored_total [1-9]")
        self.get("/v1/models", key=False)
        self.assertRegex(self.get("/metrics")[2].decode(), r'merit_http_errors_total\{kind="unauthorized"\} [1-9]')
        self.assertEqual(self.get("/metrics", key=False)[0], 401)


class Signals(unittest.TestCase):
    def setUp(self):
        Serve.setUpClass.__func__(self)

    def tearDown(self):
        Serve.tearDownClass.__func__(self)

    def test_sighup_reloads_without_dropping_a_request(self):
        docs = pool_documents()
        body = json.dumps({"candidates": docs}).encode()
        statuses = []
        stop = threading.Event()

        def load():
            while not stop.is_set():
                statuses.append(call(self.port, "POST", "/v1/score", key=self.key, raw=body)[0])

        workers = [threading.Thread(target=load) for _ in range(4)]
        for w in workers:
            w.start()
        for _ in range(5):
            time.sleep(0.2)
            self.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        stop.set()
        for w in workers:
            w.join()
        self.assertGreater(len(statuses), 5)
        self.assertEqual(set(statuses), {200})
        metrics = call(self.port, "GET", "/metrics", key=self.key)[2].decode()
        # Signals arriving while a reload runs may coalesce into one: count what stderr reports.
        reloads = sum(ln == "merit serve: models and API keys reloaded\n" for ln in self.proc.log)
        self.assertGreaterEqual(reloads, 1)
        self.assertIn("merit_model_reloads_total %d\n" % reloads, metrics)

    def test_a_bad_model_file_on_reload_keeps_the_old_models(self):
        with open(self.model, "w") as f:
            f.write("{")
        self.proc.send_signal(signal.SIGHUP)
        time.sleep(1)
        self.assertEqual(call(self.port, "POST", "/v1/score", {"candidates": pool_documents()[:1]}, key=self.key)[0],
                         200)
        self.assertTrue(any(ln.startswith("merit serve: reload failed, still serving the previous models and keys: ")
                            for ln in self.proc.log), self.proc.log)

    def test_sighup_rotates_the_api_keys(self):
        new_key = "n" * 8 + "fedcba9876543210-new-key"
        line = subprocess.run([MERIT, "serve", "hash-key"], input=new_key + "\n", capture_output=True, text=True,
                              check=True).stdout
        with open(os.path.join(self.tmp, "keys.txt"), "w") as f:
            f.write(line)
        self.assertEqual(call(self.port, "GET", "/v1/models", key=new_key)[0], 401)  # not before the signal
        self.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while "merit serve: models and API keys reloaded\n" not in self.proc.log and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(call(self.port, "GET", "/v1/models", key=new_key)[0], 200)
        self.assertEqual(call(self.port, "GET", "/v1/models", key=self.key)[0], 401)

    def test_sigterm_drains_in_flight_requests_and_exits_0(self):
        body = json.dumps({"candidates": evidence_documents() * 2}).encode()
        out = []
        t = threading.Thread(target=lambda: out.append(call(self.port, "POST", "/v1/evidence", key=self.key,
                                                            raw=body)))
        idle = socket.create_connection(("127.0.0.1", self.port))  # an idle keep-alive client must not hold it up
        t.start()
        time.sleep(0.05)
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.proc.wait(10), 0)
        self.assertLess(time.monotonic() - t0, 5)
        t.join()
        idle.close()
        self.assertEqual(out[0][0], 200)


    def test_sigterm_lets_a_request_being_received_finish(self):
        body = json.dumps({"candidates": pool_documents()[:2]}).encode()
        s = socket.create_connection(("127.0.0.1", self.port))
        s.sendall(b"POST /v1/score HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n"
                  % (self.key.encode(), len(body)) + body[:100])
        time.sleep(0.3)
        self.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        s.sendall(body[100:])
        s.settimeout(10)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 200 OK\r\n"), data[:200])
        self.assertIn(b"Connection: close\r\n", data)
        self.assertEqual(self.proc.wait(10), 0)

if __name__ == "__main__":
    MERIT, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
