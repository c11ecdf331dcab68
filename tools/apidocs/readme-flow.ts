// The README's flow, as a TypeScript partner would write it with openapi-fetch and the types
// openapi-typescript generates from docs/openapi.json. Only type-checked (typecheck.mjs): a type
// error here is a description bug. The @ts-expect-error lines prove the description refuses what
// the service refuses.
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api';

type CaseFileInput = components['schemas']['CaseFileInput'];

export async function readmeFlow(baseUrl: string, pk: string, partner: string, auditor: string): Promise<void> {
  const officer = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${pk}` } });

  const file: CaseFileInput = {
    requestingState: 'PK', requestedState: 'GB', basis: 'SpecialArrangement', category: 'Accusation',
    receivedAt: '2026-08-01T09:30:00Z',
    person: { fullName: 'محسن علی', aliases: ['Mohsin Ali'], dateOfBirth: '1980-02-29', nationality: 'PK' },
    offences: [{ description: 'Money laundering', statute: 'Anti-Money Laundering Act 2010 s.3', category: 'MoneyLaundering', maxPenaltyMonths: 120, deathPenalty: false }],
    warrant: { reference: 'ATC-ISB-2026-17', issuedBy: 'Anti-Terrorism Court Islamabad', issuedOn: '2026-01-15' },
  };
  const filed = await officer.POST('/api/v1/cases', { body: file, params: { header: { 'Idempotency-Key': 'readme-1' } } });
  if (!filed.data) throw new Error(`filing failed: ${filed.error?.title}`);
  const id: string = filed.data.id;
  const state: components['schemas']['CaseState'] = filed.data.state;

  const read = await officer.GET('/api/v1/cases/{id}', { params: { path: { id } } });
  const etag = read.response.headers.get('ETag') ?? '"1"';

  const submitted = await officer.POST('/api/v1/cases/{id}/transitions', {
    params: { path: { id }, header: { 'If-Match': etag } },
    body: { trigger: 'Submit', note: 'Complete.' },
  });
  const actions: components['schemas']['WorkflowTrigger'][] = submitted.data?.allowedActions ?? [];

  // A trigger's data is typed by the trigger.
  await officer.POST('/api/v1/cases/{id}/transitions', {
    params: { path: { id }, header: { 'If-Match': '"2"' } },
    body: { trigger: 'Certify', data: { certificateReference: 'C-1' } },
  });

  const poller = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${partner}` } });
  const status = await poller.GET('/api/v1/cases/{id}/status', { params: { path: { id }, header: { 'If-None-Match': '"2"' } } });
  if (status.response.status !== 304 && status.data) {
    const now: components['schemas']['CaseState'] = status.data.state;
    void now;
  }

  const feed = await poller.GET('/api/v1/changes', { params: { query: { limit: 1000 } } });
  const next: string | undefined = feed.data?.nextCursor;
  const types: string[] = feed.data?.items.map(i => i.type) ?? [];

  const reader = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${auditor}` } });
  const history = await reader.GET('/api/v1/cases/{id}/history', { params: { path: { id } } });
  // The history is JSON, NDJSON or CSV by Accept: the JSON one is the object.
  const events = typeof history.data === 'object' ? history.data.events : [];
  const hashes: string[] = events.map(e => e.hash);

  void [state, actions, next, types, hashes];
}

// What the service refuses, the description refuses too.
export const bogusBasis: CaseFileInput = {
  requestingState: 'PK', requestedState: 'GB',
  // @ts-expect-error 'Bogus' is not a legal basis
  basis: 'Bogus',
  category: 'Accusation', person: { fullName: 'A' },
};

// @ts-expect-error person is required
export const noPerson: CaseFileInput = { requestingState: 'PK', requestedState: 'GB', basis: 'Treaty', category: 'Accusation' };

export const wrongData: components['schemas']['TransitionInput'] = {
  trigger: 'Certify',
  // @ts-expect-error Certify takes certificateReference, not reason
  data: { reason: 'no' },
};

// @ts-expect-error Certify requires its data
export const missingData: components['schemas']['TransitionInput'] = { trigger: 'Certify' };

export async function limitIsANumber(client: ReturnType<typeof createClient<paths>>): Promise<void> {
  // @ts-expect-error limit is a number, not text
  await client.GET('/api/v1/changes', { params: { query: { limit: '1000' } } });
}
