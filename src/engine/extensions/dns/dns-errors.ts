// The values k6/x/dns rejects with (dns/errors.go): its Error struct (name, message, kind — the
// DNS response code it stands for; error() and its string form "<Kind>: <message>"), or a plain Go
// error (only error() and its string form) for everything else.
import { goErrorValue } from '../../vu/go-error-value.ts';

export interface ErrorRealm {
  object(entries?: Record<string, unknown>): Record<string, unknown>;
}

/** errorKind's names (enumer), by response code. */
const KIND_NAMES: Readonly<Record<number, string>> = {
  1: 'FormatError', 2: 'ServerFailure', 3: 'NonExistingDomain', 4: 'NotImplemented', 5: 'Refused',
  6: 'YXDomain', 7: 'YXRrset', 8: 'NXRrset', 9: 'NotAuth', 10: 'NotZone',
  16: 'BadVers', 17: 'BadKey', 18: 'BadTime', 19: 'BadMode', 20: 'BadName', 21: 'BadAlg', 22: 'BadTrunc', 23: 'BadCookie',
};

export const REFUSED = 5;

export function kindName(kind: number): string {
  return KIND_NAMES[kind] ?? `errorKind(${kind})`;
}

/** A failure the module reports: a DNS Error (with name and kind) or a plain Go error. */
export class DnsFailure extends Error {
  constructor(message: string, readonly dns?: { readonly name: string; readonly kind: number }) {
    super(message);
  }

  /** The text sobek prints for it: Go's Error(). */
  get text(): string {
    return this.dns === undefined ? this.message : `${kindName(this.dns.kind)}: ${this.message}`;
  }
}

/** newDNSError(rcode, message). */
export function rcodeFailure(rcode: number, message: string): DnsFailure {
  return new DnsFailure(message, { name: kindName(rcode), kind: rcode });
}

/** The script value for a failure. */
export function failureValue(realm: ErrorRealm, f: DnsFailure): Record<string, unknown> {
  return goErrorValue(realm, f.text, f.dns === undefined ? undefined : { name: f.dns.name, message: f.message, kind: f.dns.kind });
}
