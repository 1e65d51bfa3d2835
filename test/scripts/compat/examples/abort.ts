// k6 v2.2 examples/enhanced/abort.ts, unchanged: run by test/engine-compat-examples.test.ts.
import exec from "k6/execution";

export default function () {
	exec.test.abort("failed");
}
