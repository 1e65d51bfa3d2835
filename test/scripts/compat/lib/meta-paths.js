// import.meta.resolve in an imported module resolves from this module's directory.
export const fixturesUrl = import.meta.resolve('../../fixtures/users.json');
export const pathsMeta = import.meta;
