// Test doubles for the pipeline use cases: the shared in-memory doubles (test/support/fakes.ts) with this layer's
// default time.
import { fixedClock as clockAt } from "../../support/fakes.ts";

export { MemoryScanStore, silentLogger } from "../../support/fakes.ts";

export const fixedClock = (iso = "2025-03-18T09:00:00.000Z") => clockAt(iso);
