// An exception in the init context stops the test with exit code 107.
throw new Error('broken init');
export default function () {}
