// The CDK app: `npm run synth` (offline: no credentials, network or Docker needed).
import { App, Validations } from "aws-cdk-lib";
import { CDK_CONTEXT, loadConfig } from "./config.ts";
import { LockdeskChecks } from "./constructs/nag.ts";
import { createLockdeskStacks } from "./stacks/lockdesk.ts";

const app = new App({ context: CDK_CONTEXT });
const config = loadConfig((key) => app.node.tryGetContext(key));
createLockdeskStacks(app, config);
// cdk-nag AwsSolutions checks (LockdeskChecks adds pattern acknowledgments): every finding is either fixed or suppressed with a written reason next to the resource.
Validations.of(app).addPlugins(new LockdeskChecks(app, { verbose: true }));
app.synth();
