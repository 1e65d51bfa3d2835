// A page-object style client, as test suites split their k6 code into modules.
import http from 'k6/http';
import { check } from 'k6';

export class ApiClient {
  constructor(base) {
    this.base = base;
    this.token = null;
  }

  login(user, password) {
    const res = http.post(`${this.base}/login`, { user, password });
    check(res, { 'login ok': (r) => r.status === 200 });
    this.token = res.json('token');
    return this;
  }

  get headers() {
    return { Authorization: `Bearer ${this.token}` };
  }

  me() {
    return http.get(`${this.base}/me`, { headers: this.headers });
  }

  static users(base) {
    return http.get(`${base}/api/users`).json('users');
  }
}
