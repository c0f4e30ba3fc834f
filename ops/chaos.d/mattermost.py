#!/usr/bin/env python3
"""A local Mattermost for the chaos test: the incoming-webhook contract of shared/REFERENCE.md.

POST /hooks/<id> with a JSON post. Every request is checked (the same checks as the Swift tests'
MattermostContract): a violation is answered 400 with Mattermost's error JSON and counted as a bad
request. A valid post is answered 429 (Retry-After) or 500 at the given small rates, so that the
notifier's retries are exercised, else 200 "ok" and appended to the capture file (JSON lines:
{"hook", "at", "post"}). GET /stats answers the counters as JSON.

usage: mattermost.py --port-file FILE --capture FILE [--hook ID] [--limit-rate R] [--fail-rate R]
                     [--retry-after S] [--seed N]
"""
import argparse
import json
import os
import random
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

POST_FIELDS = {"text", "channel", "username", "icon_url", "icon_emoji", "attachments", "props", "type", "priority"}
ATTACHMENT_FIELDS = {"fallback", "color", "pretext", "text", "author_name", "author_link", "author_icon",
                     "title", "title_link", "fields", "image_url", "thumb_url", "footer", "footer_icon"}
FIELD_FIELDS = {"title", "value", "short"}
TEXT_LIMIT = 16383  # runes (code points)
FOOTER_LIMIT = 300
PROPS_LIMIT = 800_000
BODY_LIMIT = 4 << 20  # far above any real post; a bigger one is a bug on our side
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def problems(content_type, body):
    """What is wrong with a request body; empty when Mattermost would take it as meant."""
    if not (content_type or "").lower().startswith("application/json"):
        return [f"content-type {content_type or 'none'}"]
    try:
        post = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ["body is not JSON"]
    if not isinstance(post, dict):
        return ["body is not a JSON object"]
    found = [f"post.{key} is not a known field" for key in sorted(post.keys() - POST_FIELDS)]
    for key in ("text", "channel", "username", "icon_url", "icon_emoji"):
        if key in post and not isinstance(post[key], str):
            found.append(f"{key} is not a string")
    text = post.get("text")
    if isinstance(text, str) and len(text) > TEXT_LIMIT:
        found.append(f"text over {TEXT_LIMIT} runes")
    if "props" in post and len(json.dumps(post["props"], ensure_ascii=False)) > PROPS_LIMIT:
        found.append(f"props over {PROPS_LIMIT} runes")
    attachments = post.get("attachments")
    if attachments is None:
        if not text:
            found.append("neither text nor attachments")
        return found
    if not isinstance(attachments, list):
        return found + ["attachments is not a list"]
    for index, attachment in enumerate(attachments):
        path = f"attachments[{index}]"
        if not isinstance(attachment, dict):
            found.append(f"{path} is not an object")
            continue
        found += attachment_problems(attachment, path)
    return found


def attachment_problems(attachment, path):
    found = [f"{path}.{key} is not a known field" for key in sorted(attachment.keys() - ATTACHMENT_FIELDS - {"ts"})]
    if "ts" in attachment:
        found.append(f"{path}.ts is not supported by Mattermost")
    if not isinstance(attachment.get("fallback"), str) or not attachment["fallback"]:
        found.append(f"{path}.fallback is required")
    for key, value in attachment.items():
        if key != "fields" and not isinstance(value, str):
            found.append(f"{path}.{key} is not a string")
    footer, text, color = attachment.get("footer"), attachment.get("text"), attachment.get("color")
    if isinstance(footer, str) and len(footer) > FOOTER_LIMIT:
        found.append(f"{path}.footer over {FOOTER_LIMIT} characters")
    if isinstance(text, str) and len(text) > TEXT_LIMIT:
        found.append(f"{path}.text over {TEXT_LIMIT} runes")
    if isinstance(color, str) and not COLOR.fullmatch(color):
        found.append(f"{path}.color {color} is not #RRGGBB")
    for key in ("title_link", "author_link"):
        link = attachment.get(key)
        if isinstance(link, str) and not link.startswith(("https://", "http://")):
            found.append(f"{path}.{key} is not a URL")
    fields = attachment.get("fields")
    if fields is None:
        return found
    if not isinstance(fields, list):
        return found + [f"{path}.fields is not a list"]
    for index, field in enumerate(fields):
        field_path = f"{path}.fields[{index}]"
        if not isinstance(field, dict):
            found.append(f"{field_path} is not an object")
            continue
        found += [f"{field_path}.{key} is not a known field" for key in sorted(field.keys() - FIELD_FIELDS)]
        if not isinstance(field.get("title"), str) or not isinstance(field.get("value"), str):
            found.append(f"{field_path} needs a title and a value")
        if "short" in field and not isinstance(field["short"], bool):
            found.append(f"{field_path}.short is not a boolean")
    return found


class Mattermost:
    def __init__(self, args):
        self.args = args
        self.hook = args.hook
        self.lock = threading.Lock()
        self.random = random.Random(args.seed)
        self.capture = open(args.capture, "a", encoding="utf-8")
        self.stats = {"requests": 0, "accepted": 0, "bad_requests": 0, "answered_429": 0, "answered_500": 0}
        self.bad = []  # the first problems seen, for the report

    def answer(self, path, content_type, body):
        """(status, headers, body) for one POST."""
        with self.lock:
            self.stats["requests"] += 1
        match = re.fullmatch(r"/hooks/([a-z0-9]+)", path)
        if not match or (self.hook and match.group(1) != self.hook):
            return self.refuse(400, "web.incoming_webhook.invalid.app_error", "Invalid webhook.", [f"unknown hook path {path}"])
        found = problems(content_type, body)
        if found:
            return self.refuse(400, "web.incoming_webhook.parse.app_error", "Unable to parse incoming data.", found)
        with self.lock:
            roll = self.random.random()
            if roll < self.args.limit_rate:
                self.stats["answered_429"] += 1
                seconds = str(self.args.retry_after)
                return 429, {"Content-Type": "text/plain", "Retry-After": seconds, "X-RateLimit-Limit": "10",
                             "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": seconds}, b"limit exceeded\n"
            if roll < self.args.limit_rate + self.args.fail_rate:
                self.stats["answered_500"] += 1
                return self.error(500, "app.post.save.app_error", "Unable to save the post.")
            self.stats["accepted"] += 1
            self.capture.write(json.dumps({"hook": match.group(1), "at": time.time(), "post": json.loads(body)}) + "\n")
            self.capture.flush()
        return 200, {"Content-Type": "text/plain"}, b"ok"

    def refuse(self, status, error_id, message, found):
        with self.lock:
            self.stats["bad_requests"] += 1
            self.bad.extend(found[: max(0, 20 - len(self.bad))])
        return self.error(status, error_id, message, "; ".join(found))

    @staticmethod
    def error(status, error_id, message, detail=""):
        body = json.dumps({"id": error_id, "message": message, "detailed_error": detail,
                           "request_id": uuid.uuid4().hex, "status_code": status}).encode()
        return status, {"Content-Type": "application/json"}, body

    def snapshot(self):
        with self.lock:
            return dict(self.stats, bad_examples=list(self.bad))


def handler(mattermost):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Mattermost (Go net/http) does

        def do_POST(self):
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                length = -1
            if not 0 <= length <= BODY_LIMIT:
                status, headers, body = mattermost.refuse(400, "web.incoming_webhook.parse.app_error",
                                                          "Unable to parse incoming data.", [f"content-length {length}"])
                self.close_connection = True
            else:
                payload = self.rfile.read(length)
                status, headers, body = mattermost.answer(self.path, self.headers.get("Content-Type"), payload)
            self.send(status, headers, body)

        def do_GET(self):
            if self.path != "/stats":
                self.send(404, {"Content-Type": "text/plain"}, b"not found\n")
                return
            self.send(200, {"Content-Type": "application/json"}, json.dumps(mattermost.snapshot()).encode())

        def send(self, status, headers, body):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True, help="the listening port is written here once ready")
    parser.add_argument("--capture", required=True, help="accepted posts are appended here, one JSON line each")
    parser.add_argument("--hook", default="", help="the only hook id accepted (any [a-z0-9]+ when empty)")
    parser.add_argument("--limit-rate", type=float, default=0.02, help="share of valid posts answered 429")
    parser.add_argument("--fail-rate", type=float, default=0.02, help="share of valid posts answered 500")
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After of a 429, in seconds")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(Mattermost(args)))
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as file:
        file.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
