// A second module in the same directory as meta-paths.js: its import.meta is its own object (k6 makes one per module).
export const siblingMeta = import.meta;
