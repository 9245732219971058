import { GrowthOSElement, anonymousId, esc, idSegment, storedUserId, uuidv4, type WidgetError } from './base.js';

/** A logic rule: the first rule of a question matching its answer jumps (forward only). */
export interface SurveyRule {
  if: { op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains' | 'answered' | 'skipped'; value?: unknown };
  then: { jump_to: string };
}
export interface SurveyQuestion {
  id: string;
  type: 'nps' | 'rating' | 'single_choice' | 'multiple_choice' | 'text';
  text: string;
  required?: boolean;
  choices?: string[];
  allow_other?: boolean;
  scale?: number;
  max_length?: number;
  logic?: SurveyRule[];
}
/** `GET /v1/widgets/surveys` answers `{survey: WidgetSurvey | null}`. */
export interface WidgetSurvey {
  id: string;
  object: 'survey';
  name: string;
  questions: SurveyQuestion[];
  thank_you: { headline?: string | null; body?: string | null } | null;
  delay_seconds: number;
  /** The revision of the questions, sent back with the answers (the survey as shown). */
  revision: string;
}

type Answer = number | string | string[] | undefined;

/** The longest Other text the Ingest API takes, in characters (Survey.MAX_OTHER_LENGTH). */
const MAX_OTHER_CHARS = 500;

/** A text question's limit: its `max_length`, else the server's default of 1,000 characters. */
function textLimit(q: SurveyQuestion): number {
  return q.max_length || 1000;
}

/** `text` cut to `max` characters (code points, as the server counts them). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

/**
 * Keeps `field` within `max` characters counted as the server counts them: Unicode code points, an
 * emoji one. (The native `maxlength` counts UTF-16 units, an emoji two, so a visitor typing emoji
 * was stopped at half the length the server takes.) As `maxlength` does, what goes over is cut from
 * the text just typed or pasted, the characters before the caret, and the caret stays after what
 * was kept; during an IME composition the text is left alone until it ends.
 */
function limitChars(field: HTMLInputElement | HTMLTextAreaElement, max: number): void {
  let composing = false;
  const enforce = () => {
    const value = field.value;
    // A character is one or two units: within max units it is within max characters.
    if (composing || value.length <= max) return;
    const over = Array.from(value).length - max;
    if (over <= 0) return;
    const caret = field.selectionEnd ?? value.length;
    const before = Array.from(value.slice(0, caret));
    let kept: string;
    let at: number;
    if (before.length >= over) {
      const head = before.slice(0, before.length - over).join('');
      kept = head + value.slice(caret);
      at = head.length;
    } else {
      kept = clip(value, max);
      at = kept.length;
    }
    field.value = kept;
    try {
      field.setSelectionRange(at, at);
    } catch {
      // a field that takes no selection
    }
  };
  field.addEventListener('compositionstart', () => (composing = true));
  field.addEventListener('compositionend', () => {
    composing = false;
    enforce();
  });
  field.addEventListener('input', enforce);
}

function matches(rule: SurveyRule, a: Answer): boolean {
  const { op, value } = rule.if || ({} as SurveyRule['if']);
  if (op === 'answered') return a !== undefined;
  if (op === 'skipped') return a === undefined;
  if (a === undefined) return false;
  switch (op) {
    case 'eq':
      return a === value;
    case 'neq':
      return a !== value;
    case 'gt':
      return (a as number) > (value as number);
    case 'gte':
      return (a as number) >= (value as number);
    case 'lt':
      return (a as number) < (value as number);
    case 'lte':
      return (a as number) <= (value as number);
    case 'in':
      return Array.isArray(value) && value.indexOf(a) >= 0;
    case 'contains':
      return Array.isArray(a) && a.indexOf(value as string) >= 0;
    default:
      return false;
  }
}

/**
 * Which element of the page shows (or showed) each survey: a page with the element twice (a layout
 * and a page template) shows a survey once, and one closed stays closed, as long as that element
 * is in the document.
 */
const shownBy = new Map<string, HTMLElement>();

/** Surveys the visitor answered or dismissed in this page: no start of this page shows them again. */
const closedHere = new Set<string>();

/**
 * The survey elements in the document, told when the page's URL changes without a page load (a
 * single-page app's route change: React Router, Next.js, Vue Router, a hash router).
 */
const listening = new Set<SurveyElement>();
let watching = false;
/** A router's navigation is often a pushState and then a replaceState: one question after both. */
const NAVIGATION_SETTLE_MS = 100;
/** Fired on window by the patched history methods (once per page, whichever copy of the SDK patched them). */
const HISTORY_EVENT = 'growthos:historychange';
const PATCHED = '__growthosHistoryPatched';

/**
 * Watches the page's URL for same-document navigations, once per copy of the SDK: the Navigation
 * API's `currententrychange` where there is one (pushState, replaceState, back and forward, hash
 * changes), else `history.pushState`/`replaceState` wrapped (once per page, as analytics libraries
 * do; nothing else is replaced) plus `popstate` and `hashchange`. Each burst of changes tells the
 * elements once, after NAVIGATION_SETTLE_MS.
 */
function watchNavigation(win: Window & typeof globalThis): void {
  if (watching) return;
  watching = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      listening.forEach((el) => el.urlChanged());
    }, NAVIGATION_SETTLE_MS);
  };
  const navigation = (win as unknown as { navigation?: EventTarget }).navigation;
  if (navigation && typeof navigation.addEventListener === 'function') {
    navigation.addEventListener('currententrychange', changed);
    return;
  }
  const w = win as unknown as Record<string, unknown>;
  const h = win.history;
  if (h && !w[PATCHED]) {
    w[PATCHED] = true;
    for (const name of ['pushState', 'replaceState'] as const) {
      const original = h[name];
      if (typeof original !== 'function') continue;
      h[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        try {
          win.dispatchEvent(new Event(HISTORY_EVENT));
        } catch {
          // the navigation itself happened; only the re-check is missed
        }
        return result;
      };
    }
  }
  win.addEventListener(HISTORY_EVENT, changed);
  win.addEventListener('popstate', changed);
  win.addEventListener('hashchange', changed);
}

/**
 * The survey the server picks for this visitor now (GET /v1/widgets/surveys with the anonymous id,
 * the user id, the page URL and, when set, the trigger event), shown after its delay as a labelled
 * dialog panel, one question at a time with the survey's logic. A display is recorded when it
 * shows, a dismissal when it is closed unfinished (each with an interaction_id of its own, retried
 * safely), the response after each answer (partial) and with `completed: true` at the end (one
 * response_id, retried safely). In a single-page app it asks again after each route change
 * (`history.pushState`/`replaceState`, back and forward, a hash change), as a page load would,
 * unless a survey is open (the visitor may be answering it): a survey waiting for its delay is
 * dropped when the page it was meant for is left, and one the visitor answered or dismissed in this
 * page is not shown again. Attributes: host,
 * write-key, user-id (default: the tracking client's identified user), event. Events:
 * growthos:displayed, growthos:answered, growthos:responded (complete), growthos:dismissed,
 * growthos:error.
 */
export class SurveyElement extends GrowthOSElement {
  static override get observedAttributes(): string[] {
    return [...GrowthOSElement.observedAttributes, 'user-id', 'event'];
  }

  private survey?: WidgetSurvey;
  private index = 0;
  private answers: Record<string, Answer> = {};
  private responseId = '';
  /** Surveys whose display this element recorded: a later start showing one again records no second display. */
  private recorded = new Set<string>();
  /** What had the focus before it entered the survey (Tab, a click): it gets it back when the survey is closed. */
  private returnFocus?: HTMLElement;
  /** The page URL the last start asked for (a route change since then asks again). */
  private askedUrl?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    listening.add(this);
    watchNavigation(window);
    // Moved back in after a route change made while it was out of the document.
    if (this.askedUrl !== undefined) this.urlChanged();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    listening.delete(this);
  }

  /**
   * The page's URL changed without a load: asks again for the new URL, as a page load would. An
   * open survey stays (the visitor may be answering it; what the server picks for the new URL
   * cannot tell "no longer targeted" from "already shown"), and the same URL asks nothing. Called
   * by the SDK's navigation watcher; a page need not call it.
   * @internal
   */
  urlChanged(): void {
    if (!this.isConnected || this.survey || this.askedUrl === undefined || this.askedUrl === location.href) return;
    this.restart();
  }

  protected override css(): string {
    return `fieldset{border:0;margin:0;padding:0}legend{font-weight:600;margin-bottom:.5em}
.scale{display:flex;flex-wrap:wrap;gap:.25em}.scale label,.choice{font-weight:400}
.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale span{display:inline-block;min-width:2.2em;text-align:center;padding:.35em 0;border:1px solid var(--gos-color-border,#6b7280);border-radius:6px;cursor:pointer}
.scale input:checked+span{background:var(--gos-color-primary,#1d4ed8);color:var(--gos-color-on-primary,#fff);border-color:var(--gos-color-primary,#1d4ed8)}
.scale input:focus-visible+span{outline:3px solid var(--gos-color-focus,#b45309);outline-offset:2px}
@media (forced-colors:active){.scale input:checked+span{forced-color-adjust:none;background:Highlight;color:HighlightText;border-color:Highlight}}
.head{display:flex;justify-content:space-between;align-items:start}.close{padding:.1em .5em}`;
  }

  private visitor(): { anonymous_id: string; user_id?: string; url: string } {
    const userId = this.getAttribute('user-id') || storedUserId();
    // The API takes 2,000 characters: a longer URL is cut between characters, not inside a %XX
    // escape or the escapes of one character (%E2%82 of €), nor between a surrogate pair's halves.
    let url = location.href;
    if (url.length > 2000) url = url.slice(0, 2000).replace(/(%[c-f][\da-f](%[89ab][\da-f])*)?(%[\da-f]?)?$|[\ud800-\udbff]$/i, '');
    return { anonymous_id: anonymousId(), ...(userId ? { user_id: userId } : {}), url };
  }

  protected override required(): string[] {
    return ['write-key'];
  }

  protected async start(): Promise<void> {
    this.survey = undefined;
    this.askedUrl = location.href;
    this.render('');
    const q = new URLSearchParams(this.visitor() as Record<string, string>);
    const event = this.getAttribute('event');
    if (event) q.set('event', event);
    const found = await this.api<{ survey: WidgetSurvey | null }>('/surveys?' + q.toString(), { retries: 1 });
    const survey = found && found.survey;
    if (!survey || !survey.questions || !survey.questions.length) return;
    // A timer of this run: cleared if a later start supersedes it, paused while disconnected.
    this.runLater(() => {
      if (closedHere.has(survey.id)) return;
      const owner = shownBy.get(survey.id);
      if (owner && owner !== this && owner.isConnected) return;
      shownBy.set(survey.id, this);
      this.survey = survey;
      this.index = 0;
      this.answers = {};
      this.responseId = uuidv4();
      this.returnFocus = undefined;
      this.show(true);
      if (this.recorded.has(survey.id)) return;
      this.recorded.add(survey.id);
      this.emit('displayed', { survey_id: survey.id });
      // Recorded once per interaction_id, so a retry does not count the display twice.
      void this.post('displays', { interaction_id: uuidv4(), ...this.visitor() }, 2, true).catch(() => undefined);
    }, Math.max(0, survey.delay_seconds || 0) * 1000);
  }

  private post<T>(what: string, body: unknown, retries = 0, keep = false): Promise<T> {
    return this.api<T>(`/campaigns/${idSegment(this.survey!.id, 'survey')}/${what}`, { method: 'POST', body, retries, keep });
  }

  /** Shows the current question; `appearing`: the survey shows up by itself (after its delay). */
  private show(appearing = false): void {
    const s = this.survey!;
    const question = s.questions[this.index];
    this.render(`<div class="box" part="container" role="dialog" aria-labelledby="q" aria-describedby="progress">
<div class="head"><p id="progress" part="progress">${esc(this.t('progress', 'Question {number} of {total}', { number: this.index + 1, total: s.questions.length }))}</p>
<button part="button close" class="secondary close" type="button" aria-label="${esc(this.t('close', 'Close survey'))}">×</button></div>
<form part="form" novalidate><fieldset><legend id="q" part="question">${esc(question.text)}</legend>${this.field(question)}</fieldset>
<p part="error" class="error" role="alert" hidden></p>
<div class="row"><button part="button" type="submit">${esc(this.index === s.questions.length - 1 ? this.t('submit', 'Submit') : this.t('next', 'Next'))}</button></div></form></div>`);
    this.$('.close').addEventListener('click', () => this.dismiss());
    const box = this.$('.box');
    box.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape') this.dismiss();
    });
    box.addEventListener('focusin', (e) => {
      const from = (e as FocusEvent).relatedTarget as HTMLElement | null;
      if (from && !this.root.contains(from)) this.returnFocus = from;
    });
    this.$('form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.next().catch((err) => this.fail(err));
    });
    // The server's limits, in characters as it counts them (see limitChars).
    const text = this.$<HTMLTextAreaElement>('textarea');
    if (text) limitChars(text, textLimit(question));
    const otherField = this.$<HTMLInputElement>('#o');
    if (otherField) limitChars(otherField, MAX_OTHER_CHARS);
    // One answer to a single-choice question: a text typed in Other unticks the choice (a radio
    // cannot be unticked otherwise), and a choice ticked clears the text.
    const other = this.$<HTMLInputElement>('#o');
    if (other && question.type === 'single_choice') {
      const radios = Array.from(this.root.querySelectorAll('input[type=radio]')) as HTMLInputElement[];
      other.addEventListener('input', () => other.value.trim() && radios.forEach((r) => (r.checked = false)));
      radios.forEach((r) => r.addEventListener('change', () => r.checked && (other.value = '')));
    }
    // Appearing by itself it takes the focus only when nothing has it: a visitor typing in a field
    // (or using a control) of the page keeps it, and their keys do not land in the survey.
    const active = document.activeElement;
    if (!appearing || !active || active === document.body || active === document.documentElement) {
      (this.$('input, textarea') as HTMLElement | null)?.focus();
    }
  }

  private field(q: SurveyQuestion): string {
    const name = 'a';
    if (q.type === 'nps' || q.type === 'rating') {
      const from = q.type === 'nps' ? 0 : 1;
      const to = q.type === 'nps' ? 10 : q.scale || 5;
      let html = '<div class="scale" part="scale">';
      for (let i = from; i <= to; i++) html += `<label><input type="radio" name="${name}" value="${i}"><span part="option">${i}</span></label>`;
      return html + '</div>';
    }
    if (q.type === 'single_choice' || q.type === 'multiple_choice') {
      const type = q.type === 'single_choice' ? 'radio' : 'checkbox';
      return (
        (q.choices || []).map((c) => `<label class="choice" part="option"><input type="${type}" name="${name}" value="${esc(c)}"> ${esc(c)}</label>`).join('') +
        (q.allow_other ? `<label class="choice" part="option" for="o">${esc(this.t('other', 'Other'))}</label><input part="input other" id="o" type="text">` : '')
      );
    }
    return `<label for="t" class="choice">${esc(this.t('answer-label', 'Your answer'))}</label><textarea id="t" name="${name}" rows="3" part="input"></textarea>`;
  }

  private value(q: SurveyQuestion): Answer {
    const form = this.$<HTMLFormElement>('form');
    if (q.type === 'text') return clip((form.querySelector('textarea') as HTMLTextAreaElement).value.trim(), textLimit(q)) || undefined;
    const checked = (Array.from(form.querySelectorAll('input:checked')) as HTMLInputElement[]).map((i) => i.value);
    const other = form.querySelector('#o') as HTMLInputElement | null;
    const otherText = other && clip(other.value.trim(), MAX_OTHER_CHARS);
    if (q.type === 'multiple_choice') {
      // The same text ticked and typed is one answer: the API refuses a choice listed twice.
      if (otherText && !checked.includes(otherText)) checked.push(otherText);
      return checked.length ? checked : undefined;
    }
    if (q.type === 'single_choice') return checked[0] || otherText || undefined;
    return checked.length ? Number(checked[0]) : undefined;
  }

  private async next(): Promise<void> {
    const s = this.survey!;
    const q = s.questions[this.index];
    const value = this.value(q);
    if (value === undefined && q.required) {
      throw { status: 0, code: 'required', message: q.type === 'text' ? this.t('required-text', 'Please write an answer.') : this.t('required-choice', 'Please choose an answer.') };
    }
    let nextIndex = this.index + 1;
    for (const rule of q.logic || []) {
      if (matches(rule, value)) {
        const to = rule.then && rule.then.jump_to;
        const target = s.questions.findIndex((x) => x.id === to);
        nextIndex = to === 'end' ? s.questions.length : target > this.index ? target : nextIndex;
        break;
      }
    }
    const completed = nextIndex >= s.questions.length;
    // Answers merge on the server (on the response id): each post carries the answer just given
    // (null: skipped), so it stays small however long the answers before it were (re-sending them
    // all could pass the API's 500 KB body limit at the last questions of a long survey).
    const answers = { [q.id]: value === undefined ? null : value };
    // The survey as this visitor was shown it: it may change on the server meanwhile (a question
    // removed, a required one added, a choice removed, a lower max_length), and the API then takes
    // these answers as given, dropping (not refusing) those the edit made invalid.
    const body = { response_id: this.responseId, ...this.visitor(), answers, completed, question_ids: s.questions.map((x) => x.id), revision: s.revision };
    const submit = this.$('button[type=submit]') as HTMLButtonElement;
    // Disabling the focused button drops the focus to the page; a failure gives it back to retry.
    const pressed = this.root.activeElement === submit;
    submit.disabled = true;
    let dropped: string[] = [];
    try {
      // Idempotent on response_id (a completed response is final): safe to retry.
      dropped = (await this.post<{ dropped_answers?: string[] }>('responses', body, 2))?.dropped_answers || [];
    } catch (err) {
      // This visitor already answered the survey (another tab, an earlier visit): nothing to retry.
      const e = err as WidgetError;
      if (e && e.status === 409 && (e.details || []).some((d) => d.reason === 'already_responded')) {
        closedHere.add(s.id);
        this.thank(this.t('already-answered', 'You have already answered this survey. Thank you!'));
        return;
      }
      throw err;
    } finally {
      submit.disabled = false;
      if (pressed && !this.root.activeElement && submit.isConnected) submit.focus();
    }
    // growthos:responded lists what the server stored: not an answer it dropped (the survey was
    // edited meanwhile and the edit made that answer invalid).
    if (value === undefined || dropped.includes(q.id)) delete this.answers[q.id];
    else this.answers[q.id] = value;
    this.emit('answered', { survey_id: s.id, question_id: q.id, value });
    if (completed) {
      closedHere.add(s.id);
      const thanks = s.thank_you || {};
      this.thank(thanks.headline || this.t('thanks', 'Thank you!'), thanks.body);
      this.emit('responded', { survey_id: s.id, response_id: this.responseId, answers: this.answers });
    } else {
      this.index = nextIndex;
      this.show();
    }
  }

  /** Ends the survey with a closing message, which takes the focus. */
  private thank(headline: string, body?: string | null): void {
    this.render(`<div class="box" part="container" role="status"><p part="thanks" class="big" tabindex="-1">${esc(headline)}</p>${
      body ? `<p part="thanks-body">${esc(body)}</p>` : ''
    }</div>`);
    (this.$('[part~=thanks]') as HTMLElement).focus();
    this.survey = undefined;
  }

  private dismiss(): void {
    if (!this.survey) return;
    const id = this.survey.id;
    closedHere.add(id);
    // Closed from inside (Escape, ×): the focus goes back to where it was, not to the top of the page.
    const back = this.root.activeElement ? this.returnFocus : undefined;
    this.render('');
    if (back && back.isConnected) back.focus();
    this.emit('dismissed', { survey_id: id });
    void this.post('dismissals', { interaction_id: uuidv4(), ...this.visitor() }, 2, true).catch(() => undefined);
    this.survey = undefined;
  }
}
