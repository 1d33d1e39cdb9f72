// SES: the sending domain identity and a configuration set (reputation metrics, TLS required).
// Stateful-ish (DNS records point at the DKIM tokens), so it is kept apart from the pipeline.
import { Stack, type StackProps } from "aws-cdk-lib";
import * as ses from "aws-cdk-lib/aws-ses";
import type { Construct } from "constructs";
import type { LockdeskConfig } from "../config.ts";

export interface MailStackProps extends StackProps {
  config: LockdeskConfig;
}

export class MailStack extends Stack {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly identityName: string;

  constructor(scope: Construct, id: string, props: MailStackProps) {
    super(scope, id, props);
    this.identityName = props.config.mailFromDomain;
    this.configurationSet = new ses.ConfigurationSet(this, "ConfigurationSet", {
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.identity = new ses.EmailIdentity(this, "Identity", {
      identity: ses.Identity.domain(this.identityName),
      configurationSet: this.configurationSet,
    });
  }
}
