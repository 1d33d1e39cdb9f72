import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { caseStoreContract } from "./case-store.contract.ts";

caseStoreContract("MemoryCaseStore", async () => new MemoryCaseStore());
