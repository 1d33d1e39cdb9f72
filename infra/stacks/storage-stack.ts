// Stateful resources: buckets, tables, the data key. Kept apart from the stateless pipeline so a pipeline
// change can never replace (or delete) data; everything here is RETAIN.
import { Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { type LockdeskConfig, PREFIXES, referenceTableKeys, TABLES } from "../config.ts";
import { acknowledge } from "../constructs/nag.ts";

export interface StorageStackProps extends StackProps {
  config: LockdeskConfig;
}

export class StorageStack extends Stack {
  readonly dataKey: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
  readonly scansBucket: s3.Bucket;
  readonly archiveBucket: s3.Bucket;
  readonly referenceBucket: s3.Bucket;
  readonly casesTable: dynamodb.Table;
  readonly auditTable: dynamodb.Table;
  readonly accountsTable: dynamodb.Table;
  /** Reference data managed in the API (approved caregivers); only when TABLES.reference is configured. */
  readonly referenceTable: dynamodb.Table | undefined;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const { config } = props;

    // One customer-managed key for the personal data (scans, archive, registry extract, tables): it can be
    // audited and revoked as one; rotation on.
    this.dataKey = new kms.Key(this, "DataKey", {
      enableKeyRotation: true,
      description: "lockdesk: scans, archive, registry extract and case tables",
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Server access logs cannot go to a KMS-encrypted bucket: S3-managed encryption here.
    this.accessLogsBucket = new s3.Bucket(this, "AccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: "expire-access-logs",
          expiration: Duration.days(config.accessLogRetentionDays),
          noncurrentVersionExpiration: Duration.days(7),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    acknowledge(
      this.accessLogsBucket,
      "This is the server access log bucket; logging it into itself would loop.",
      "AwsSolutions-S1",
    );

    const secureBucket = (bucketId: string, logPrefix: string, extra: Partial<s3.BucketProps>): s3.Bucket =>
      new s3.Bucket(this, bucketId, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.dataKey,
        // S3 Bucket Keys cut KMS requests (and their cost) per object to about one per bucket and hour.
        bucketKeyEnabled: true,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned: true,
        serverAccessLogsBucket: this.accessLogsBucket as s3.IBucket,
        serverAccessLogsPrefix: logPrefix,
        removalPolicy: RemovalPolicy.RETAIN,
        ...extra,
      });

    // The scanner writes to incoming/; EventBridge notifications start the state machine. ArchiveScan copies the
    // scan to the archive and deletes it here; the old version is kept a while for investigations.
    this.scansBucket = secureBucket("Scans", "scans/", {
      eventBridgeEnabled: true,
      // The mailroom page uploads straight from the browser with presigned POST policies (key, type, size and
      // receipt date bound). The signature is the credential; CORS only lets the UI's origin read the answer
      // (lockdesk:uiOrigins, default any origin).
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST],
          allowedOrigins: config.uiOrigins,
          allowedHeaders: ["content-type"],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        {
          id: "expire-old-versions",
          noncurrentVersionExpiration: Duration.days(config.scansNoncurrentDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: "remove-expired-delete-markers", expiredObjectDeleteMarker: true },
        {
          // Anything left in incoming/ for a year was never picked up: a handler has long looked at it.
          id: "expire-stale-incoming",
          prefix: PREFIXES.incoming,
          expiration: Duration.days(365),
        },
      ],
    });

    // The archive: WORM (Object Lock, governance mode) for the retention period; cheap storage after a month.
    this.archiveBucket = secureBucket("Archive", "archive/", {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(config.archiveRetentionDays)),
      lifecycleRules: [
        {
          id: "to-glacier-ir",
          transitions: [
            {
              storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(config.archiveTransitionDays),
            },
          ],
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: "expire-after-retention",
          expiration: Duration.days(config.archiveRetentionDays + 1),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });

    // Registry extract and approved-caregiver list (read at run time; a new object version is a new list version).
    this.referenceBucket = secureBucket("Reference", "reference/", {
      lifecycleRules: [
        { id: "expire-old-lists", noncurrentVersionExpiration: Duration.days(config.archiveRetentionDays) },
      ],
    });

    // eventBridgeEnabled is applied by CDK's bucket-notifications custom resource (a singleton Lambda).
    const notificationsHandler = this.node.tryFindChild("BucketNotificationsHandler050a0587b7544547bf325f094a3db834");
    if (notificationsHandler) {
      acknowledge(
        notificationsHandler,
        "CDK's BucketNotificationsHandler (turns on EventBridge notifications at deploy time) uses AWSLambdaBasicExecutionRole; it is CDK-owned and holds no data access.",
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      );
    }

    const tableDefaults = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;
    const S = dynamodb.AttributeType.STRING;

    const C = TABLES.cases;
    this.casesTable = new dynamodb.Table(this, "Cases", {
      ...tableDefaults,
      partitionKey: { name: C.pk, type: S },
    });
    this.casesTable.addGlobalSecondaryIndex({
      indexName: C.gsiByStatus,
      partitionKey: { name: C.gsiByStatusPk, type: S },
      sortKey: { name: C.gsiByStatusSk, type: S },
    });
    this.casesTable.addGlobalSecondaryIndex({
      indexName: C.gsiBySubject,
      partitionKey: { name: C.gsiBySubjectPk, type: S },
      sortKey: { name: C.gsiBySubjectSk, type: S },
    });

    // Append-only: no principal is ever granted UpdateItem or DeleteItem on this table (writers get PutItem with
    // a condition `attribute_not_exists`), so entries cannot be changed through the application.
    const A = TABLES.audit;
    this.auditTable = new dynamodb.Table(this, "Audit", {
      ...tableDefaults,
      partitionKey: { name: A.pk, type: S },
      sortKey: { name: A.sk, type: S },
    });
    this.auditTable.addGlobalSecondaryIndex({
      indexName: A.gsiByUser,
      partitionKey: { name: A.gsiByUserPk, type: S },
      sortKey: { name: A.gsiByUserSk, type: S },
    });

    // State of the simulated 1177 account service (the real one is an external system).
    this.accountsTable = new dynamodb.Table(this, "Accounts", {
      ...tableDefaults,
      partitionKey: { name: TABLES.accounts.pk, type: S },
    });

    // Reference data kept in DynamoDB (the approved-caregiver list an admin maintains in the API).
    const reference = referenceTableKeys();
    this.referenceTable = reference
      ? new dynamodb.Table(this, "ReferenceTable", {
          ...tableDefaults,
          partitionKey: { name: reference.pk, type: S },
          sortKey: { name: reference.sk, type: S },
        })
      : undefined;
  }
}
