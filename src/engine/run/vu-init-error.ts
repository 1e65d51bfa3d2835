// The init code of a VU the run initialises failed: which VU (test-wide id, as k6's hint names it)
// and the script's own error.
export class VuInitError extends Error {
  readonly vuId: number;
  constructor(vuId: number, cause: unknown) {
    super(`error while initializing VU #${vuId}`, { cause });
    this.name = 'VuInitError';
    this.vuId = vuId;
  }
}
