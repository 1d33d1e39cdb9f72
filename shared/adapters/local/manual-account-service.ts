// Manual mode: the 1177 staff tool has no API we may call, so a handler carries out the action by hand.
// Every action answers MANUAL_PENDING; executeAction then parks the case as AWAITING_MANUAL_EXECUTION with a
// checklist, and the handler's confirmation (confirmManualExecution) records the result.
import { AccountServiceRejectedError } from "../../domain/errors.ts";
import type { AccountResult, AccountService, AccountStatus } from "../../ports/account-service.ts";

export class ManualAccountService implements AccountService {
  async lock(_personnummer: string, _caseId: string): Promise<AccountResult> {
    return "MANUAL_PENDING";
  }
  async unlock(_personnummer: string, _caseId: string): Promise<AccountResult> {
    return "MANUAL_PENDING";
  }
  async blockGuardian(_child: string, _guardian: string, _caseId: string): Promise<AccountResult> {
    return "MANUAL_PENDING";
  }
  async unblockGuardian(_child: string, _guardian: string, _caseId: string): Promise<AccountResult> {
    return "MANUAL_PENDING";
  }
  /** The state lives in the staff tool only; we cannot read it and will not guess it. */
  async status(_personnummer: string): Promise<AccountStatus> {
    throw new AccountServiceRejectedError("manual mode: the account status is read in the 1177 staff tool");
  }
}
