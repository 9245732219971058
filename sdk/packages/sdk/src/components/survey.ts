import { GrowthOSElement, anonymousId, esc } from './base.js';

interface Question {
  id: string;
  type: 'nps' | 'rating' | 'single_choice' | 'multiple_choice' | 'text';
  text: string;
  choices?: string[];
  required?: boolean;
  scale?: number;
  logic?: { equals?: unknown; goto?: string }[];
}
interface Survey {
  id: string;
  name?: string;
  questions: Question[];
  thank_you?: string;
}

/**
 * The survey to show now (GET /v1/widgets/surveys for this visitor and URL), one question at a
 * time, as a labelled dialog panel: displays, dismissals and answers (partial, then complete) are
 * recorded. Attributes: host, write-key, user-id. Events: growthos:displayed, growthos:answered,
 * growthos:responded (complete), growthos:dismissed, growthos:error.
 */
export class SurveyElement extends GrowthOSElement {
  static override get observedAttributes(): string[] {
    return [...GrowthOSElement.observedAttributes, 'user-id'];
  }

  private survey?: Survey;
  private index = 0;
  private answers: Record<string, unknown> = {};
  private responseId = '';

  protected override css(): string {
    return `fieldset{border:0;margin:0;padding:0}legend{font-weight:600;margin-bottom:.5em}
.scale{display:flex;flex-wrap:wrap;gap:.25em}.scale label,.choice{font-weight:400}
.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale span{display:inline-block;min-width:2.2em;text-align:center;padding:.35em 0;border:1px solid var(--gos-color-border,#6b7280);border-radius:6px;cursor:pointer}
.scale input:checked+span{background:var(--gos-color-primary,#1d4ed8);color:var(--gos-color-on-primary,#fff);border-color:var(--gos-color-primary,#1d4ed8)}
.scale input:focus-visible+span{outline:3px solid var(--gos-color-focus,#f59e0b);outline-offset:2px}
.head{display:flex;justify-content:space-between;align-items:start}.close{padding:.1em .5em}`;
  }

  protected async start(): Promise<void> {
    const q = new URLSearchParams({ anonymous_id: anonymousId(), url: location.href });
    const userId = this.getAttribute('user-id');
    if (userId) q.set('user_id', userId);
    const found = await this.api<{ survey?: Survey | null } & Partial<Survey>>('/surveys?' + q.toString());
    const survey = found && (found.survey !== undefined ? found.survey : found.id ? (found as Survey) : null);
    if (!survey || !survey.questions || !survey.questions.length) {
      this.render('');
      return;
    }
    this.survey = survey;
    this.index = 0;
    this.answers = {};
    this.responseId = anonymousId() + ':' + survey.id + ':' + Date.now();
    this.show();
    this.emit('displayed', { survey_id: survey.id });
    void this.post('displays', { anonymous_id: anonymousId(), user_id: userId || undefined }).catch(() => undefined);
  }

  private post(what: string, body: unknown): Promise<unknown> {
    return this.api(`/campaigns/${encodeURIComponent(this.survey!.id)}/${what}`, { method: 'POST', body });
  }

  private show(): void {
    const s = this.survey!;
    const question = s.questions[this.index];
    const last = this.index === s.questions.length - 1;
    this.render(`<div class="box" part="container" role="dialog" aria-labelledby="q" aria-describedby="progress">
<div class="head"><p id="progress" part="progress">Question ${this.index + 1} of ${s.questions.length}</p>
<button part="button close" class="secondary close" type="button" aria-label="Close survey">×</button></div>
<form part="form" novalidate><fieldset><legend id="q" part="question">${esc(question.text)}</legend>${this.field(question)}</fieldset>
<p part="error" class="error" role="alert" hidden></p>
<div class="row"><button part="button" type="submit">${last ? 'Submit' : 'Next'}</button></div></form></div>`);
    this.$('.close').addEventListener('click', () => this.dismiss());
    this.root.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape') this.dismiss();
    });
    this.$('form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.next().catch((err) => this.fail(err));
    });
    (this.$('input, textarea') as HTMLElement | null)?.focus();
  }

  private field(q: Question): string {
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
      return (q.choices || [])
        .map((c) => `<label class="choice" part="option"><input type="${type}" name="${name}" value="${esc(c)}"> ${esc(c)}</label>`)
        .join('');
    }
    return `<label for="t" class="choice">Your answer</label><textarea id="t" name="${name}" rows="3" part="input"></textarea>`;
  }

  private value(q: Question): unknown {
    const form = this.$<HTMLFormElement>('form');
    if (q.type === 'text') return (form.querySelector('textarea') as HTMLTextAreaElement).value.trim() || undefined;
    const checked = Array.from(form.querySelectorAll('input:checked')) as HTMLInputElement[];
    if (q.type === 'multiple_choice') return checked.length ? checked.map((i) => i.value) : undefined;
    if (!checked.length) return undefined;
    return q.type === 'nps' || q.type === 'rating' ? Number(checked[0].value) : checked[0].value;
  }

  private async next(): Promise<void> {
    const s = this.survey!;
    const q = s.questions[this.index];
    const value = this.value(q);
    if (value === undefined && q.required !== false && q.type !== 'text') {
      throw { status: 0, code: 'required', message: 'Please choose an answer.' };
    }
    if (value !== undefined) this.answers[q.id] = value;
    let nextIndex = this.index + 1;
    for (const rule of q.logic || []) {
      if (rule.goto && JSON.stringify(rule.equals) === JSON.stringify(value)) {
        const target = s.questions.findIndex((x) => x.id === rule.goto);
        nextIndex = rule.goto === 'end' ? s.questions.length : target >= 0 ? target : nextIndex;
      }
    }
    const completed = nextIndex >= s.questions.length;
    const body = {
      response_id: this.responseId,
      anonymous_id: anonymousId(),
      user_id: this.getAttribute('user-id') || undefined,
      answers: this.answers,
      completed,
    };
    (this.$('button[type=submit]') as HTMLButtonElement).disabled = true;
    await this.post('responses', body);
    this.emit('answered', { survey_id: s.id, question_id: q.id, value });
    if (completed) {
      this.render(`<div class="box" part="container" role="status"><p part="thanks" tabindex="-1">${esc(s.thank_you || 'Thank you for your answers!')}</p></div>`);
      (this.$('[part~=thanks]') as HTMLElement).focus();
      this.emit('responded', { survey_id: s.id, answers: this.answers });
    } else {
      this.index = nextIndex;
      this.show();
    }
  }

  private dismiss(): void {
    if (!this.survey) return;
    const id = this.survey.id;
    this.render('');
    this.emit('dismissed', { survey_id: id });
    void this.api(`/campaigns/${encodeURIComponent(id)}/dismissals`, { method: 'POST', body: { anonymous_id: anonymousId(), user_id: this.getAttribute('user-id') || undefined } }).catch(() => undefined);
    this.survey = undefined;
  }
}
