// Store records → the v6 response models. Field names and null-ness follow the spec's schemas; the
// response-schema checks in the tests hold these functions to it.
import { computeCost, isFinalStatus, runningSeconds } from '../domain/index.ts';
import type { TestCost } from '../domain/index.ts';
import { parseRunText } from '../store/index.ts';
import type { LoadTestRecord, LoadZoneRecord, ProjectLimitsRecord, ProjectRecord, TestRunListRecord, TestRunText } from '../store/index.ts';

/**
 * A project as v6 ProjectApiModel; `labels` maps each of its label keys to the value. Stampede has no
 * Grafana folders, yet `grafana_folder_uid` is a string, fixed per project: Grafana's Terraform provider
 * dereferences it whenever the key is present (a null crashes the provider), as Grafana Cloud always has one.
 */
export function projectView(p: ProjectRecord, labels: Readonly<Record<string, string>> = {}) {
  return { id: p.id, name: p.name, is_default: p.isDefault, grafana_folder_uid: projectFolderUid(p.id), created: p.created.toISOString(), updated: p.updated.toISOString(), labels };
}

/** The folder uid a project answers with: `stampede-project-<id>`, within Grafana's 40-character uids. */
function projectFolderUid(projectId: number): string {
  return `stampede-project-${projectId}`;
}

export function limitsView(l: ProjectLimitsRecord) {
  return {
    project_id: l.projectId,
    vuh_max_per_month: l.vuh_max_per_month,
    vu_max_per_test: l.vu_max_per_test,
    vu_browser_max_per_test: l.vu_browser_max_per_test,
    duration_max_per_test: l.duration_max_per_test,
  };
}

export function loadTestView(t: LoadTestRecord) {
  return {
    id: t.id,
    project_id: t.projectId,
    name: t.name,
    baseline_test_run_id: t.baselineTestRunId,
    k6_version: t.k6Version,
    created: t.created.toISOString(),
    updated: t.updated.toISOString(),
  };
}

export function loadZoneView(z: LoadZoneRecord) {
  return { id: z.id, name: z.name, k6_load_zone_id: z.k6LoadZoneId, available: z.available, custom_load_runner_image: z.customLoadRunnerImage, public: z.public };
}

/**
 * A run as v6 TestRunApiModel. While a run is not final, `execution_duration` counts up to `now` and,
 * when the orchestrator has not stored a cost yet, the cost is the estimate from the plan.
 */
export function testRunView(r: TestRunListRecord, now: Date) {
  const final = isFinalStatus(r.status);
  const last = r.statusHistory[r.statusHistory.length - 1];
  return {
    id: r.id,
    test_id: r.loadTestId,
    project_id: r.projectId,
    started_by: r.startedBy,
    created: r.created.toISOString(),
    ended: r.ended?.toISOString() ?? null,
    note: r.note,
    retention_expiry: r.retentionExpiry?.toISOString() ?? null,
    cost: r.cost ?? estimatedCost(r, final),
    status: r.status,
    status_details: last ?? { type: r.status, entered: r.created.toISOString(), extra: null },
    status_history: r.statusHistory,
    distribution: r.distribution,
    result: r.result,
    result_details: r.resultDetails,
    options: r.options,
    k6_dependencies: r.k6Dependencies,
    k6_versions: r.k6Versions,
    max_vus: r.maxVus,
    max_browser_vus: r.maxBrowserVus,
    estimated_duration: r.estimatedDuration,
    execution_duration: final ? r.executionDuration : Math.max(r.executionDuration, runningSeconds(r.statusHistory, now)),
    is_starred: r.isStarred,
  };
}

// Used only when the orchestrator has not stored a cost: the planned duration while the run is in
// flight, the seconds it really ran once final.
function estimatedCost(r: TestRunListRecord, final: boolean): TestCost | null {
  const seconds = final ? r.executionDuration : r.estimatedDuration;
  if (r.maxVus === null || seconds === null) return null;
  return computeCost({ maxVus: r.maxVus, maxBrowserVus: r.maxBrowserVus ?? 0, durationSeconds: seconds });
}

/**
 * `JSON.stringify(testRunView(run, now))` for a list page, written from the stored JSON text without
 * parsing it: same keys, same order, same bytes (the store writes its JSON columns with
 * JSON.stringify). A run that is not final, has no stored cost or an unexpected history text takes
 * the parsing path, since its view derives fields from the parsed values.
 */
export function testRunJson(t: TestRunText, now: Date): string {
  const j = t.json;
  const details = isFinalStatus(t.status) && j.cost !== null ? lastArrayElement(j.statusHistory) : null;
  if (details === null) return JSON.stringify(testRunView(parseRunText(t, now), now));
  return writeFinalRunJson(t, details);
}

/**
 * `testRunJson` as UTF-8 bytes, for list bodies assembled as bytes. The JSON of a final run depends on
 * nothing but `t`, which the store never mutates (its run cache hands out the same object until the
 * run changes), so it is written and encoded once per object.
 */
export function testRunJsonBytes(t: TestRunText, now: Date): Buffer {
  const kept = finalRunBytes.get(t);
  if (kept !== undefined) return kept;
  const bytes = Buffer.from(testRunJson(t, now));
  if (isFinalStatus(t.status)) finalRunBytes.set(t, bytes);
  return bytes;
}

const finalRunBytes = new WeakMap<TestRunText, Buffer>();

function writeFinalRunJson(t: TestRunText, details: string): string {
  const j = t.json;
  return (
    `{"id":${t.id},"test_id":${t.loadTestId},"project_id":${t.projectId},"started_by":${t.startedBy === null ? 'null' : JSON.stringify(t.startedBy)}` +
    `,"created":"${isoTime(t.created)}","ended":${isoOrNull(t.ended)},"note":${JSON.stringify(t.note)}` +
    `,"retention_expiry":${isoOrNull(t.retentionExpiry)},"cost":${j.cost},"status":${JSON.stringify(t.status)},"status_details":${details}` +
    `,"status_history":${j.statusHistory},"distribution":${j.distribution ?? 'null'},"result":${t.result === null ? 'null' : JSON.stringify(t.result)}` +
    `,"result_details":${j.resultDetails ?? 'null'},"options":${j.options ?? 'null'},"k6_dependencies":${j.k6Dependencies},"k6_versions":${j.k6Versions}` +
    `,"max_vus":${numOrNull(t.maxVus)},"max_browser_vus":${numOrNull(t.maxBrowserVus)},"estimated_duration":${numOrNull(t.estimatedDuration)}` +
    `,"execution_duration":${JSON.stringify(t.executionDuration)},"is_starred":${t.isStarred ? 'true' : 'false'}}`
  );
}

const isoOrNull = (ms: number | null) => (ms === null ? 'null' : `"${isoTime(ms)}"`);

const HOUR_MS = 3_600_000;
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const hourPrefixes = new Map<number, string>();

/**
 * `new Date(ms).toISOString()`, faster for the many nearby times of a list page: the `YYYY-MM-DDTHH:`
 * prefix is cached per hour and the rest written directly. Other values go to toISOString.
 */
export function isoTime(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_FOUR_DIGIT_YEAR_MS) return new Date(ms).toISOString();
  const hour = Math.floor(ms / HOUR_MS);
  let prefix = hourPrefixes.get(hour);
  if (prefix === undefined) {
    if (hourPrefixes.size >= 4096) hourPrefixes.clear();
    prefix = new Date(hour * HOUR_MS).toISOString().slice(0, 14);
    hourPrefixes.set(hour, prefix);
  }
  const inHour = ms - hour * HOUR_MS;
  const minutes = Math.floor(inHour / 60_000);
  const seconds = Math.floor(inHour / 1000) % 60;
  const millis = inHour % 1000;
  return `${prefix}${minutes < 10 ? '0' : ''}${minutes}:${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
const numOrNull = (n: number | null) => (n === null ? 'null' : JSON.stringify(n));

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * The text of the last element of a compact JSON array of objects (`[{…},{…}]`), found by scanning
 * back from the end; null when the text is not of that form. A quote delimits a string unless an odd
 * number of backslashes precede it, which holds scanning backwards as well as forwards.
 */
export function lastArrayElement(text: string): string | null {
  const end = text.length - 1;
  if (end < 2 || text.charCodeAt(end) !== CLOSE_BRACKET || text.charCodeAt(end - 1) !== CLOSE_BRACE) return null;
  let depth = 0;
  let inString = false;
  for (let i = end - 1; i > 0; i--) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let backslashes = 0;
      while (text.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) inString = !inString;
    } else if (!inString) {
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth++;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth--;
        if (depth === 0) {
          const before = text.charCodeAt(i - 1);
          return before === COMMA || (before === OPEN_BRACKET && i === 1) ? text.slice(i, end) : null;
        }
      }
    }
  }
  return null;
}
