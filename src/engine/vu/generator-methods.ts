// The generator methods as the engine found them: a script replacing Generator.prototype.next must
// not change how its own wrapped functions and constructors run.
const GENERATOR_PROTO = Object.getPrototypeOf(function* () {}).prototype as Generator<unknown, unknown, unknown>;
export const genNext = GENERATOR_PROTO.next;
