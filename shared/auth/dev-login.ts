// Local dev login: checks a user of config/users.json and issues a short-lived JWT signed with a key
// generated at start-up. Tokens carry the same claims Cognito puts in its tokens (`cognito:groups`,
// `cognito:username`), so the API verifies them with the same code as on AWS (verifier.ts).
import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from "jose";
import { AuthenticationError } from "../domain/errors.ts";
import { GROUPS_CLAIM } from "./principal.ts";
import type { UsersConfig } from "./users.ts";
import { hashPassword, verifyPassword } from "./users.ts";
import { createLocalVerifier, type TokenVerifier } from "./verifier.ts";

export const LOCAL_ISSUER = "urn:lockdesk:local-dev-login";
const DUMMY_HASH = hashPassword("not-a-user");

export interface DevLogin {
  issuer: string;
  jwks: JSONWebKeySet;
  verifier: TokenVerifier;
  /** Checks the password and returns a signed token; AuthenticationError on a wrong user or password. */
  login(userId: string, password: string): Promise<{ token: string; expiresIn: number }>;
  /** For tests and the local stack's tools: a token for a configured user without the password. */
  issue(userId: string): Promise<string>;
  /** A configured user's display name (pages show people's names, not "user:anna"); undefined if unknown. */
  displayName(userId: string): string | undefined;
}

export async function createDevLogin(users: UsersConfig, opts: { ttlSeconds?: number } = {}): Promise<DevLogin> {
  const ttl = opts.ttlSeconds ?? 8 * 3600;
  const kid = `local-${Date.now().toString(36)}`;
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  const jwks: JSONWebKeySet = { keys: [jwk] };

  const issue = async (userId: string): Promise<string> => {
    const user = users.users.find((u) => u.userId === userId);
    if (!user) throw new AuthenticationError("unknown user");
    return new SignJWT({ [GROUPS_CLAIM]: user.groups, "cognito:username": user.userId, name: user.displayName })
      .setProtectedHeader({ alg: "ES256", kid })
      .setSubject(user.userId)
      .setIssuer(LOCAL_ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(privateKey);
  };

  return {
    issuer: LOCAL_ISSUER,
    jwks,
    verifier: createLocalVerifier({ jwks, issuer: LOCAL_ISSUER }),
    issue,
    displayName: (userId) => users.users.find((u) => u.userId === userId)?.displayName,
    async login(userId, password) {
      const user = users.users.find((u) => u.userId === userId);
      // Hash even for unknown users so response time does not reveal which user ids exist.
      const ok = verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) throw new AuthenticationError("wrong user or password");
      return { token: await issue(user.userId), expiresIn: ttl };
    },
  };
}
