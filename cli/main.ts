// `lockdesk <command>`: read, eval, start, status.
import { runEval } from "./eval.ts";
import { runRead } from "./read.ts";

export const USAGE = `usage: lockdesk <command> [options]

commands:
  read <files...>   read scanned forms and decide EXECUTE / RETURN / REVIEW
  eval <dir>        run the reader on every ground-truth item in a folder and report accuracy
  start             run the whole pipeline on this machine (local stack)
  status            list the cases of a local stack

Run 'lockdesk <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "read":
        return await runRead(rest);
      case "eval":
        return await runEval(rest);
      case "start": {
        const { runStart } = await import("./start.ts");
        return await runStart(rest);
      }
      case "status": {
        const { runStatus } = await import("./status.ts");
        return await runStatus(rest);
      }
      case undefined:
      case "--help":
      case "-h":
      case "help":
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        console.error(`lockdesk: unknown command '${command}'\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    // One line, never a stack trace: usage errors and the like.
    console.error(`lockdesk ${command}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}
