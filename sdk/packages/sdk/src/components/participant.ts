import { GrowthOSElement, anonymousId, esc } from './base.js';

interface Joined {
  participant_token?: string;
  referral_code?: string;
  share_url?: string;
  position?: number;
  total?: number;
  people_ahead?: number;
}

/**
 * The join form of a waitlist or referral campaign: e-mail in, then the place in line and the
 * personal share link. Remembers the participant (token in localStorage) and shows their state on
 * the next visit. Attributes: campaign, host, write-key, referral-code (default: ref in the URL),
 * heading, button-label. Events: growthos:joined, growthos:copied, growthos:error.
 */
export abstract class ParticipantElement extends GrowthOSElement {
  static override get observedAttributes(): string[] {
    return [...GrowthOSElement.observedAttributes, 'heading', 'button-label', 'referral-code'];
  }

  protected abstract defaults: { heading: string; button: string };

  private get tokenKey(): string {
    return 'gos_participant_' + this.campaign;
  }

  protected async start(): Promise<void> {
    const heading = this.getAttribute('heading') || this.defaults.heading;
    const button = this.getAttribute('button-label') || this.defaults.button;
    this.render(`<div class="box" part="container">
<h2 part="heading">${esc(heading)}</h2>
<form part="form" novalidate>
<label part="label" for="email">Email address</label>
<input part="input" id="email" name="email" type="email" autocomplete="email" required>
<div class="row"><button part="button" type="submit">${esc(button)}</button></div>
</form>
<div part="result" hidden aria-live="polite"></div>
<p part="error" class="error" role="alert" hidden></p>
</div>`);
    const form = this.$<HTMLFormElement>('form');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.join().catch((err) => this.fail(err));
    });
    let token: string | null = null;
    try {
      token = localStorage.getItem(this.tokenKey);
    } catch {
      token = null;
    }
    if (token) {
      try {
        this.show(await this.api<Joined>(`/campaigns/${encodeURIComponent(this.campaign)}/participants/me`, { headers: { 'GrowthOS-Participant-Token': token } }));
      } catch {
        // token unknown or expired: offer the form again
      }
    }
  }

  private referralCode(): string | undefined {
    const attr = this.getAttribute('referral-code');
    if (attr) return attr;
    const params = new URLSearchParams(location.search);
    return params.get('ref') || params.get('referral_code') || undefined;
  }

  private async join(): Promise<void> {
    const input = this.$<HTMLInputElement>('input');
    const error = this.$('[part~=error]');
    error.hidden = true;
    const email = input.value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      throw { status: 0, code: 'invalid_email', message: 'Please enter a valid email address.' };
    }
    input.removeAttribute('aria-invalid');
    const button = this.$<HTMLButtonElement>('button');
    button.disabled = true;
    try {
      const joined = await this.api<Joined>(`/campaigns/${encodeURIComponent(this.campaign)}/participants`, {
        method: 'POST',
        body: { email, referral_code: this.referralCode(), client_id: anonymousId() + ':' + this.campaign },
      });
      try {
        if (joined.participant_token) localStorage.setItem(this.tokenKey, joined.participant_token);
      } catch {
        // storage blocked: the state is shown now, not remembered
      }
      this.show(joined);
      this.emit('joined', joined);
    } finally {
      button.disabled = false;
    }
  }

  protected show(p: Joined): void {
    this.$('form').hidden = true;
    const result = this.$('[part~=result]');
    result.hidden = false;
    result.innerHTML = this.summary(p) + (p.share_url
      ? `<label part="label" for="share">Your link</label><input part="input share" id="share" type="text" readonly value="${esc(p.share_url)}">
<div class="row"><button part="button copy" type="button">Copy link</button></div>`
      : '');
    const copy = result.querySelector('button');
    if (copy) {
      copy.addEventListener('click', () => {
        const done = () => {
          copy.textContent = 'Copied!';
          this.emit('copied', { share_url: p.share_url });
        };
        try {
          navigator.clipboard.writeText(p.share_url || '').then(done, () => {
            (result.querySelector('#share') as HTMLInputElement).select();
            done();
          });
        } catch {
          done();
        }
      });
    }
    (result.querySelector('[tabindex]') as HTMLElement | null)?.focus();
  }

  protected abstract summary(p: Joined): string;
}

export class WaitlistElement extends ParticipantElement {
  protected defaults = { heading: 'Join the waitlist', button: 'Join the waitlist' };

  protected summary(p: Joined): string {
    return `<p part="position" tabindex="-1">You are <strong class="big">#${esc(p.position)}</strong> of ${esc(p.total)}${
      p.people_ahead !== undefined ? ` (${esc(p.people_ahead)} ahead of you)` : ''
    }.</p><p>Share your link: each friend who joins moves you up.</p>`;
  }
}

export class ReferralElement extends ParticipantElement {
  protected defaults = { heading: 'Invite your friends', button: 'Get my invite link' };

  protected summary(p: Joined): string {
    return `<p part="code" tabindex="-1">Your referral code: <strong class="big">${esc(p.referral_code)}</strong></p>`;
  }
}
