// Sign-in on AWS: Cognito's hosted sign-in page (the user pool's own password + TOTP screens), OAuth 2.0
// authorisation code flow with PKCE for a public browser client (RFC 7636): the login page sends the browser there,
// Cognito sends it back to /login/callback with a code, and the page exchanges the code (with its PKCE verifier) for
// the ID token the API verifies. The local stack signs in with its dev login instead.

export interface HostedSignIn {
  /** The authorisation endpoint (https://<domain>/oauth2/authorize). */
  authorizeUrl: string;
  /** The token endpoint (https://<domain>/oauth2/token). */
  tokenUrl: string;
  /** The app client id (a public client: no secret). */
  clientId: string;
  /** Where the sign-in sends the browser back to: <web origin>/login/callback, registered on the client. */
  redirectUri: string;
}

/** The hosted sign-in of a Cognito domain (https://<prefix>.auth.<region>.amazoncognito.com, or a custom one). */
export function cognitoHostedSignIn(opts: { domain: string; clientId: string; webOrigin: string }): HostedSignIn {
  const domain = opts.domain.replace(/\/+$/, "");
  return {
    authorizeUrl: `${domain}/oauth2/authorize`,
    tokenUrl: `${domain}/oauth2/token`,
    clientId: opts.clientId,
    redirectUri: `${opts.webOrigin.replace(/\/+$/, "")}/login/callback`,
  };
}
