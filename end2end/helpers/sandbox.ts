// The sandbox's Salesforce simulator, for journeys where someone at the company acts: an agent
// answers a support case, an operator approves an order. Needs PORTAL_SANDBOX_CONTROL_URL (scripts/test.sh fixes the control
// port and sets it).
import { expect } from '@playwright/test';

/** An agent answers case `id` (or leaves an internal note that customers must never see). */
export async function agentReplies(id: string, body: string, internal = false): Promise<void> {
  const control = process.env.PORTAL_SANDBOX_CONTROL_URL;
  if (!control) throw new Error('PORTAL_SANDBOX_CONTROL_URL is not set: an agent reply needs the sandbox control API');
  const providers = await (await fetch(`${control}/providers`)).json();
  const res = await fetch(`${providers.salesforce}/_sandbox/cases/${id}/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body, internal }),
  });
  expect(res.status).toBe(201);
}

/** The operator approves CRM order `id` in the Salesforce simulator (publishes its event). */
export async function approveOrder(id: string): Promise<void> {
  const control = process.env.PORTAL_SANDBOX_CONTROL_URL;
  if (!control) throw new Error('PORTAL_SANDBOX_CONTROL_URL is not set: approving an order needs the sandbox control API');
  const providers = await (await fetch(`${control}/providers`)).json();
  const res = await fetch(`${providers.salesforce}/_sandbox/orders/${id}/approve`, { method: 'POST' });
  expect(res.status).toBe(200);
}

/** A call to the Freebit simulator's control API (`/_sandbox/…`): a GET, or a POST of `body`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function freebit(path: string, body?: unknown): Promise<any> {
  const control = process.env.PORTAL_SANDBOX_CONTROL_URL;
  if (!control) throw new Error('PORTAL_SANDBOX_CONTROL_URL is not set: the SIM journeys need the sandbox control API');
  const providers = await (await fetch(`${control}/providers`)).json();
  const res = await fetch(`${providers.freebit}${path}`, body === undefined
    ? {}
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : null;
}
