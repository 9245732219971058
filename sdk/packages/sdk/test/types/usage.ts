// Compiled (not run) by `npm test`: the generated Management types and the tracking API as a
// TypeScript user sees them through the package's own declarations. The @ts-expect-error lines
// fail the compilation if the types stop catching those mistakes.
import GrowthOS, { GrowthOSError, Management, type components } from '../../dist/esm/index.js';
import { defineGrowthOSElements, WaitlistElement, type WidgetCampaign, type WidgetParticipant, type WidgetSurvey, type SocialProofFeed, type WidgetError } from '../../dist/esm/components/index.js';

async function usage(): Promise<void> {
  const gos = GrowthOS.init({ writeKey: 'gos_wk_x', host: 'http://localhost:8081' });
  const id: string | undefined = gos.track('Feature Activated', { feature: 'referral_program' });
  gos.identify('user_123', { email: 'alice@example.com' });
  gos.page();
  gos.page({ plan: 'pro' });
  gos.page('Pricing', { plan: 'pro' }, { userId: 'user_123' });
  gos.page('Docs', 'Getting Started', { section: 'install' }, { userId: 'user_123' });
  // analytics.js's callback as the last argument of every form.
  const go = (): void => undefined;
  gos.track('Clicked Link', { href: '/pricing' }, { userId: 'user_123' }, go);
  gos.track('Clicked Link', go);
  gos.track('Clicked Link', { href: '/pricing' }, go);
  gos.identify('user_123', { plan: 'pro' }, {}, go);
  gos.identify('user_123', go);
  gos.identify({ plan: 'pro' }, go);
  gos.page('Docs', 'Getting Started', { section: 'install' }, { userId: 'user_123' }, go);
  gos.page('Pricing', go);
  gos.page(go);
  gos.group('acme', { plan: 'scale' }, {}, go);
  gos.group('acme', go);
  gos.alias('user_123', 'anon_1', {}, go);
  gos.alias('user_123', go);
  GrowthOS.init({ writeKey: 'gos_wk_x', callbackTimeout: 500 });
  await gos.flush();
  // @ts-expect-error writeKey is required
  GrowthOS.init({ host: 'x' });

  const m = new Management({ secretKey: 'gos_sk_x' });
  // An internal page nobody else opens may opt in; elsewhere in a page the constructor throws.
  new Management({ secretKey: 'gos_sk_x', dangerouslyAllowBrowser: true });
  const contact: components['schemas']['Contact'] = await m.contacts.create({ email: 'a@example.com' });
  const email: string | undefined | null = contact.email;
  for await (const c of m.contacts.list({ limit: 10, email: 'a@example.com' })) {
    const cid: string | undefined = c.id;
    void cid;
  }
  const page = await m.events.list({ user_id: 'user_123' }).page();
  const more: boolean = page.has_more;
  const rolled = await m.apiKeys.roll('key_1', { grace_period_seconds: 60 }, { idempotencyKey: 'k' });
  // The full key is null when the answer is replayed from the idempotency store.
  const fullKey: string | null | undefined = rolled.key;
  // @ts-expect-error key may be null, not only left out
  const notNull: string | undefined = rolled.key;
  const created = await m.workspaces.create({ name: 'Acme', plan: 'free' });
  const writeKey: string | null = created.write_key;
  // @ts-expect-error the first keys are null in a replayed answer
  const secretKey: string = created.secret_key;
  await m.campaigns.participants.list('cmp_1');
  // @ts-expect-error unknown query parameter
  m.contacts.list({ colour: 'red' });
  // @ts-expect-error the body has no such field
  await m.contacts.create({ emial: 'typo@example.com' });
  // @ts-expect-error retrieve needs the id
  await m.contacts.retrieve();
  try {
    await m.contacts.retrieve('cntct_x');
  } catch (e) {
    if (e instanceof GrowthOSError) console.log(e.code, e.status, e.details, e.request_id);
  }
  const results = await m.campaigns.results('cmp_survey');
  for await (const r of m.campaigns.responses.list('cmp_survey', { limit: 10 })) void r;
  await m.campaigns.feed('cmp_sp');
  await m.campaigns.leaderboard('cmp_1');
  void results;
  defineGrowthOSElements();
  const el: HTMLElement = new WaitlistElement();
  // The payloads the components receive, for listeners of growthos:* events.
  document.addEventListener('growthos:joined', (e) => {
    const p = (e as CustomEvent<Omit<WidgetParticipant, 'participant_token'>>).detail;
    const position: number | null = p.position;
    void position;
  });
  document.addEventListener('growthos:error', (e) => void (e as CustomEvent<WidgetError>).detail.status);
  document.addEventListener('growthos:loaded', (e) => {
    const c = (e as CustomEvent<WidgetCampaign>).detail;
    const every: number | null | undefined = c.referral.rewards?.[0]?.every;
    const ends: string | null = c.ends_at;
    void [every, ends];
  });
  const s: WidgetSurvey | null = null;
  const f: SocialProofFeed | null = null;
  void [s, f];
  void [id, email, more, el, fullKey, notNull, writeKey, secretKey];
}
void usage;
