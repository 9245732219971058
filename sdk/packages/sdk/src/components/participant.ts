import { GrowthOSElement, WidgetError, anonymousId, esc, idSegment, uuidv4 } from './base.js';
import { PARTICIPANT_KEY, RESET_EVENT } from '../cookies.js';

/** `GET /v1/widgets/campaigns/{id}` (WidgetCampaign): what is shown before anyone joined. */
export interface WidgetCampaign {
  object: 'widget_campaign';
  id: string;
  type: 'referral' | 'waitlist';
  name: string;
  status: 'active';
  /** RFC 3339; null when the campaign has no start or end. */
  starts_at: string | null;
  ends_at: string | null;
  counts: { participants: number; waiting: number | null };
  referral: {
    landing_url: string | null;
    share_parameter: string;
    /** Waitlists; null for referral programs. */
    spots_per_referral: number | null;
    require_verification: boolean | null;
    /** Referral programs: the reward rules, as shown to participants; null for waitlists. */
    rewards: WidgetRewardRule[] | null;
  };
  leaderboard: { rank: number; name: string; referrals: number }[];
}

/** A referral program's reward rule in WidgetCampaign (`every` or `milestones`). */
export interface WidgetRewardRule {
  side: 'referrer' | 'referee' | 'both';
  /** A reward every this many qualified referrals; null with milestones. */
  every: number | null;
  /** Rewards at these counts of qualified referrals; null with every. */
  milestones: number[] | null;
  /** Most rewards one participant gets from this rule; null: no limit. */
  limit: number | null;
  reward: { type: 'credit' | 'discount' | 'cash' | 'custom'; amount: number | null; currency: string | null; description: string | null };
}

/** The join answer and `GET …/participants/me` (WidgetParticipant): one's own state only. */
export interface WidgetParticipant {
  object: 'widget_participant';
  campaign_id: string;
  campaign_type: 'referral' | 'waitlist';
  /** Only in the join answer. */
  participant_token?: string;
  referral_code: string;
  share_url: string | null;
  position: number | null;
  people_ahead: number | null;
  total: number | null;
  qualified_referrals: number;
  referrals: { pending: number; qualified: number; rewarded: number };
  verification_required: boolean;
  verified: boolean;
  admitted: boolean;
  joined_at: string;
}

/** The Ingest API's longest `referral_code` (characters, code points). */
const MAX_CODE_CHARS = 64;

/** A participant's state as the page may see it (the join answer without its token). */
type Joined = Omit<WidgetParticipant, 'participant_token'>;

/**
 * The elements in a document now, and who joined on this page, per host and campaign: joining in one
 * element (the form in a page's header) shows the joined state in the others of the same campaign
 * (its footer), also where storage is blocked. Module scope: nothing is added to the page's globals.
 */
const members = new Set<ParticipantElement>();
const joinedHere = new Map<string, Joined>();
/** The windows whose `storage` event is heard: a join in another tab of the site stores a token. */
const heard = new WeakSet<Window>();

/**
 * The join form of a waitlist or referral campaign: e-mail in, then the place in line and the
 * personal share link. Remembers the participant (token in localStorage, sent as
 * GrowthOS-Participant-Token) and shows their state on the next visit. Attributes: campaign, host,
 * write-key, referral-code (default: the campaign's share parameter, `ref`, of the page URL),
 * heading, button-label, text-<key> (every other text; see t() in base.ts). Events: growthos:loaded
 * (the campaign), growthos:joined, growthos:copied, growthos:error.
 */
export abstract class ParticipantElement extends GrowthOSElement {
  static override get observedAttributes(): string[] {
    return [...GrowthOSElement.observedAttributes, 'campaign', 'heading', 'button-label', 'referral-code'];
  }

  protected abstract defaults: { heading: string; button: string };

  protected override css(): string {
    return '[role=status]{align-self:center}';
  }
  private info?: WidgetCampaign;
  /** The join attempt in progress: its client_id is sent again when the same e-mail is retried. */
  private attempt?: { email: string; clientId: string };
  /** The participant state shown (the form is gone). */
  private shown?: Joined;

  /** Which elements share a joined state: one campaign of one Ingest API. */
  private get key(): string {
    return this.host + ' ' + this.campaign;
  }

  override connectedCallback(): void {
    members.add(this);
    const view = this.ownerDocument.defaultView;
    if (view && !heard.has(view)) {
      heard.add(view);
      // Another tab of the site joined (it stored the participant token): the elements of that
      // campaign still showing the form read the state with the token, as on the next visit.
      // Another tab logged out (the client's reset()), forgot a refused token or cleared the
      // storage: the elements showing that participant start again (they read the token again, so
      // a spurious event costs a request, no more).
      view.addEventListener('storage', (e) => {
        const k = e.key;
        if (k === null) ParticipantElement.forgotten();
        else if (!k.startsWith(PARTICIPANT_KEY)) return;
        else if (e.newValue) members.forEach((el) => el.tokenKey === k && el.$('form') && !el.shown && el.restart());
        else ParticipantElement.forgotten(k.slice(PARTICIPANT_KEY.length));
      });
      // The client's reset() on this page: a single-page app's logout, with no page load.
      view.addEventListener(RESET_EVENT, () => ParticipantElement.forgotten());
    }
    super.connectedCallback();
    // Back in a document after another element of the campaign joined meanwhile.
    const joined = joinedHere.get(this.key);
    if (joined && this.$('form') && this.shown !== joined) this.show(joined, false);
  }

  /**
   * The participant of a campaign of a host (`key` undefined: of every campaign) is no longer this
   * browser's: no element shows its place and link any more, on screen or mounted later.
   */
  private static forgotten(key?: string): void {
    for (const k of [...joinedHere.keys()]) if (key === undefined || k === key) joinedHere.delete(k);
    members.forEach((el) => (key === undefined || el.key === key) && el.shown && el.restart());
  }

  override disconnectedCallback(): void {
    members.delete(this);
    super.disconnectedCallback();
  }

  /**
   * Where the token is kept: per Ingest API and campaign, so an element given another `host` (a
   * staging snippet, an injected tag) neither receives nor forgets this one's token.
   */
  private get tokenKey(): string {
    return PARTICIPANT_KEY + this.key;
  }

  private get base(): string {
    return `/campaigns/${idSegment(this.campaign)}`;
  }

  protected async start(): Promise<void> {
    const heading = this.getAttribute('heading') || this.defaults.heading;
    const button = this.getAttribute('button-label') || this.defaults.button;
    this.info = undefined;
    this.attempt = undefined;
    this.shown = undefined;
    this.render(`<div class="box" part="container">
<h2 part="heading">${esc(heading)}</h2>
<p part="count" hidden></p>
<form part="form" novalidate>
<label part="label" for="email">${esc(this.t('email-label', 'Email address'))}</label>
<input part="input" id="email" name="email" type="email" autocomplete="email" required>
<div class="row"><button part="button" type="submit">${esc(button)}</button></div>
</form>
<div part="result" hidden></div>
<p part="error" id="error" class="error" role="alert" hidden></p>
</div>`);
    const form = this.$<HTMLFormElement>('form');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.join().catch((err) => this.fail(err));
    });
    let token: string | null = null;
    // Kept by a version before 2026-12-07 under the campaign alone: moved to this host's key once
    // this host accepts it, and kept where it is if it refuses it (the token may be another host's).
    const legacy = PARTICIPANT_KEY + this.campaign;
    let old = false;
    try {
      token = localStorage.getItem(this.tokenKey);
      if (!token) old = !!(token = localStorage.getItem(legacy));
    } catch {
      token = null;
    }
    if (token) {
      try {
        this.show(await this.api<WidgetParticipant>(this.base + '/participants/me', { headers: { 'GrowthOS-Participant-Token': token }, retries: 1 }), false);
        if (old) {
          localStorage.setItem(this.tokenKey, token);
          localStorage.removeItem(legacy);
        }
        return;
      } catch (e) {
        // 401: the token was replaced by a later join or is unknown: forget it, offer the form.
        if ((e as WidgetError).status === 401 && !old) this.forget();
      }
    }
    const here = joinedHere.get(this.key);
    if (here) return this.show(here, false);
    this.info = await this.api<WidgetCampaign>(this.base, { retries: 1 });
    this.emit('loaded', this.info);
    const count = this.countText(this.info);
    // Another element of the campaign joined while this one loaded: its state is shown, not the count.
    if (count && !this.shown) {
      const p = this.$('[part~=count]');
      p.textContent = count;
      p.hidden = false;
    }
  }

  private forget(): void {
    try {
      localStorage.removeItem(this.tokenKey);
    } catch {
      // storage blocked
    }
  }

  /**
   * The referral code to join with: the attribute, else the page URL's. A value over the 64
   * characters the Ingest API takes for `referral_code` is no participant's code (another site's
   * own `ref=`, a whole URL): it is left out, as the server ignores an unknown code, instead of
   * making every join of the visitor a 400.
   */
  private referralCode(): string | undefined {
    const attr = this.getAttribute('referral-code');
    const params = new URLSearchParams(location.search);
    const name = (this.info && this.info.referral && this.info.referral.share_parameter) || 'ref';
    const code = attr || params.get(name) || params.get('ref') || params.get('referral_code') || undefined;
    if (code && Array.from(code).length > MAX_CODE_CHARS) {
      console.warn(`GrowthOS <${this.tagName.toLowerCase()}>: '${code.slice(0, 80)}…' is longer than a referral code can be (${MAX_CODE_CHARS} characters): joining without it.`);
      return undefined;
    }
    return code;
  }

  private async join(): Promise<void> {
    const input = this.$<HTMLInputElement>('input');
    const error = this.$('[part~=error]');
    error.hidden = true;
    const email = input.value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      invalid(input, true);
      input.focus();
      throw { status: 0, code: 'invalid_email', message: this.t('invalid-email', 'Please enter a valid email address.') };
    }
    invalid(input, false);
    // One client_id per join attempt, kept while the same e-mail is retried (automatically, or by
    // pressing the button again after a failure): the server replays the join instead of failing.
    if (!this.attempt || this.attempt.email !== email) this.attempt = { email, clientId: uuidv4() };
    // The visitor's anonymous id (the tracking client's, as the survey widget sends it): the server
    // keeps it with the participant for the fraud checks, so a second address typed into the
    // referrer's own browser is a self-referral (same_anonymous_id), not a friend.
    const body: Record<string, string> = { email, client_id: this.attempt.clientId, anonymous_id: anonymousId() };
    const code = this.referralCode();
    if (code) body.referral_code = code;
    const button = this.$<HTMLButtonElement>('button');
    // Disabling the focused button drops the focus to the page; it is given back below.
    const pressed = this.root.activeElement === button;
    button.disabled = true;
    try {
      const joined = await this.api<WidgetParticipant>(this.base + '/participants', { method: 'POST', body, retries: 2 });
      this.attempt = undefined;
      try {
        if (joined.participant_token) localStorage.setItem(this.tokenKey, joined.participant_token);
      } catch {
        // storage blocked: the state is shown now, not remembered
      }
      const { participant_token: _token, ...detail } = joined;
      this.show(detail, true);
      // The same visitor in the same campaign: every element of it on the page shows the state.
      joinedHere.set(this.key, detail);
      members.forEach((el) => el !== this && el.key === this.key && el.$('form') && el.show(detail, false));
      this.emit('joined', detail);
    } catch (e) {
      const err = e as WidgetError;
      const refused = err.status === 400 || err.status === 409;
      if (refused) invalid(input, true);
      // The visitor pressed the button: the focus goes to the field to correct, or back to the button to retry.
      button.disabled = false;
      if (pressed && !this.root.activeElement) (refused ? input : button).focus();
      throw err;
    } finally {
      button.disabled = false;
    }
  }

  protected override visitorText(e: WidgetError): string | undefined {
    return e.status === 409 ? this.t('already-joined', 'This email address has already joined.') : undefined;
  }

  /** Shows the participant's state; `focus`: the visitor joined here, the focus goes to the result. */
  protected show(p: Joined, focus: boolean): void {
    this.shown = p;
    this.$('form').hidden = true;
    this.$('[part~=count]').hidden = true;
    this.$('[part~=error]').hidden = true;
    const result = this.$('[part~=result]');
    result.hidden = false;
    result.innerHTML = this.summary(p) +
      (p.verification_required && !p.verified ? `<p part="verify">${esc(this.t('verify', 'Check your inbox to confirm your email address.'))}</p>` : '') +
      (p.share_url
        ? `<label part="label" for="share">${esc(this.t('link-label', 'Your link'))}</label><input part="input share" id="share" type="text" readonly value="${esc(p.share_url)}">
<div class="row"><button part="button copy" type="button">${esc(this.t('copy', 'Copy link'))}</button><span part="status" role="status"></span></div>`
        : '');
    const copy = result.querySelector('button');
    const status = result.querySelector('[role=status]') as HTMLElement;
    // The confirmation is the text of a status region (in place before it changes): screen readers announce it.
    if (copy) {
      copy.addEventListener('click', () => {
        const done = () => {
          status.textContent = this.t('copied', 'Link copied.');
          this.emit('copied', { share_url: p.share_url });
        };
        // No clipboard API (a page on http://) or it refused: the older copy command, else the link selected to copy by hand.
        const fallback = () => {
          const input = result.querySelector('#share') as HTMLInputElement;
          input.focus();
          input.select();
          let ok = false;
          try {
            ok = this.ownerDocument.execCommand('copy');
          } catch {
            ok = false;
          }
          if (ok) done();
          else status.textContent = this.t('copy-by-hand', 'The link is selected: copy it with Ctrl+C (⌘C on a Mac).');
        };
        try {
          navigator.clipboard.writeText(p.share_url || '').then(done, fallback);
        } catch {
          fallback();
        }
      });
    }
    if (focus) (result.querySelector('[tabindex]') as HTMLElement | null)?.focus();
  }

  protected abstract countText(c: WidgetCampaign): string;
  protected abstract summary(p: Joined): string;
}

export class WaitlistElement extends ParticipantElement {
  protected defaults = { heading: 'Join the waitlist', button: 'Join the waitlist' };

  protected countText(c: WidgetCampaign): string {
    const n = c.counts.waiting ?? c.counts.participants;
    return n ? this.t('count', `{count} ${n === 1 ? 'person is' : 'people are'} waiting.`, { count: this.num(n) }, n) : '';
  }

  protected summary(p: Joined): string {
    if (p.position == null) {
      return `<p part="position admitted" tabindex="-1"><strong class="big">${esc(this.t('admitted', "You're in!"))}</strong></p><p>${esc(
        this.t('admitted-body', 'Your spot on the waitlist has been confirmed.'),
      )}</p>`;
    }
    // A waitlist's position comes with its total and the people ahead (WidgetParticipant).
    const f = p.qualified_referrals;
    return `<p part="position" tabindex="-1">${this.t(
      'position',
      'You are {position} of {total} ({ahead} ahead of you).',
      { position: `<strong class="big">#${this.num(p.position)}</strong>`, total: this.num(p.total), ahead: this.num(p.people_ahead) },
      0,
      true,
    )}</p><p part="referrals">${f ? this.t('friends', `{count} friend${f === 1 ? '' : 's'} joined with your link.`, { count: this.num(f) }, f, true) + ' ' : ''}${
      // No landing URL, no link to share (share_url null): the sentence would promise one.
      p.share_url ? esc(this.t('share', 'Share your link: each friend who joins moves you up.')) : ''
    }</p>`;
  }
}

export class ReferralElement extends ParticipantElement {
  protected defaults = { heading: 'Invite your friends', button: 'Get my invite link' };

  protected countText(c: WidgetCampaign): string {
    const n = c.counts.participants;
    return n ? this.t('count', `{count} ${n === 1 ? 'person has' : 'people have'} joined.`, { count: this.num(n) }, n) : '';
  }

  protected summary(p: Joined): string {
    const r = p.referrals || { pending: 0, qualified: 0, rewarded: 0 };
    const q = r.qualified;
    return `<p part="code" tabindex="-1">${this.t('code', 'Your referral code: {code}', { code: `<strong class="big">${esc(p.referral_code)}</strong>` }, 0, true)}</p><p part="referrals">${this.t(
      r.pending ? 'referrals-pending' : 'referrals',
      `{count} successful referral${q === 1 ? '' : 's'}${r.pending ? ', {pending} pending' : ''}.`,
      { count: this.num(q), pending: this.num(r.pending) },
      q,
      true,
    )}</p>`;
  }
}

/**
 * Marks the e-mail field invalid or valid. Invalid, it is described by the error message, so a
 * screen reader that lands on the field reads why, not only that it is invalid.
 */
function invalid(input: HTMLInputElement, on: boolean): void {
  if (on) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'error');
  } else {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}
