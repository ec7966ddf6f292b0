// merit serve: the HTTP scoring service for ATS webhooks (src/serve/,
// docs/serve.md), and `merit serve hash-key` for its key file.
#include "cli.hpp"

#include "../serve/crypto.hpp"
#include "../serve/server.hpp"
#include "../serve/service.hpp"

#include <cstdio>
#include <grp.h>
#include <iostream>
#include <iterator>
#include <pwd.h>
#include <string>
#include <thread>
#include <unistd.h>

namespace merit::cli {
namespace {

const char* serve_help =
    "usage: merit serve --model M [--model M2 ...] --api-keys FILE [--listen HOST:PORT]\n"
    "                   [--threads N] [--audit-log F.jsonl] [--webhook-secret FILE]\n"
    "                   [--max-body BYTES] [--max-candidates N] [--max-in-flight N]\n"
    "                   [--max-depth N] [--timeout S] [--replay-window S] [--user NAME]\n"
    "       merit serve hash-key < key.txt >> keys.txt\n"
    "\n"
    "An HTTP/1.1 JSON service scoring candidates with the same library as the CLI and\n"
    "the C ABI (docs/serve.md; OpenAPI 3.1 at /openapi.json): POST /v1/score,\n"
    "/v1/evidence, /v1/roles and /v1/webhooks/greenhouse; GET /v1/models,\n"
    "/v1/models/{id}/profiles, /healthz, /metrics (Prometheus). Plain HTTP: put TLS in\n"
    "a reverse proxy in front of it.\n"
    "\n"
    "  --model M           competency model (JSON); repeat for several\n"
    "  --api-keys FILE     the accepted keys, one 'merit serve hash-key' line each; clients\n"
    "                      send 'Authorization: Bearer <key>'\n"
    "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0: any free\n"
    "                      port, printed on stderr)\n"
    "  --threads N         threads answering requests (default: every core)\n"
    "  --audit-log F       append decision records (merit.decision-log/1) for every scoring\n"
    "                      request before its response is sent\n"
    "  --webhook-secret F  file holding the secret shared with Greenhouse; turns on\n"
    "                      POST /v1/webhooks/greenhouse (Signature: sha256 <hex HMAC>)\n"
    "  --max-body BYTES    largest request body (default 1048576); larger: 413\n"
    "  --max-candidates N  candidates per request (default 1000); more: 413\n"
    "  --max-in-flight N   requests handled at once (default 256); more: 503, Retry-After\n"
    "  --max-depth N       JSON nesting depth (default 32); deeper: 400\n"
    "  --timeout S         seconds to receive a request or idle between requests (default 10)\n"
    "  --replay-window S   seconds a webhook signature is remembered (default 600); a\n"
    "                      repeat within it: 409\n"
    "  --user NAME         when started as root: switch to this user after binding; as\n"
    "                      root without it, merit serve refuses to start\n"
    "\n"
    "Signals: SIGTERM/SIGINT stop accepting, finish running requests and exit 0 within\n"
    "5 s; SIGHUP reloads the model files (running requests finish on the old ones; a\n"
    "bad file keeps the old models and is reported on stderr).\n"
    "\n"
    "exit status: 0 stopped by a signal, 2 bad command line, 3 bad model or key file,\n"
    "             4 file or socket error\n"
    "\n"
    "examples:\n"
    "  openssl rand -hex 32 > client.key && merit serve hash-key < client.key > keys.txt\n"
    "  merit serve --model competency_models/sales_enablement.json --api-keys keys.txt \\\n"
    "      --listen 127.0.0.1:8080 --audit-log decisions.jsonl\n";

std::string read_secret(const std::string& path) {
  std::string s = read_file(path);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (s.empty()) throw input_error(errc::value, path, "the webhook secret file is empty");
  return s;
}

int run_hash_key(args& a) {
  a.finish();
  std::string key((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  std::printf("%s\n", serve::hash_key_line(key).c_str());
  return exit_ok;
}

/// Root may bind, but does not serve: switch to `user` or refuse.
void leave_root(const std::optional<std::string>& user) {
  if (geteuid() != 0) return;
  if (!user)
    throw usage_error{"refusing to run as root; run as an unprivileged user, or pass --user NAME to switch to one "
                      "after binding"};
  const passwd* pw = getpwnam(user->c_str());
  if (!pw) throw usage_error{"--user: no user '" + *user + "'"};
  if (pw->pw_uid == 0) throw usage_error{"--user: '" + *user + "' is root; name an unprivileged user"};
  if (setgroups(0, nullptr) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
    throw input_error(errc::io, "--user", "could not switch to user '" + *user + "'");
}

int run_serve(args& a) {
  serve::options opt;
  opt.model_paths = a.values("--model");
  const auto keys = a.value("--api-keys");
  const std::string listen = a.value("--listen").value_or("127.0.0.1:8080");
  const auto threads = a.integer("--threads", 1, 1024);
  opt.audit_log_path = a.value("--audit-log").value_or("");
  const auto secret = a.value("--webhook-secret");
  serve::limits& lim = opt.limits;
  lim.max_body_bytes = static_cast<std::size_t>(a.integer("--max-body", 1024, 1LL << 30).value_or(lim.max_body_bytes));
  lim.max_candidates =
      static_cast<std::size_t>(a.integer("--max-candidates", 1, 1000000).value_or(lim.max_candidates));
  lim.max_in_flight = static_cast<std::size_t>(a.integer("--max-in-flight", 1, 100000).value_or(lim.max_in_flight));
  lim.max_depth = static_cast<std::size_t>(a.integer("--max-depth", 2, 1000).value_or(lim.max_depth));
  lim.request_timeout = std::chrono::seconds(a.integer("--timeout", 1, 3600).value_or(lim.request_timeout.count()));
  lim.replay_window =
      std::chrono::seconds(a.integer("--replay-window", 1, 86400 * 7).value_or(lim.replay_window.count()));
  const auto user = a.value("--user");
  if (auto sub = a.positional()) {
    if (*sub != "hash-key") throw usage_error{"unknown argument '" + *sub + "' (the subcommand is hash-key)"};
    return run_hash_key(a);
  }
  a.finish();
  if (opt.model_paths.empty()) throw usage_error{"missing required option --model"};
  if (!keys) throw usage_error{"missing required option --api-keys"};
  opt.api_keys_path = *keys;
  if (secret) opt.webhook_secret = read_secret(*secret);

  serve::service svc(std::move(opt));
  const unsigned n = threads ? static_cast<unsigned>(*threads) : std::max(1u, std::thread::hardware_concurrency());
  serve::server srv(svc, listen, n);
  leave_root(user);
  std::fprintf(stderr, "merit serve: listening on %s (%u threads)\n", srv.address().c_str(), n);
  return srv.run();
}

registrar reg_serve{{"serve", "an HTTP scoring service for ATS webhooks (docs/serve.md)", serve_help, &run_serve}};

}  // namespace
}  // namespace merit::cli
