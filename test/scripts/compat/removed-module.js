// A script written for an older k6: k6 v2.2 refuses the module with its own message (jsmodules.go).
import redis from 'k6/experimental/redis';

export default function () {
  redis.Client;
}
