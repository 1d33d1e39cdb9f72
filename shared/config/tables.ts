// DynamoDB table schema names shared by the CDK storage stack, the adapters and createTables (local stack/tests).
// One definition so the key and index names can never drift between infra and runtime.

export const TABLES = {
  cases: {
    partitionKey: "caseId",
    indexes: {
      /** Work queues: cases in one status, oldest first. */
      byStatus: { name: "byStatus", partitionKey: "status", sortKey: "receivedAt" },
      /** "Cases for this personnummer": earlier cases of the same subject. */
      bySubject: { name: "bySubject", partitionKey: "subjectPersonnummer", sortKey: "receivedAt" },
    },
  },
  audit: {
    partitionKey: "caseId",
    /** `<ISO time>#<random>`: entries of one case in time order, never overwritten. */
    sortKey: "sk",
    indexes: {
      byUser: { name: "byUser", partitionKey: "user", sortKey: "sk" },
    },
  },
} as const;
