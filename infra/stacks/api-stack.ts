// The case API and the handler/mailroom pages: a Cognito user pool (groups mailroom, handler, admin), an HTTP API
// with a JWT authorizer on /api/*, and one Lambda (functions/api/handler.ts) that also serves the UI pages (they
// verify the token themselves, from a cookie) and the static files, which ship inside the bundle.
import { Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type * as sfn from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { ENV, type LockdeskConfig, PREFIXES, REFERENCE_TABLE_ENV, TABLES } from "../config.ts";
import { lambdaArchitecture } from "../constructs/lambda-layers.ts";
import { acknowledge, acknowledgePattern } from "../constructs/nag.ts";
import { lambdaBundling, REPO_ROOT } from "../constructs/pipeline-function.ts";
import { SharpLayer } from "../constructs/sharp-layer.ts";
import { personRegistryEnvironment } from "./pipeline-environment.ts";
import { secretResourceArn } from "./pipeline-stack.ts";

export const API_ENTRY = "functions/api/handler.ts";
/** web/static is copied to <bundle>/static; Lambda unpacks the bundle into /var/task. */
export const WEB_STATIC_SOURCE = `${REPO_ROOT}web/static`;
export const WEB_STATIC_DIR_ON_LAMBDA = "/var/task/static";
export const USER_GROUPS = ["mailroom", "handler", "admin"] as const;

export interface ApiStackProps extends StackProps {
  config: LockdeskConfig;
  dataKey: kms.IKey;
  scansBucket: s3.IBucket;
  casesTable: dynamodb.ITable;
  auditTable: dynamodb.ITable;
  /** The reference table (approved caregivers, admin endpoints), when TABLES.reference is configured. */
  referenceTable?: dynamodb.ITable | undefined;
  stateMachine: sfn.IStateMachine;
  /** The archive bucket: the mail room opens the letters (archive/<year>/<case>/letter-*.pdf) to print them. */
  archiveBucket?: s3.IBucket | undefined;
  /**
   * The reference bucket: the case page shows the registry's facts (the registered name, the guardians) from the same
   * person registry ValidateCase uses — the extract in this bucket, or the HTTP registry when configured.
   */
  referenceBucket?: s3.IBucket | undefined;
}

export class ApiStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly groups: Record<(typeof USER_GROUPS)[number], cognito.CfnUserPoolGroup>;
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly httpApi: apigw.HttpApi;
  readonly accessLogs: logs.LogGroup;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;

    // --- Cognito: staff accounts only (an admin creates them), MFA by authenticator app, strong passwords. ---
    this.userPool = new cognito.UserPool(this, "Users", {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.userPool,
      "A few dozen staff accounts created by an admin, MFA (TOTP) required and strong passwords; the Plus tier's threat protection is a deliberate cost decision, revisit if accounts are exposed more widely.",
      "AwsSolutions-COG8",
    );
    this.groups = {} as ApiStack["groups"];
    for (const group of USER_GROUPS) {
      this.groups[group] = new cognito.CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: `lockdesk ${group}`,
      });
    }
    // A public (browser) client: no secret, SRP sign-in only, short-lived tokens. With lockdesk:webOrigin and
    // lockdesk:authDomainPrefix, the hosted sign-in: authorisation code flow (PKCE from the browser) back to
    // <webOrigin>/login/callback, nothing else (no implicit flow).
    const signIn = config.hostedSignIn;
    this.userPoolClient = this.userPool.addClient("WebClient", {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      ...(signIn
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
              scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE, cognito.OAuthScope.EMAIL],
              callbackUrls: [`${signIn.webOrigin}/login/callback`],
              logoutUrls: [`${signIn.webOrigin}/login`],
            },
          }
        : { disableOAuth: true }),
    });
    const signInDomain = signIn
      ? this.userPool.addDomain("SignInDomain", { cognitoDomain: { domainPrefix: signIn.domainPrefix } })
      : undefined;

    // --- The function: ESM bundle by the local esbuild, web/static copied next to it. ---
    this.logGroup = new logs.LogGroup(this, "ApiLogs", {
      retention: retentionDays(config.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "ApiRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "lockdesk api: least-privilege execution role",
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const layers = SharpLayer.of(this, { purpose: "scan previews", arch: config.lambdaArch }).layers;
    this.fn = new NodejsFunction(this, "ApiFunction", {
      entry: `${REPO_ROOT}${API_ENTRY}`,
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambdaArchitecture(config.lambdaArch),
      memorySize: 512,
      timeout: Duration.seconds(29),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        [ENV.casesTable]: props.casesTable.tableName,
        [ENV.auditTable]: props.auditTable.tableName,
        [ENV.scansBucket]: props.scansBucket.bucketName,
        STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        ...(props.referenceTable ? { [REFERENCE_TABLE_ENV]: props.referenceTable.tableName } : {}),
        ...(props.referenceBucket
          ? {
              [ENV.referenceBucket]: props.referenceBucket.bucketName,
              [ENV.personsKey]: config.personsKey,
              ...personRegistryEnvironment(config),
            }
          : {}),
        COGNITO_USER_POOL_ID: this.userPool.userPoolId,
        COGNITO_CLIENT_ID: this.userPoolClient.userPoolClientId,
        ...(signIn && signInDomain ? { AUTH_DOMAIN: signInDomain.baseUrl(), WEB_ORIGIN: signIn.webOrigin } : {}),
        LOCKDESK_WEB_STATIC_DIR: WEB_STATIC_DIR_ON_LAMBDA,
        [ENV.logLevel]: config.logLevel,
        [ENV.serviceName]: "lockdesk",
        ...(config.fourEyesAllUnlocks ? { [ENV.fourEyesAllUnlocks]: "true" } : {}),
      },
      ...(layers.length > 0 ? { layers } : {}),
      // sharp (scan previews) is native and comes from the linux-arm64 layer.
      bundling: lambdaBundling(["sharp"], {
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `mkdir -p "${outputDir}/static"`,
            `cp -R "${WEB_STATIC_SOURCE}/." "${outputDir}/static/"`,
          ],
        },
      }),
    });
    acknowledge(
      this.fn,
      "Node.js 22 is the project's pinned runtime (package.json engines, tested locally on Node 22); upgrade deliberately, not by lint.",
      "AwsSolutions-L1",
    );

    // --- Least privilege, written out. ---
    const casesArn = props.casesTable.tableArn;
    const C = TABLES.cases;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Scan: the admin list view (listAll); no DeleteItem/BatchWrite.
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:Scan"],
        resources: [casesArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: [`${casesArn}/index/${C.gsiByStatus}`, `${casesArn}/index/${C.gsiBySubject}`],
      }),
    );
    // The audit log is append-only for the API: PutItem and Query, never Update/Delete.
    const auditArn = props.auditTable.tableArn;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["dynamodb:PutItem", "dynamodb:Query"], resources: [auditArn] }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: [`${auditArn}/index/${TABLES.audit.gsiByUser}`],
      }),
    );
    if (props.referenceTable) {
      // The reference data admins maintain (approved caregivers): read and write items (new list versions are new items), no Scan or Delete.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
          resources: [props.referenceTable.tableArn],
        }),
      );
    }
    // Scan previews read incoming/; the mailroom uploads through presigned POST policies into incoming/ (signed with this role).
    const incomingObjects = props.scansBucket.arnForObjects(`${PREFIXES.incoming}*`);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [incomingObjects] }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:PutObject"], resources: [incomingObjects] }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["states:StartExecution"], resources: [props.stateMachine.stateMachineArn] }),
    );
    if (props.archiveBucket) {
      // The mail room's letters: read the letter PDFs only, not the archived scans and summaries.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["s3:GetObject"],
          resources: [props.archiveBucket.arnForObjects(`${PREFIXES.archive}*/letter-*.pdf`)],
        }),
      );
      acknowledgePattern(
        this.role,
        "AwsSolutions-IAM5",
        /^Resource::.*\/archive\/\*\/letter-\*\.pdf$/,
        "api: the mail room reads letter PDFs only (archive/<year>/<case>/letter-*.pdf); the keys are per case.",
      );
    }
    if (props.referenceBucket) {
      // The case page's registry facts: the registry extract (one object), or the HTTP registry's one secret.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["s3:GetObject"],
          resources: [props.referenceBucket.arnForObjects(config.personsKey)],
        }),
      );
      if (config.personRegistry) {
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ["secretsmanager:GetSecretValue"],
            resources: [secretResourceArn(this, "PersonRegistrySecret", config.personRegistry.secretId)],
          }),
        );
      }
    }
    props.dataKey.grant(this.role, "kms:Decrypt", "kms:GenerateDataKey");
    acknowledgePattern(
      this.role,
      "AwsSolutions-IAM5",
      /^Resource::.*\/incoming\/\*$/,
      "api: scan previews and presigned uploads are limited to the incoming/ prefix; object keys are not known in advance.",
    );
    acknowledge(
      this.role,
      "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (added by CDK for active tracing).",
      "AwsSolutions-IAM5[Resource::*]",
    );

    // --- HTTP API: JWT authorizer on /api/*; pages and static files are served by the function itself. ---
    this.accessLogs = new logs.LogGroup(this, "ApiAccessLogs", {
      retention: retentionDays(config.accessLogRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.httpApi = new apigw.HttpApi(this, "HttpApi", {
      description: "lockdesk case API and handler/mailroom pages",
      createDefaultStage: false,
    });
    this.stage = this.httpApi.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // No headers, query strings or bodies: case ids only, never personal data.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            ip: "$context.identity.sourceIp",
            requestTime: "$context.requestTime",
            routeKey: "$context.routeKey",
            path: "$context.path",
            status: "$context.status",
            responseLength: "$context.responseLength",
            latency: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
            authorizerError: "$context.authorizer.error",
            user: "$context.authorizer.claims.username",
          }),
        ),
      },
    });
    const integration = new HttpLambdaIntegration("ApiIntegration", this.fn);
    const authorizer = new HttpJwtAuthorizer(
      "CognitoJwt",
      `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`,
      { jwtAudience: [this.userPoolClient.userPoolClientId], identitySource: ["$request.header.Authorization"] },
    );
    this.httpApi.addRoutes({
      path: "/api/{proxy+}",
      methods: [apigw.HttpMethod.ANY],
      integration,
      authorizer,
    });
    // The API description is public (no personal data); the more specific route wins over /api/{proxy+}.
    // (POST /api/dev-login stays behind the authorizer: a local-stack feature, the handler answers 404 on AWS.)
    const openApi = this.httpApi.addRoutes({
      path: "/api/openapi.json",
      methods: [apigw.HttpMethod.GET],
      integration,
    });
    for (const route of openApi) {
      acknowledge(
        route,
        "GET /api/openapi.json is the public API description (schemas only, no data); every other /api route needs a Cognito JWT.",
        "AwsSolutions-APIG4",
      );
    }
    const pages = this.httpApi.addRoutes({ path: "/", methods: [apigw.HttpMethod.GET], integration });
    pages.push(...this.httpApi.addRoutes({ path: "/{proxy+}", methods: [apigw.HttpMethod.GET], integration }));
    for (const route of pages) {
      acknowledge(
        route,
        "UI pages and static files: the pages verify the Cognito token themselves (cookie, same verifier as /api) and redirect to login; static JS/CSS is public.",
        "AwsSolutions-APIG4",
      );
    }
  }
}

function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays)
    .filter((v): v is logs.RetentionDays => typeof v === "number" && v > 0)
    .sort((a, b) => a - b);
  return allowed.find((v) => v >= days) ?? logs.RetentionDays.TEN_YEARS;
}
