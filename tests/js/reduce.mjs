// Replays messages through the browser reducers (the same files the pages load) for the Python property test:
// node tests/js/reduce.mjs CASES.json → prints the final state of every case as JSON.
import { readFileSync } from "node:fs";
import { applyCounter } from "../../counter/static/state.js";
import { applyStatus } from "../../server/web/static/booking/status_state.js";

const REDUCERS = { counter: applyCounter, status: applyStatus };
const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = cases.map((c) => c.messages.reduce((state, [name, payload]) => REDUCERS[c.kind](state, name, payload),
  c.snapshot));
process.stdout.write(JSON.stringify(out));
