// k6 v2.2 examples/logging.js, unchanged: run by test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts.
export default function() {
	console.log("log", "a", "b");
	console.debug("debug", "a", "b");
	console.info("info", "a", "b");
	console.warn("warn", "a", "b");
	console.error("error", "a", "b");
}
