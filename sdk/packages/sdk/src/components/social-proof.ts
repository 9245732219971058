import { GrowthOSElement, esc, idSegment } from './base.js';

/** `GET /v1/widgets/campaigns/{id}/feed`: rendered, masked text only, newest first. */
export interface SocialProofFeed {
  object: 'social_proof_feed';
  campaign: string;
  /** `id` is opaque and stable for one activity. */
  items: { id: string; message: string; time_ago: string }[];
  counters: { message: string; count: number }[];
}

/** The fastest rotation `interval` allows (ms). */
const MIN_INTERVAL = 1000;

/**
 * A time attribute in ms: `fallback` when absent or not a number; else at least `min`, except that
 * `off` (refresh) makes 0 or less give 0.
 */
function ms(attr: string | null, fallback: number, min: number, off?: boolean): number {
  const n = attr === null || attr.trim() === '' ? NaN : Number(attr);
  return !Number.isFinite(n) ? fallback : off && n <= 0 ? 0 : Math.max(min, n);
}

/**
 * Social proof toasts: the campaign's feed (already masked by the server) shown one item at a time,
 * with the counters. Not a live region: a feed changing every few seconds would interrupt a screen
 * reader each time (WCAG 4.1.3, 2.2.2); it is read where it stands. The rotation holds while the
 * pointer is over the toast or the focus in it, and with prefers-reduced-motion it shows the first
 * item only. The feed is fetched again every `refresh` ms, so its "5 minutes ago" stays true and new
 * activity shows on a page left open, also when the feed was empty at first (it then starts again with
 * the feed, firing growthos:loaded again); a failed refresh keeps what is shown. Attributes: campaign,
 * host, write-key, interval (ms between items, default 6000, at least 1000), refresh (ms between
 * fetches of the feed, default 300000, at least 30000, 0: never; each fetch counts against the
 * write key's rate limit). Events: growthos:loaded, growthos:dismissed, growthos:error (the first
 * fetch's; refreshes fire none).
 */
export class SocialProofElement extends GrowthOSElement {
  static override get observedAttributes(): string[] {
    return [...GrowthOSElement.observedAttributes, 'campaign', 'interval', 'refresh'];
  }

  protected override css(): string {
    return `.toast{display:flex;gap:.75em;align-items:start;box-shadow:0 4px 14px rgba(0,0,0,.15)}
.toast p{margin:0}.close{padding:.1em .5em;margin-left:auto}`;
  }

  protected async start(): Promise<void> {
    const path = `/campaigns/${idSegment(this.campaign)}/feed`;
    const feed = await this.api<SocialProofFeed>(path, { retries: 1 });
    const items = feed.items || [];
    const counters = feed.counters || [];
    this.emit('loaded', feed);
    // The feed again every `refresh` ms (a superseded run's fetch never resolves). A refresh that
    // fails or finds no item changes nothing; the next one tries again.
    const refresh = ms(this.getAttribute('refresh'), 300000, 30000, true);
    const every = (then: (fresh: SocialProofFeed) => void) =>
      refresh &&
      this.runEvery(() => this.api<SocialProofFeed>(path).then((fresh) => fresh.items && fresh.items.length && then(fresh), () => 0), refresh);
    if (!items.length && !counters.length) {
      this.render('');
      // Nothing to show yet: the first refresh that finds activity starts again with it.
      every(() => this.restart());
      return;
    }
    this.render(`<div class="box toast" part="container toast">
<div><p part="message"></p>
${counters.map((c) => `<p part="counter">${esc(c.message)}</p>`).join('')}</div>
<button part="button close" class="secondary close" type="button" aria-label="${esc(this.t('dismiss', 'Dismiss'))}">×</button></div>`);
    const message = this.$('[part~=message]');
    let i = 0;
    let shown: string | undefined;
    const showNext = () => {
      const item = items[i++ % items.length];
      // The server renders the whole message (its template places {time_ago}); text only.
      if (item) {
        shown = item.id;
        message.textContent = item.message;
      }
    };
    showNext();
    const box = this.$('.toast');
    // Held while hovered or focused (a visitor reading it, or on its × button), and never moving for
    // a visitor who asked for less motion.
    const hold = () => box.matches(':hover') || this.root.activeElement || matchMedia('(prefers-reduced-motion: reduce)').matches;
    // The run's interval: cleared when a later start supersedes it, paused while disconnected. It
    // runs for one item too, in case a refresh brings more.
    this.runEvery(() => hold() || showNext(), ms(this.getAttribute('interval'), 6000, MIN_INTERVAL));
    // A refresh brings the same items with their age now, and any new ones. The item on screen keeps
    // its place and shows its new text, and so do the counters.
    const counterParts = this.root.querySelectorAll('[part~=counter]');
    every((fresh) => {
      items.splice(0, items.length, ...fresh.items);
      const at = items.findIndex((item) => item.id === shown);
      if (at >= 0) {
        i = at + 1;
        message.textContent = items[at].message;
      }
      (fresh.counters || []).forEach((c, n) => counterParts[n] && (counterParts[n].textContent = c.message));
    });
    // What had the focus before it entered the toast (Tab, a click): it gets it back when the
    // toast is dismissed from inside, instead of the focus dropping to the top of the page.
    let returnFocus: HTMLElement | undefined;
    box.addEventListener('focusin', (e) => {
      const from = (e as FocusEvent).relatedTarget as HTMLElement | null;
      if (from && !this.root.contains(from)) returnFocus = from;
    });
    this.$('.close').addEventListener('click', () => {
      const back = this.root.activeElement ? returnFocus : undefined;
      this.stopTimers();
      this.render('');
      if (back && back.isConnected) back.focus();
      this.emit('dismissed', {});
    });
  }
}
