// How long a run's results are kept. Saved runs are kept forever (expiry null: what the v6 API's
// `retention_expiry: null` means); an unsaved run's results expire a configurable number of days after
// it ended. A run that has not ended shows the expiry counted from its creation, as the API's examples
// do (a just-started run with a date), so that null keeps meaning "saved"; it becomes the count from
// the end when the run ends, and the sweeper never deletes a run before it ended.

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

export function retentionExpiry(
  ended: Date | null, isSaved: boolean, retentionDays: number = DEFAULT_RETENTION_DAYS, created: Date | null = null,
): Date | null {
  const from = ended ?? created;
  if (from === null || isSaved) return null;
  return new Date(from.getTime() + retentionDays * DAY_MS);
}

export function isExpired(expiry: Date | null, now: Date): boolean {
  return expiry !== null && expiry.getTime() <= now.getTime();
}
