// Small backends that answer as the real services do, with answers recorded from their APIs (the
// same bodies the native preset tests classify, tests/presets/): Supabase Auth, Auth0
// passwordless, a store's relay of Twilio Verify, a store's relay of Vonage Verify, and a store's
// own API written from scratch. Each checks the request as the real one would (the key, the
// encoding, the fields) and refuses a wrong one, so a test through it can fail; each accepts the
// code 123456 only. They listen on 127.0.0.1 on a port of their own, another origin than the page,
// and answer CORS as the real services do.
import { once } from "node:events";
import { createServer } from "node:http";

/** The one right code of every recorded backend. */
export const RIGHT_CODE = "123456";

/** The proof each backend gives for the right code (`null`: the backend gives none). */
export const TOKENS = {
  supabase: "eyJ.supabase.session",
  auth0: "eyJ.auth0.access",
  "twilio-verify-proxy": null,
  "vonage-verify-proxy": null,
  custom: "proof-7f3a",
};

const json = (status, body) => ({ status, body: JSON.stringify(body), type: "application/json" });
const problem = (status, body) => ({ status, body: JSON.stringify(body), type: "application/problem+json" });

/** Each backend: its paths, what a right request holds, and its recorded answers. */
const BACKENDS = {
  supabase: {
    "POST /auth/v1/otp": ({ body, headers }) =>
      headers.apikey !== "anon-key" || headers.authorization !== "Bearer anon-key"
        ? json(401, { message: "Invalid API key" })
        : !/^\+\d{8,15}$/.test(body.phone ?? "") || body.channel !== "sms"
          ? json(400, { code: 400, error_code: "validation_failed", msg: "Invalid phone number format (E.164 required)" })
          : json(200, { message_id: "SMc0ffee" }),
    "POST /auth/v1/verify": ({ body }) =>
      body.type !== "sms" || !body.phone
        ? json(400, { code: 400, error_code: "validation_failed", msg: "Only an email address or phone number should be provided on verify" })
        : body.token === RIGHT_CODE
          ? json(200, {
              access_token: TOKENS.supabase,
              token_type: "bearer",
              expires_in: 3600,
              refresh_token: "r1",
              user: { id: "u1", phone: body.phone.slice(1) },
            })
          : json(403, { code: 403, error_code: "otp_expired", msg: "Token has expired or is invalid" }),
  },
  auth0: {
    "POST /passwordless/start": ({ body }) =>
      body.client_id !== "client-1" || body.connection !== "sms" || body.send !== "code"
        ? json(400, { error: "bad.connection", error_description: "Connection does not exist" })
        : json(200, { _id: "6a1f", phone_number: body.phone_number, request_language: null }),
    "POST /oauth/token": ({ body }) =>
      body.grant_type !== "http://auth0.com/oauth/grant-type/passwordless/otp" || body.realm !== "sms"
        ? json(403, { error: "unauthorized_client", error_description: "Grant type not allowed" })
        : body.otp === RIGHT_CODE
          ? json(200, { access_token: TOKENS.auth0, id_token: "eyJ.i.s", scope: "openid", expires_in: 86400, token_type: "Bearer" })
          : json(403, { error: "invalid_grant", error_description: "Wrong phone number or verification code." }),
  },
  "twilio-verify-proxy": {
    "POST /Verifications": ({ form }) =>
      !form || !form.get("To") || !form.get("Channel")
        ? json(400, { code: 60200, message: "Invalid parameter", more_info: "https://www.twilio.com/docs/errors/60200", status: 400 })
        : json(201, { sid: "VE0123", service_sid: "VA1", to: form.get("To"), channel: form.get("Channel"), status: "pending", valid: false }),
    "POST /VerificationCheck": ({ form }) =>
      form?.get("VerificationSid") !== "VE0123"
        ? json(404, { code: 20404, message: "The requested resource was not found", status: 404 })
        : form.get("Code") === RIGHT_CODE
          ? json(200, { sid: "VE0123", status: "approved", valid: true })
          : json(200, { sid: "VE0123", status: "pending", valid: false }),
  },
  "vonage-verify-proxy": {
    "POST /v2/verify": ({ body }) =>
      body.brand !== "Demo Store" || body.workflow?.[0]?.channel !== "sms" || !body.workflow?.[0]?.to
        ? problem(422, { type: "https://developer.vonage.com/api-errors#invalid-params", title: "Invalid params", instance: "bf0ca0bf" })
        : json(202, { request_id: "c11236f4-00bf-4b89-84ba-88b25df97315" }),
    "POST /v2/verify/c11236f4-00bf-4b89-84ba-88b25df97315": ({ body }) =>
      body.code === RIGHT_CODE
        ? json(200, { request_id: "c11236f4-00bf-4b89-84ba-88b25df97315", status: "completed" })
        : problem(400, {
            type: "https://developer.vonage.com/api-errors/verify#invalid-code",
            title: "Invalid Code",
            detail: "The code you provided does not match the expected value.",
            instance: "bf0ca0bf",
          }),
  },
  // A store's own API: a wrong code is `200 {"ok": false}`, the right one `200 {"ok": true, "proof"}`.
  custom: {
    "POST /otp/start": ({ body, headers }) =>
      headers["x-csrf-token"] !== "csrf-from-the-page" || !body.to
        ? json(403, { ok: false, reason: "csrf" })
        : json(200, { id: "c1", ttl: 300 }),
    "POST /otp/verify": ({ body }) =>
      body.id !== "c1"
        ? json(404, { ok: false, reason: "unknown" })
        : body.code === RIGHT_CODE
          ? json(200, { ok: true, proof: TOKENS.custom })
          : json(200, { ok: false }),
  },
};

/**
 * Starts the recorded backend `name` on a free loopback port; resolves to `{url, requests, stop}`
 * where `requests` lists what it received (method, path, headers, body as text).
 */
export async function startRecordedBackend(name) {
  const routes = BACKENDS[name];
  if (!routes) throw new Error(`no recorded backend ${name}`);
  const requests = [];
  const server = createServer(async (request, response) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    const cors = {
      "access-control-allow-origin": request.headers.origin ?? "*",
      "access-control-allow-headers": "content-type, accept, apikey, authorization, x-csrf-token",
      "access-control-allow-methods": "POST, PUT, GET",
      "cache-control": "no-store",
    };
    if (request.method === "OPTIONS") {
      response.writeHead(204, cors);
      response.end();
      return;
    }
    requests.push({ method: request.method, path: request.url, headers: request.headers, body: text });
    const route = routes[`${request.method} ${request.url}`];
    let body = {};
    let form = null;
    if ((request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      form = new URLSearchParams(text);
    } else {
      try {
        body = JSON.parse(text || "{}");
      } catch {
        body = {};
      }
    }
    const answer = route ? route({ body, form, headers: request.headers }) : json(404, { error: "not found" });
    response.writeHead(answer.status, { ...cors, "content-type": answer.type });
    response.end(answer.body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
