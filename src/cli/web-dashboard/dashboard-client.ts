// The browser side of Stampede's dashboard page and HTML report: plain JavaScript (no library, no
// network besides /events) that reads xk6-dashboard's events — from the live `/events` stream, or from
// the report's embedded `<script id="data">` — and draws summary tiles, inline-SVG line charts of the
// snapshots and a table of the cumulative values. It is shipped as text inside the page.
export const DASHBOARD_CLIENT_JS = String.raw`
(function () {
  'use strict';
  var names = [];          // every metric name, sorted as the data arrays are
  var info = {};           // name -> { type, contains, custom }
  var param = { aggregates: {} };
  var snapshots = [];      // { t, row: { name -> values } }
  var cumulative = null;   // { name -> values }
  var failures = null;     // threshold event: { metric -> [sources] }
  var state = 'waiting';

  function rowOf(data) {
    var row = {};
    for (var i = 0; i < names.length; i++) row[names[i]] = data[i] || [];
    return row;
  }
  function agg(row, metric, key) {
    var v = row && row[metric];
    var i = v && info[metric] ? (param.aggregates[info[metric].type] || []).indexOf(key) : -1;
    // A known counter without samples in a period counted nothing then.
    if (i >= 0 && v.length === 0 && info[metric].type === 'counter') return 0;
    return i >= 0 && v.length > i ? v[i] : undefined;
  }
  function onEvent(name, data) {
    if (name === 'param') param = data;
    else if (name === 'metric') {
      for (var k in data) { if (!(k in info)) names.push(k); info[k] = data[k]; }
      names.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    } else if (name === 'start') state = 'running';
    else if (name === 'snapshot') { var r = rowOf(data); snapshots.push({ t: agg(r, 'time', 'value'), row: r }); }
    // A threshold event follows its cumulative only while something fails.
    else if (name === 'cumulative') { cumulative = rowOf(data); failures = null; }
    else if (name === 'threshold') failures = data;
    else if (name === 'stop') state = 'ended';
    schedule();
  }

  var pending = false;
  function schedule() { if (!pending) { pending = true; setTimeout(function () { pending = false; render(); }, 50); } }

  function fmt(v, contains) {
    if (v === undefined || v === null || isNaN(v)) return '–';
    if (v === 0) return '0';
    if (contains === 'time') return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : v >= 1 ? v.toFixed(2) + ' ms' : (v * 1000).toFixed(0) + ' µs';
    if (contains === 'data') { var u = ['B', 'kB', 'MB', 'GB']; var i = 0; while (v >= 1000 && i < 3) { v /= 1000; i++; } return v.toFixed(i ? 1 : 0) + ' ' + u[i]; }
    return Number.isInteger(v) ? String(v) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3);
  }
  function pct(v) { return v === undefined ? '–' : (v * 100).toFixed(2) + ' %'; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) { var e = document.createElementNS(SVGNS, tag); for (var k in attrs) e.setAttribute(k, attrs[k]); return e; }

  var COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6'];
  function chart(title, series, contains) {
    var box = el('div', { 'class': 'chart' });
    box.appendChild(el('h3', {}, title));
    var W = 460, H = 160, L = 52, B = 20;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title });
    var pts = snapshots.filter(function (p) { return p.t !== undefined; });
    var max = 0;
    series.forEach(function (ser) { pts.forEach(function (p) { var v = ser.get(p.row); if (v !== undefined && v > max) max = v; }); });
    if (max === 0) max = 1;
    var t0 = pts.length ? pts[0].t : 0, t1 = pts.length ? pts[pts.length - 1].t : 1;
    var x = function (t) { return L + (t1 === t0 ? 0 : (t - t0) / (t1 - t0)) * (W - L - 8); };
    var y = function (v) { return 6 + (1 - v / max) * (H - B - 6); };
    for (var g = 0; g <= 2; g++) {
      var gv = max * g / 2;
      s.appendChild(svg('line', { x1: L, x2: W - 8, y1: y(gv), y2: y(gv), stroke: '#e5e7eb' }));
      var lab = svg('text', { x: L - 4, y: y(gv) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#6b7280' });
      lab.textContent = fmt(gv, contains); s.appendChild(lab);
    }
    if (pts.length) {
      var tl = svg('text', { x: W - 8, y: H - 4, 'text-anchor': 'end', 'font-size': 10, fill: '#6b7280' });
      tl.textContent = Math.round((t1 - t0) / 1000) + ' s'; s.appendChild(tl);
    }
    var legend = el('div', { 'class': 'legend' });
    series.forEach(function (ser, i) {
      var d = '';
      pts.forEach(function (p) { var v = ser.get(p.row); if (v === undefined) return; d += (d ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(v).toFixed(1); });
      if (d.indexOf('L') < 0 && d) {
        // A single point: a dot, since a one-point line draws nothing.
        var xy = d.slice(1).split(' ');
        s.appendChild(svg('circle', { cx: xy[0], cy: xy[1], r: 3, fill: COLORS[i % COLORS.length] }));
      } else if (d) s.appendChild(svg('path', { d: d, fill: 'none', stroke: COLORS[i % COLORS.length], 'stroke-width': 2 }));
      var item = el('span', {}, ser.label);
      item.style.borderColor = COLORS[i % COLORS.length];
      legend.appendChild(item);
    });
    box.appendChild(s);
    box.appendChild(legend);
    if (!pts.length) box.appendChild(el('p', { 'class': 'muted' }, 'no snapshot yet (one comes every ' + Math.round((param.period || 0) / 1000) + ' s)'));
    return box;
  }
  function tile(label, value) { var t = el('div', { 'class': 'tile' }); t.appendChild(el('div', { 'class': 'v' }, value)); t.appendChild(el('div', { 'class': 'l' }, label)); return t; }

  function render() {
    var root = document.getElementById('app');
    root.textContent = '';
    var head = el('p', { 'class': 'status ' + state }, state === 'running' ? 'Test running' : state === 'ended' ? 'Test ended' : 'Waiting for the test to start');
    if (param.scriptPath) head.appendChild(el('span', { 'class': 'muted' }, ' · ' + param.scriptPath));
    if (param.scenarios && param.scenarios.length) head.appendChild(el('span', { 'class': 'muted' }, ' · scenarios: ' + param.scenarios.join(', ')));
    root.appendChild(head);

    var c = cumulative || {};
    var tiles = el('div', { 'class': 'tiles' });
    tiles.appendChild(tile('HTTP requests', fmt(agg(c, 'http_reqs', 'count'))));
    tiles.appendChild(tile('request rate', agg(c, 'http_reqs', 'rate') === undefined ? '–' : fmt(agg(c, 'http_reqs', 'rate')) + '/s'));
    tiles.appendChild(tile('failed requests', pct(agg(c, 'http_req_failed', 'rate'))));
    tiles.appendChild(tile('p(95) request duration', fmt(agg(c, 'http_req_duration', 'p(95)'), 'time')));
    tiles.appendChild(tile('iterations', fmt(agg(c, 'iterations', 'count'))));
    tiles.appendChild(tile('checks passed', pct(agg(c, 'checks', 'rate'))));
    var last = snapshots.length ? snapshots[snapshots.length - 1].row : c;
    tiles.appendChild(tile('VUs', fmt(agg(last, 'vus', 'value'))));
    root.appendChild(tiles);

    var charts = el('div', { 'class': 'charts' });
    var get = function (m, k) { return function (row) { return agg(row, m, k); }; };
    charts.appendChild(chart('Request rate (req/s)', [{ label: 'http_reqs', get: get('http_reqs', 'rate') }]));
    charts.appendChild(chart('Virtual users', [{ label: 'vus', get: get('vus', 'value') }, { label: 'vus_max', get: get('vus_max', 'value') }]));
    charts.appendChild(chart('Request duration', [
      { label: 'p(90)', get: get('http_req_duration', 'p(90)') },
      { label: 'p(95)', get: get('http_req_duration', 'p(95)') },
      { label: 'p(99)', get: get('http_req_duration', 'p(99)') },
      { label: 'avg', get: get('http_req_duration', 'avg') }], 'time'));
    charts.appendChild(chart('Request failures (share)', [{ label: 'http_req_failed', get: get('http_req_failed', 'rate') }]));
    charts.appendChild(chart('Iteration rate (/s)', [{ label: 'iterations', get: get('iterations', 'rate') }]));
    charts.appendChild(chart('Checks passed (share)', [{ label: 'checks', get: get('checks', 'rate') }]));
    root.appendChild(charts);

    var thresholds = param.thresholds || {};
    if (Object.keys(thresholds).length) {
      root.appendChild(el('h2', {}, 'Thresholds'));
      var tt = el('table');
      var th = el('tr');
      ['metric', 'threshold', 'status'].forEach(function (h) { th.appendChild(el('th', {}, h)); });
      tt.appendChild(th);
      Object.keys(thresholds).sort().forEach(function (m) {
        thresholds[m].forEach(function (src) {
          var failed = failures && failures[m] && failures[m].indexOf(src) >= 0;
          // Only whole metrics are evaluated on the dashboard's values (as xk6-dashboard does).
          var status = m.indexOf('{') >= 0 ? '–' : failed ? '✗ failed' : c[m] && c[m].length ? '✓ passed' : '–';
          var r = el('tr');
          r.appendChild(el('td', {}, m));
          r.appendChild(el('td', {}, src));
          r.appendChild(el('td', { 'class': failed ? 'bad' : '' }, status));
          tt.appendChild(r);
        });
      });
      root.appendChild(tt);
    }
    ['trend', 'counter', 'rate', 'gauge'].forEach(function (type) {
      var rows = names.filter(function (n) { return n !== 'time' && info[n].type === type && c[n] && c[n].length; });
      if (!rows.length) return;
      var keys = param.aggregates[type] || [];
      root.appendChild(el('h2', {}, type === 'trend' ? 'Trends' : type === 'counter' ? 'Counters' : type === 'rate' ? 'Rates' : 'Gauges'));
      var table = el('table');
      var tr = el('tr');
      tr.appendChild(el('th', {}, 'metric'));
      keys.forEach(function (k) { tr.appendChild(el('th', {}, k)); });
      table.appendChild(tr);
      rows.forEach(function (n) {
        var r = el('tr');
        r.appendChild(el('td', {}, n));
        keys.forEach(function (k, i) { r.appendChild(el('td', {}, type === 'rate' ? pct(c[n][i]) : k === 'rate' ? fmt(c[n][i], info[n].contains === 'data' ? 'data' : undefined) + '/s' : fmt(c[n][i], info[n].contains))); });
        table.appendChild(r);
      });
      root.appendChild(table);
    });
  }

  var embedded = document.getElementById('data');
  if (embedded) {
    JSON.parse(embedded.textContent).forEach(function (e) { onEvent(e.event, e.data); });
    render();
    return;
  }
  render();
  var endpoint = new URLSearchParams(location.search).get('endpoint') || '/';
  var source = new EventSource(new URL('events', new URL(endpoint, location.href)).href);
  ['config', 'param', 'metric', 'start', 'snapshot', 'cumulative', 'threshold', 'stop'].forEach(function (n) {
    source.addEventListener(n, function (ev) {
      onEvent(n, JSON.parse(ev.data));
      // The run waits for open pages after stop: let it go.
      if (n === 'stop') source.close();
    });
  });
})();
`;
