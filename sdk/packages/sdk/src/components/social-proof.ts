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

/** `interval` in ms: absent or not a number gives 6000; below 1000 (0, 1, negative) gives 1000. */
function rotation(attr: string | null): number {
  const n = attr === null || attr.trim() === '' ? NaN : Number(attr);
  return Number.isFinite(n) ? Math.max(MIN_INTERVAL, n) : 6000;
}

/**
 * Social proof toasts: the campaign's feed (already masked by the server) shown one item at a time,
 * with the counters. Not a live region: a feed changing every few seconds would interrupt a screen
 * reader each time (WCAG 4.1.3, 2.2.2); it is read where it stands. The rotation holds while the
 * pointer is over the toast or the focus in it, and with prefers-reduced-motion it shows the first
 * item only. Attributes: campaign, host, write-key, interval (ms between items, default 6000, at
 * least 1000). Events: growthos:loaded, growthos:dismissed, growthos:error.
 */
export class SocialProofElement extends GrowthOSElement {
  static override get observedAttributes(): string[] {
    return [...GrowthOSElement.observedAttributes, 'interval'];
  }

  protected override css(): string {
    return `.toast{display:flex;gap:.75em;align-items:start;box-shadow:0 4px 14px rgba(0,0,0,.15)}
.toast p{margin:0}.close{padding:.1em .5em;margin-left:auto}`;
  }

  protected async start(): Promise<void> {
    const feed = await this.api<SocialProofFeed>(`/campaigns/${idSegment(this.campaign)}/feed`, { retries: 1 });
    const items = (feed && feed.items) || [];
    const counters = (feed && feed.counters) || [];
    this.emit('loaded', feed);
    if (!items.length && !counters.length) {
      this.render('');
      return;
    }
    this.render(`<div class="box toast" part="container toast">
<div><p part="message"></p>
${counters.map((c) => `<p part="counter">${esc(c.message)}</p>`).join('')}</div>
<button part="button close" class="secondary close" type="button" aria-label="${esc(this.t('dismiss', 'Dismiss'))}">×</button></div>`);
    const message = this.$('[part~=message]');
    let i = 0;
    const showNext = () => {
      if (!items.length) return;
      const item = items[i++ % items.length];
      // The server renders the whole message (its template places {time_ago}); text only.
      message.textContent = item.message;
    };
    showNext();
    const box = this.$('.toast');
    const view = this.ownerDocument.defaultView;
    // Held while hovered or focused (a visitor reading it, or on its × button), and never moving for
    // a visitor who asked for less motion.
    const hold = () =>
      box.matches(':hover') || !!this.root.activeElement || !!(view && view.matchMedia && view.matchMedia('(prefers-reduced-motion: reduce)').matches);
    // The run's interval: cleared when a later start supersedes it, paused while disconnected.
    if (items.length > 1) this.runEvery(() => hold() || showNext(), rotation(this.getAttribute('interval')));
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
