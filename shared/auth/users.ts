// The local user list (config/users.json) for the dev login. Passwords are stored as scrypt hashes.
// Never used on AWS: there Cognito owns users and passwords.
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { GROUPS } from "./principal.ts";

export const UserConfigSchema = z.object({
  userId: z.string().regex(/^[a-z0-9._-]{2,64}$/),
  displayName: z.string().min(1),
  groups: z.array(z.enum(GROUPS)).min(1),
  /** `scrypt$<salt b64>$<hash b64>` (see hashPassword). */
  passwordHash: z.string().regex(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/),
});
export const UsersConfigSchema = z.object({ users: z.array(UserConfigSchema) });
export type UserConfig = z.infer<typeof UserConfigSchema>;
export type UsersConfig = z.infer<typeof UsersConfigSchema>;

export async function loadUsersConfig(path: string): Promise<UsersConfig> {
  return UsersConfigSchema.parse(JSON.parse(await readFile(path, "utf8")));
}

const KEY_LEN = 32;

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password, salt, KEY_LEN);
  return `scrypt$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [, saltB64, hashB64] = stored.split("$");
  if (!saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, "base64");
  const actual = scryptSync(password, Buffer.from(saltB64, "base64"), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
