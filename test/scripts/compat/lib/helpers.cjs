// A CommonJS helper module loaded with require().
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS k6 module, on purpose
const http = require('k6/http');

function totalDuration(urls) {
  return urls.reduce((sum, url) => sum + http.get(url).timings.duration, 0);
}

module.exports = { totalDuration, label: 'helpers' };
