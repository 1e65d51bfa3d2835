// How long a finished run's results are kept. Saved runs are kept forever (expiry null); an unsaved
// run's results expire a configurable number of days after it ended. Runs that have not ended have
// no expiry yet.

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

export function retentionExpiry(ended: Date | null, isSaved: boolean, retentionDays: number = DEFAULT_RETENTION_DAYS): Date | null {
  if (ended === null || isSaved) return null;
  return new Date(ended.getTime() + retentionDays * DAY_MS);
}

export function isExpired(expiry: Date | null, now: Date): boolean {
  return expiry !== null && expiry.getTime() <= now.getTime();
}
