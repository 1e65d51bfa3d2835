// A CommonJS helper module loaded with require().
const http = require('k6/http');

function totalDuration(urls) {
  return urls.reduce((sum, url) => sum + http.get(url).timings.duration, 0);
}

module.exports = { totalDuration, label: 'helpers' };
