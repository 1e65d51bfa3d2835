// k6 v2.2 examples/tls_skip_cert_verification.js, unchanged: run by test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts.
import http from "k6/http";
import { check } from "k6";

export let options = {
    // When this option is enabled (set to true), all of the verifications
    // that would otherwise be done to establish trust in a server provided
    // TLS certificate will be ignored.
    insecureSkipTLSVerify: true
};

export default function() {
    let res = http.get("https://httpbin.org/");
    check(res, { "status is 200": (r) => r.status === 200 });
}
