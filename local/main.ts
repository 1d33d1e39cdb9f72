// Direct entry for the local stack without the lockdesk bin (tests, bench): `tsx local/main.ts start|status …`.
import { runStart } from "../cli/start.ts";
import { runStatus } from "../cli/status.ts";

const [command, ...rest] = process.argv.slice(2);
const code = command === "status" ? await runStatus(rest) : command === "start" ? await runStart(rest) : 2;
if (command !== "start" && command !== "status") process.stderr.write("usage: main.ts start|status [options]\n");
process.exit(code);
