#!/usr/bin/env python3
"""Records what n8n 2.41.1 sends for each case of requests.json and rewrites its `requests`.

usage: record.py   (needs ../../../../shared/n8n/setup.sh done; the env of ../shared/n8n/env.sh)

Each case's credential (an `oAuth2Api` data object on http://127.0.0.1:18191) is imported into a
scratch n8n home with a workflow Manual Trigger -> HTTP Request 4.2 (GET /api/items, generic
oAuth2Api); `n8n execute` runs it against server.py, which answers tokens `canary-access-N` and
401 to any other bearer. The logged requests are kept without the headers that vary by client
(user agent, host, connection, lengths)."""
import json, os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
PORT = 18191
KEEP = ("authorization", "content-type", "accept")


def workflow(i):
    return {"id": "oauth2RecWf%05d" % i, "name": "oauth2 rec %d" % i, "active": False,
            "settings": {"executionOrder": "v1"},
            "connections": {"Start": {"main": [[{"node": "HTTP Request", "type": "main", "index": 0}]]}},
            "nodes": [
                {"id": "a1", "name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1,
                 "position": [0, 0], "parameters": {}},
                {"id": "a2", "name": "HTTP Request", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2,
                 "position": [200, 0],
                 "parameters": {"url": "http://127.0.0.1:%d/api/items" % PORT, "authentication": "genericCredentialType",
                                "genericAuthType": "oAuth2Api", "options": {}},
                 "credentials": {"oAuth2Api": {"id": "oauth2RecCred%03d" % i, "name": "rec cred %d" % i}}}]}


def main():
    path = os.path.join(HERE, "requests.json")
    recording = json.load(open(path))
    scratch = tempfile.mkdtemp(prefix="oauth2-rec-")
    env = dict(os.environ, N8N_USER_FOLDER=os.path.join(scratch, "home"), N8N_RUNNERS_BROKER_PORT="5689",
               GENERIC_TIMEZONE="UTC", TZ="UTC")
    for i, case in enumerate(recording["cases"], 1):
        wf, cred, log = (os.path.join(scratch, "%s-%d.json" % (kind, i)) for kind in ("wf", "cred", "log"))
        json.dump(workflow(i), open(wf, "w"))
        json.dump([{"id": "oauth2RecCred%03d" % i, "name": "rec cred %d" % i, "type": "oAuth2Api",
                    "data": case["credential"]}], open(cred, "w"))
        server = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), str(PORT), log])
        time.sleep(0.5)
        try:
            for args in (["import:workflow", "--input=" + wf], ["import:credentials", "--input=" + cred],
                         ["execute", "--id=" + workflow(i)["id"], "--rawOutput"]):
                subprocess.run(["n8n"] + args, env=env, check=True, capture_output=True)
        finally:
            server.kill()
        case["requests"] = [
            {"method": e["method"], "path": e["path"],
             "headers": {k: e["headers"][k] for k in KEEP if k in e["headers"]}, "body": e["body"]}
            for e in map(json.loads, open(log))]
    json.dump(recording, open(path, "w"), indent=2)


if __name__ == "__main__":
    main()
