// `lockdesk start`: the whole pipeline on this machine (emulators, the ASL runner, the inbox folder, the API/UI).
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const START_USAGE = `usage: lockdesk start [--data-dir DIR] [--inbox DIR] [--port N] [--persons CSV] [--caregivers CSV] [--staff CSV] [--concurrency N] [--registry-http] [--assets DIR]
  --data-dir     where DynamoDB, S3 and the mail log keep their data (default .lockdesk; LOCKDESK_DATA_DIR)
  --inbox        folder watched for scans (default ./inbox; LOCKDESK_INBOX)
  --port         API/UI port (default 3000, 0 = a free port; LOCKDESK_PORT)
  --persons      population registry CSV (default data/persons.csv; LOCKDESK_PERSONS)
  --caregivers   approved caregivers CSV (default data/approved-caregivers.csv; LOCKDESK_CAREGIVERS)
  --staff        staff directory CSV: the vouching staff member is verified against it and their addresses
                 snapped to it (default: none, no staff check; LOCKDESK_STAFF)
  --concurrency  executions at once (default: number of cores)
  --registry-http  serve --persons from a local HTTP registry (the OpenAPI contract) and validate through it,
                 as on AWS (LOCKDESK_REGISTRY_HTTP=1)
  --assets       run every Task from the synthesized Lambda assets in DIR (after
                 npx cdk synth -c lockdesk:lambdaArch=x86_64 -o DIR) instead of the source`;

export interface StartArgs {
  dataDir: string;
  inbox: string;
  port: number;
  persons: string;
  caregivers: string;
  staff?: string;
  concurrency?: number;
  registryHttp: boolean;
  /** The cloud assembly whose Lambda assets run the Tasks. */
  assets?: string;
}

export function parseStartArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): StartArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      "data-dir": { type: "string" },
      inbox: { type: "string" },
      port: { type: "string" },
      persons: { type: "string" },
      caregivers: { type: "string" },
      staff: { type: "string" },
      concurrency: { type: "string" },
      "registry-http": { type: "boolean" },
      assets: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) throw new UsageError(START_USAGE);
  const port = Number(values.port ?? env.LOCKDESK_PORT ?? "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: not a port: ${values.port}`);
  const args: StartArgs = {
    dataDir: resolve(values["data-dir"] ?? env.LOCKDESK_DATA_DIR ?? ".lockdesk"),
    inbox: resolve(values.inbox ?? env.LOCKDESK_INBOX ?? "inbox"),
    port,
    persons: resolve(values.persons ?? env.LOCKDESK_PERSONS ?? resolve(REPO_ROOT, "data/persons.csv")),
    caregivers: resolve(
      values.caregivers ?? env.LOCKDESK_CAREGIVERS ?? resolve(REPO_ROOT, "data/approved-caregivers.csv"),
    ),
    registryHttp:
      values["registry-http"] ?? (env.LOCKDESK_REGISTRY_HTTP === "1" || env.LOCKDESK_REGISTRY_HTTP === "true"),
  };
  const staff = values.staff ?? env.LOCKDESK_STAFF;
  if (staff) {
    if (!existsSync(staff)) throw new UsageError(`--staff: no such file: ${staff}`);
    args.staff = resolve(staff);
  }
  if (values.assets !== undefined) args.assets = resolve(values.assets);
  if (values.concurrency !== undefined) {
    const n = Number(values.concurrency);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--concurrency: not a positive integer: ${values.concurrency}`);
    args.concurrency = n;
  }
  return args;
}

export class UsageError extends Error {
  override name = "UsageError";
}

function line(text: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${text}\n`);
}

/** Runs until SIGINT/SIGTERM; returns the exit code. */
export async function runStart(argv: string[]): Promise<number> {
  let args: StartArgs;
  try {
    args = parseStartArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return err instanceof UsageError && argv.includes("--help") ? 0 : 2;
  }
  const { startStack } = await import("../local/stack.ts");
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({
      repoRoot: REPO_ROOT,
      dataDir: args.dataDir,
      inbox: args.inbox,
      persons: args.persons,
      caregivers: args.caregivers,
      ...(args.staff ? { staff: args.staff } : {}),
      apiPort: args.port,
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      registryHttp: args.registryHttp,
      ...(args.assets ? { assetsDir: args.assets } : {}),
      log: line,
    });
  } catch (err) {
    process.stderr.write(`lockdesk start failed: ${(err as Error).message}\n`);
    return 1;
  }
  const e = stack.endpoints;
  line(`data dir      ${args.dataDir}`);
  line(`inbox         ${args.inbox}  (drop PNG/JPEG/TIFF/PDF scans here)`);
  line(`DynamoDB      ${e.dynamodb}`);
  line(`S3            ${e.s3}`);
  line(`SES (mails)   ${e.sesUi}   captured mails as JSON: ${e.sesStore}`);
  if (stack.apiUrl) line(`API/UI        ${stack.apiUrl}`);
  line(`registry      ${stack.registry ? `HTTP ${stack.registry.url}` : `CSV ${args.persons}`}`);
  line(`staff         ${args.staff ? `CSV ${args.staff}` : "no directory (no staff check)"}`);
  const r = stack.recovery;
  line(
    `recovery      ${r.objects} scans in incoming/: ${r.registered} (re)started, ${r.resumed} resumed, ${r.archived} archived`,
  );
  line("ready — Ctrl-C stops (nothing is lost: the next start picks up where this one stopped)");
  await new Promise<void>((resolveStop) => {
    const onSignal = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolveStop();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  line("stopping…");
  await stack.stop();
  return 0;
}
