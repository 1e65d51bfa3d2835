// k6 v2.2 examples/http_2.js, unchanged: run by test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts.
import http from "k6/http";
import { check } from "k6";

export default function () {
  check(http.get("https://quickpizza.grafana.com"), {
    "status is 200": (r) => r.status == 200,
    "protocol is HTTP/2": (r) => r.proto == "HTTP/2.0",
  });
}
