// The ajv jslib as k6 scripts use it: compile a JSON schema once in init, validate API responses in the
// iteration, report Ajv 6's errors (dataPath, "should" messages, errorsText) through checks and a record.
import http from 'k6/http';
import { check } from 'k6';
import Ajv from 'https://jslib.k6.io/ajv/6.12.5/index.js';

export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };

const ajv = new Ajv({ allErrors: true });
ajv.addFormat('role', /^(admin|dev|ops)$/);
ajv.addSchema({ $id: 'user', type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string', minLength: 2 }, roles: { type: 'array', items: { type: 'string', format: 'role' } } } });
const listSchema = { type: 'object', required: ['count', 'users'], properties: { count: { type: 'integer' }, users: { type: 'array', items: { $ref: 'user' } } }, 'x-owner': 'team-a' };
const validateList = ajv.compile(listSchema);

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users`);
  const body = res.json();
  check(body, {
    'list matches the schema': (b) => validateList(b) === true,
    'no errors after a pass': () => validateList.errors === null,
    'a user by key': () => ajv.getSchema('user')(body.users[0]) === true,
  });

  const broken = { count: '2', users: [{ id: 0, name: 'x', roles: ['dev', 'boss'] }, { name: 7 }] };
  const ok = validateList(broken);
  const errors = validateList.errors;
  check(errors, {
    'invalid data fails': () => ok === false,
    'errors are an Array': (e) => e instanceof Array && Array.isArray(e),
    'dataPaths as Ajv 6 writes them': (e) => e.map((x) => x.dataPath).join(' ') === ".count .users[0].id .users[0].name .users[0].roles[1] .users[1] .users[1].name",
    'Ajv 6 messages': (e) => e[0].message === 'should be integer' && e[2].message === 'should NOT be shorter than 2 characters',
    'serialisable': (e) => JSON.parse(JSON.stringify(e))[4].params.missingProperty === 'id',
  });
  check(ajv.errorsText(errors), { 'errorsText': (t) => t.startsWith("data.count should be integer, data.users[0].id should be >= 1, ") && t.includes("data.users[1] should have required property 'id'") });

  check(ajv.validate({ type: 'string', format: 'no-such-format', 'x-note': 1 }, 'anything'), { 'unknown formats and keywords are ignored': (v) => v === true });
  check(ajv.validate('user', { id: 3 }), { 'validate by key fails': (v) => v === false });
  check(ajv.errorsText(), { 'errorsText of the last validate': (t) => t === "data should have required property 'name'" });
  check(new Ajv().errorsText(), { 'no errors': (t) => t === 'No errors' });
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ text: ajv.errorsText(errors, { separator: '\n', dataVar: 'body' }) }));
}
