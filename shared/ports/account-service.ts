/** The 1177 e-tjänster staff tool. Every call is idempotent. */
export const ACCOUNT_RESULTS = [
  "LOCKED",
  "ALREADY_LOCKED",
  "UNLOCKED",
  "ALREADY_UNLOCKED",
  "BLOCKED",
  "ALREADY_BLOCKED",
  "UNBLOCKED",
  "ALREADY_UNBLOCKED",
  "MANUAL_PENDING",
] as const;
export type AccountResult = (typeof ACCOUNT_RESULTS)[number];

export interface AccountStatus {
  personnummer: string;
  locked: boolean;
  blockedGuardians: string[];
}

export interface AccountService {
  lock(personnummer: string, caseId: string): Promise<AccountResult>;
  unlock(personnummer: string, caseId: string): Promise<AccountResult>;
  blockGuardian(child: string, guardian: string, caseId: string): Promise<AccountResult>;
  unblockGuardian(child: string, guardian: string, caseId: string): Promise<AccountResult>;
  status(personnummer: string): Promise<AccountStatus>;
}
