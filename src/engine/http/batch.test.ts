import { describe, expect, it } from 'vitest';
import { BatchEntryError, parseBatchEntry } from './batch.ts';

const refusal = (entry: unknown): string => {
  try {
    parseBatchEntry(entry);
  } catch (err) {
    expect(err).toBeInstanceOf(BatchEntryError);
    return (err as Error).message;
  }
  return 'accepted';
};

describe('parseBatchEntry as k6 prepares batch entries', () => {
  it('an object entry keeps its body for GET when it has no method key; a method key naming GET or HEAD drops it', () => {
    expect(parseBatchEntry({ url: 'http://x/', body: 'b' })).toMatchObject({ method: 'GET', body: 'b' });
    expect(parseBatchEntry({ method: 'get', url: 'http://x/', body: 'b' })).toMatchObject({ method: 'GET', body: null });
    expect(parseBatchEntry({ method: 'head', url: 'http://x/', body: 'b' })).toMatchObject({ method: 'HEAD', body: null });
    expect(parseBatchEntry({ method: 'post', url: 'http://x/', body: 'b' })).toMatchObject({ method: 'POST', body: 'b' });
  });

  it('names a null method as Go’s %#v of a nil argument, `<nil>`, and a nil inside the entry as a typed nil', () => {
    expect(refusal([null, 'http://x/'])).toBe("invalid method type '<nil>'");
    expect(refusal({ method: undefined, url: 'http://x/' })).toBe("invalid method type '<nil>'");
    expect(refusal([null])).toBe("invalid batch request '[]interface {}{interface {}(nil)}'");
    expect(refusal([1, 'http://x/'])).toBe("invalid method type '1'");
  });
});
