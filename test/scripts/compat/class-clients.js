// API clients as classes whose constructors log in (a common way to structure k6 suites): the
// constructor's http.post and sleep block as they do in k6, in base and derived classes alike.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = { vus: 2, iterations: 4, thresholds: { checks: ['rate==1'], 'http_reqs{step:login}': ['count==8'] } };

class Session {
  constructor(base, user, password) {
    this.base = base;
    const started = Date.now();
    const res = http.post(`${base}/login`, { user, password }, { tags: { step: 'login' } });
    this.token = res.json('token');
    sleep(0.1);
    this.waited = Date.now() - started;
  }

  headers() {
    return { Authorization: `Bearer ${this.token}` };
  }
}

class ProfileClient extends Session {
  constructor(base) {
    super(base, 'ann', 'secret');
    this.profile = http.get(`${this.base}/me`, { headers: this.headers() }).json();
  }
}

const Users = class extends ProfileClient {
  #count;
  constructor(base) {
    super(base);
    this.#count = http.get(`${this.base}/api/users`).json('count');
  }

  get count() {
    return this.#count;
  }
};

export default function () {
  const users = new Users(__ENV.BASE);
  check(users, {
    'constructor waited for the login': (u) => u.token === 'tok-ann' && u.waited >= 100,
    'derived constructor ran after its base': (u) => u.profile.name === 'ann',
    'private field set after blocking': (u) => u.count > 0,
  });
  const plain = new Session(__ENV.BASE, 'ann', 'wrong');
  check(plain, { 'a refused login leaves no token': (s) => s.token === undefined });
}
