// A real OpenID Connect provider for the tests: node oidc-provider, in memory.
//
// Usage: node provider.mjs <config.json>
// The config names the client (id, secret, redirect URIs), the signing key (a
// private JWK the test made, so that it can also sign tokens of its own) and the
// accounts' claims. The server listens on 127.0.0.1 on a free port and prints
// "READY <issuer>" once it serves. Its login page (devInteractions) takes any
// login: the login becomes the account id ("sub").
import http from "node:http";
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const server = http.createServer();

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: config.client_id,
        client_secret: config.client_secret,
        redirect_uris: config.redirect_uris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [config.jwk] },
    cookies: { keys: ["pakn-test-only"] },
    claims: {
      openid: ["sub"],
      profile: ["name"],
      email: ["email"],
      phone: ["phone_number"],
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(ctx, id) {
      const claims = (config.accounts || {})[id] || {};
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  });
  // Quiet by default; the test prints stderr when something goes wrong.
  provider.on("server_error", (ctx, error) => console.error("server_error", error));
  server.on("request", provider.callback());
  console.log(`READY ${issuer}`);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
