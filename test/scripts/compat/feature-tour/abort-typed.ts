// Stampede's feature-tour script: TypeScript (type annotations stripped at load) calling
// exec.test.abort() with a reason, which ends the run with exit code 108.
import exec from 'k6/execution';

interface Verdict {
  ok: boolean;
  reason: string;
}

function judge(): Verdict {
  return { ok: false, reason: 'gate closed' };
}

export default function (): void {
  const v: Verdict = judge();
  if (!v.ok) exec.test.abort(v.reason);
}
