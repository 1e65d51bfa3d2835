// Stampede's own dashboard page (served at /ui/) and HTML report (written to the `export` file, served
// at /report): one self-contained document each — inline CSS and the client script, no external
// asset. The report embeds the recorded events as JSON in `<script id="data" type="application/json">`.
import { DASHBOARD_CLIENT_JS } from './dashboard-client.ts';
import type { DashboardEvent } from './dashboard-feed.ts';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb}
header{background:#111827;color:#f9fafb;padding:10px 20px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:18px;margin:0}header a{color:#93c5fd}
main{padding:12px 20px}.muted{color:#6b7280}
.status{margin:4px 0 12px}.status.running{color:#047857}.status.ended{color:#374151}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:14px}
.tile{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px 14px;min-width:120px}
.tile .v{font-size:20px;font-weight:600}.tile .l{color:#6b7280;font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
.chart{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px}
.chart h3{margin:0 0 4px;font-size:14px}.chart svg{width:100%;height:auto}
.legend span{border-left:12px solid;padding-left:4px;margin-right:12px;font-size:12px}
table{border-collapse:collapse;background:#fff;margin-bottom:14px}
th,td{border:1px solid #e5e7eb;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
h2{font-size:16px;margin:18px 0 6px}.bad{color:#b91c1c;font-weight:600}
`;

function document(title: string, extraHead: string, nav: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${STYLE}</style>${extraHead}</head>
<body><header><h1>${title}</h1>${nav}</header><main id="app"></main>${body}
<script>${DASHBOARD_CLIENT_JS}</script></body></html>
`;
}

/** The live page: it reads `/events` (relative to `?endpoint=`, as xk6-dashboard's page). */
export function dashboardPage(): string {
  return document('Stampede web dashboard', '', '<a href="../report" target="_blank">Report</a>', '');
}

/** JSON that can sit inside a script element: no `</script>`, no HTML comment openers. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The report: the recorded events (xk6-dashboard's envelopes, `{ event, data }`) and the same page over them. */
export function reportPage(events: readonly DashboardEvent[], generatedAt: Date): string {
  const envelopes = events.map((e) => ({ event: e.name, data: e.data }));
  return document(
    'Stampede test report',
    '',
    `<span class="muted">generated ${generatedAt.toISOString()}</span>`,
    `<script id="data" type="application/json">${scriptSafeJson(envelopes)}</script>`,
  );
}
