// cdk-nag v3 acknowledgments (CDK's Validations API). Every acknowledgment carries a written reason.
//
// `acknowledge` takes exact finding ids ("AwsSolutions-IAM5[Resource::*]"). Some findings name a resource by
// a cross-stack export with a generated hash ("lockdesk-storage:ExportsOutputFnGetAttScans…Arn…/incoming/*"),
// which cannot be written down in advance; `acknowledgePattern` declares a pattern for those next to the grant,
// and LockdeskChecks turns each matching finding into an exact acknowledgment (with the same reason) at
// validation time, so the audit trail still lists every acknowledged finding one by one.
import { type CfnResource, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, type IApplyRule, type NagPackProps, type NagRuleResult } from "cdk-nag";
import type { IConstruct } from "constructs";

const PATTERN_METADATA = "lockdesk:nag-pattern";

interface FindingPattern {
  ruleId: string;
  pattern: string;
  reason: string;
}

function checkReason(reason: string, what: string): void {
  if (reason.trim().length < 20) throw new Error(`cdk-nag acknowledgment of ${what} needs a written reason`);
}

export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  checkReason(reason, ids.join(", "));
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** Acknowledge the findings of `ruleId` (e.g. "AwsSolutions-IAM5") whose finding text matches `pattern`. */
export function acknowledgePattern(scope: IConstruct, ruleId: string, pattern: RegExp, reason: string): void {
  checkReason(reason, `${ruleId} ${pattern}`);
  const data: FindingPattern = { ruleId, pattern: pattern.source, reason };
  scope.node.addMetadata(PATTERN_METADATA, data);
}

function patternsFor(node: IConstruct): FindingPattern[] {
  const out: FindingPattern[] = [];
  for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type === PATTERN_METADATA) out.push(entry.data as FindingPattern);
    }
  }
  return out;
}

/** AwsSolutionsChecks plus pattern acknowledgments (see above). */
export class LockdeskChecks extends AwsSolutionsChecks {
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
  }

  protected override applyRule(params: IApplyRule): void {
    const patterns = patternsFor(params.node);
    if (patterns.length === 0) {
      super.applyRule(params);
      return;
    }
    const ruleId = `${this.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    const original = params.rule;
    const wrapped = (node: CfnResource): NagRuleResult => {
      const result = original(node);
      if (Array.isArray(result)) {
        for (const finding of result) {
          const match = patterns.find((p) => p.ruleId === ruleId && new RegExp(p.pattern).test(finding));
          if (match) Validations.of(node).acknowledge({ id: `${ruleId}[${finding}]`, reason: match.reason });
        }
      }
      return result;
    };
    // The rule id is derived from the function's name: keep it.
    Object.defineProperty(wrapped, "name", { value: original.name });
    super.applyRule({ ...params, rule: wrapped });
  }
}
